import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { ApprovalAuthority, ApprovalDecision, Category } from './names.js';
import type { ProposalState } from './proposal-lifecycle.js';

/** The proposal as the approvals see it. */
export interface ApprovalSubject {
  id: string;
  village_code: string;
  title: string;
  category: Category;
  status: ProposalState;
}

export interface ApprovalRecordRow {
  id: string;
  authority: ApprovalAuthority;
  decision: ApprovalDecision;
  decided_on: string;
  document_number: string;
  note: string | null;
  recorded_by_name: string;
  recorded_at: Date;
}

/** proposal_approval's SQL, with the proposal row and decision vote it depends on. */
@Injectable()
export class ApprovalsRepository {
  /** The proposal; `lock`: FOR UPDATE, for the recording transaction. */
  subject(conn: Conn, proposalId: string, lock = false): Promise<ApprovalSubject | undefined> {
    const q = dbOf(conn).selectFrom('proposal').select(['id', 'village_code', 'title', 'category', 'status']).where('id', '=', proposalId);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  }

  records(conn: Conn, proposalId: string): Promise<ApprovalRecordRow[]> {
    return dbOf(conn)
      .selectFrom('proposal_approval')
      .select([
        'id',
        'authority',
        'decision',
        sql<string>`decided_on::text`.as('decided_on'),
        'document_number',
        'note',
        'recorded_by_name',
        'recorded_at',
      ])
      .where('proposal_id', '=', proposalId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
  }

  /** The decision vote's tally instant, when it passed. */
  async passedAt(conn: Conn, proposalId: string): Promise<Date | null> {
    const r = await dbOf(conn)
      .selectFrom('vote')
      .select('tallied_at')
      .where('proposal_id', '=', proposalId)
      .where('purpose', '=', 'decision')
      .where('outcome', '=', 'passed')
      .orderBy('opens_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.tallied_at ?? null;
  }

  async insert(
    conn: Conn,
    a: {
      proposalId: string;
      authority: ApprovalAuthority;
      decision: ApprovalDecision;
      decidedOn: string;
      documentNumber: string;
      note: string | null;
      recordedBy: string | null;
      recordedByName: string;
      recordedAt: Date;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('proposal_approval')
      .values({
        proposal_id: a.proposalId,
        authority: a.authority,
        decision: a.decision,
        decided_on: a.decidedOn,
        document_number: a.documentNumber,
        note: a.note,
        recorded_by: a.recordedBy,
        recorded_by_name: a.recordedByName,
        recorded_at: a.recordedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
}
