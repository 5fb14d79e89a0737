import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { AgreementForm, ConfirmationOutcome, ExecutionMode } from './names.js';
import type { ConfirmationView } from './views.js';

/** The agreement as stored; who recorded an oral one is a person id (its name comes from identity). */
export interface AgreementRecord {
  form: AgreementForm;
  facts: string | null;
  disputePoints: string | null;
  responsibilities: string | null;
  terms: string;
  performanceMethod: string;
  performBy: string;
  effectiveOn: string;
  confirmDeadline: string;
  confirmUnverifiedYear: number | null;
  followUpDue: string;
  committeeSealed: boolean | null;
  recordedBy: string | null;
}

/** How the agreement was executed: by a party (with its order), or signed by a mediator. */
export interface ExecutionRecord {
  partyId: string | null;
  ord: number | null;
  mediatorPersonId: string | null;
  mode: ExecutionMode;
}

/** A new agreement: the stored fields, its case, and when it was recorded. */
export type NewAgreementRow = AgreementRecord & { caseId: string; at: Date };

/** The agreement, how it was executed, and its 司法确认 (mediation_agreement, _execution, _confirmation). */
@Injectable()
export class AgreementsRepository {
  get(conn: Conn, caseId: string): Promise<AgreementRecord | undefined> {
    return dbOf(conn)
      .selectFrom('mediation_agreement')
      .select([
        'form',
        'facts',
        'dispute_points as disputePoints',
        'responsibilities',
        'terms',
        'performance_method as performanceMethod',
        sql<string>`to_char(perform_by, 'YYYY-MM-DD')`.as('performBy'),
        sql<string>`to_char(effective_on, 'YYYY-MM-DD')`.as('effectiveOn'),
        sql<string>`to_char(confirm_deadline, 'YYYY-MM-DD')`.as('confirmDeadline'),
        'confirm_unverified_year as confirmUnverifiedYear',
        sql<string>`to_char(follow_up_due, 'YYYY-MM-DD')`.as('followUpDue'),
        'committee_sealed as committeeSealed',
        'recorded_by as recordedBy',
      ])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
  }

  /** The executions, the parties' first in their order. */
  executions(conn: Conn, caseId: string): Promise<ExecutionRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_agreement_execution as e')
      .leftJoin('mediation_party as p', 'p.id', 'e.party_id')
      .select(['e.party_id as partyId', 'p.ord', 'e.mediator_person_id as mediatorPersonId', 'e.mode'])
      .where('e.case_id', '=', caseId)
      .orderBy(sql`p.ord NULLS LAST`)
      .execute();
  }

  confirmation(conn: Conn, caseId: string): Promise<ConfirmationView | undefined> {
    return dbOf(conn)
      .selectFrom('mediation_confirmation')
      .select([
        sql<string>`to_char(applied_on, 'YYYY-MM-DD')`.as('appliedOn'),
        'court',
        'outcome',
        sql<string | null>`to_char(decided_on, 'YYYY-MM-DD')`.as('decidedOn'),
      ])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
  }

  async insert(em: Conn, a: NewAgreementRow): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_agreement')
      .values({
        case_id: a.caseId,
        form: a.form,
        facts: a.facts,
        dispute_points: a.disputePoints,
        responsibilities: a.responsibilities,
        terms: a.terms,
        performance_method: a.performanceMethod,
        perform_by: a.performBy,
        effective_on: a.effectiveOn,
        confirm_deadline: a.confirmDeadline,
        confirm_unverified_year: a.confirmUnverifiedYear,
        follow_up_due: a.followUpDue,
        committee_sealed: a.committeeSealed,
        recorded_by: a.recordedBy,
        created_at: a.at,
      })
      .execute();
  }

  /** A written agreement's executions: each party's mode, and each mediator's signature. */
  async addExecutions(em: Conn, caseId: string, parties: { partyId: string; mode: ExecutionMode }[], mediators: string[]): Promise<void> {
    const db = dbOf(em);
    await sql`INSERT INTO mediation_agreement_execution (case_id, party_id, mode)
              SELECT ${caseId}, p, m FROM unnest(${parties.map((p) => p.partyId)}::uuid[], ${parties.map((p) => p.mode)}::text[]) AS t(p, m)`.execute(
      db,
    );
    await sql`INSERT INTO mediation_agreement_execution (case_id, mediator_person_id, mode)
              SELECT ${caseId}, m, 'sign' FROM unnest(${mediators}::uuid[]) AS m`.execute(db);
  }

  /** The window for applying to 司法确认. */
  window(em: Conn, caseId: string): Promise<{ effectiveOn: string; confirmDeadline: string; unverifiedYear: number | null } | undefined> {
    return dbOf(em)
      .selectFrom('mediation_agreement')
      .select([
        sql<string>`to_char(effective_on, 'YYYY-MM-DD')`.as('effectiveOn'),
        sql<string>`to_char(confirm_deadline, 'YYYY-MM-DD')`.as('confirmDeadline'),
        'confirm_unverified_year as unverifiedYear',
      ])
      .where('case_id', '=', caseId)
      .executeTakeFirst();
  }

  async applyForConfirmation(em: Conn, caseId: string, appliedOn: string, court: string, at: Date): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_confirmation')
      .values({ case_id: caseId, applied_on: appliedOn, court, created_at: at, updated_at: at })
      .execute();
  }

  /** Locks the application; answers the day it was made. */
  async lockApplication(em: Conn, caseId: string): Promise<string | undefined> {
    const r = await dbOf(em)
      .selectFrom('mediation_confirmation')
      .select(sql<string>`to_char(applied_on, 'YYYY-MM-DD')`.as('appliedOn'))
      .where('case_id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
    return r?.appliedOn;
  }

  /** Records the ruling on an application not yet ruled on; answers the rows changed (0: already ruled). */
  async decide(em: Conn, caseId: string, outcome: ConfirmationOutcome, decidedOn: string, at: Date): Promise<number> {
    const r = await dbOf(em)
      .updateTable('mediation_confirmation')
      .set({ outcome, decided_on: decidedOn, updated_at: at })
      .where('case_id', '=', caseId)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
