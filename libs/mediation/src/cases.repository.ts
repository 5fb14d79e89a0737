import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, type Selectable, sql, type SqlBool, type UpdateObject } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { type Conn, type DB, dbOf, startingWith } from '#platform';
import type { CaseEvent, CaseStatus } from './names.js';

type CaseColumns = Selectable<DB['mediation_case']>;

/** A case as stored (timestamps as the driver gives them), with the mediators assigned now. */
export interface CaseRecord {
  id: string;
  caseNo: string;
  committeeCode: string;
  originCommitteeCode: string;
  status: CaseStatus;
  outcome: CaseColumns['outcome'];
  disputeType: CaseColumns['dispute_type'];
  summary: string;
  claims: string;
  amountFen: string | null;
  source: CaseColumns['source'];
  referringBody: string | null;
  riskLevel: CaseColumns['risk_level'];
  violenceRisk: boolean;
  nonPublic: boolean;
  appliedAt: Date;
  acceptedAt: Date | null;
  dueAt: Date | null;
  dueUnverifiedYear: number | null;
  overdueAt: Date | null;
  concludedAt: Date | null;
  declineReason: string | null;
  terminateReason: string | null;
  otherChannels: string[] | null;
  escalationCount: number;
  closedAt: Date | null;
  isDemo: boolean;
  /** Person ids of the mediators assigned now. */
  assigned: string[];
}

/**
 * What case-actions.ts decides by, as the case holds it (the mediators who could still be assigned
 * come from identity: see CaseFacts.assignable).
 */
export interface CaseFactsRecord {
  id: string;
  caseNo: string;
  originCommitteeCode: string;
  status: CaseStatus;
  committeeCode: string;
  assigned: string[];
  missingIds: number;
  confirmation: 'none' | 'applied' | 'decided' | null;
}

/** The filters of the staff list. */
export interface CaseFilter {
  scopes: readonly string[];
  status?: CaseStatus;
  disputeType?: CaseColumns['dispute_type'];
  divisionCode?: string;
}

/** A case whose deadline a report may show: the mediation window, the follow-up, the 司法确认 window. */
export interface DeadlineRecord {
  id: string;
  caseNo: string;
  committeeCode: string;
  status: CaseStatus;
  disputeType: CaseColumns['dispute_type'];
  dueAt: Date | null;
  followUpDue: string | null;
  /** The 司法确认 deadline while no application is recorded. */
  confirmDeadline: string | null;
}

export interface NewCaseRow {
  caseNo: string;
  committeeCode: string;
  year: number;
  seq: number;
  disputeType: CaseColumns['dispute_type'];
  summary: string;
  claims: string;
  amountFen: number | null;
  source: CaseColumns['source'];
  referringBody: string | null;
  riskLevel: CaseColumns['risk_level'];
  nonPublic: boolean;
  at: Date;
  createdBy: string | null;
  isDemo: boolean;
}

export interface CaseEventRow {
  caseId: string;
  at: Date;
  action: CaseEvent;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  fromCommittee: string | null;
  toCommittee: string;
  accountId: string | null;
  note: string | null;
}

const assignedNow = sql<
  string[]
>`COALESCE((SELECT array_agg(a.person_id::text) FROM mediation_assignment a WHERE a.case_id = c.id AND a.ended_at IS NULL), '{}')`;

/** The case table and its counter: reads, the workflow's locked row and state changes, numbering, the overdue sweep. */
@Injectable()
export class CasesRepository {
  constructor(private readonly ds: DataSource) {}

  private cases(conn: Conn) {
    return dbOf(conn)
      .selectFrom('mediation_case as c')
      .select([
        'c.id',
        'c.case_no as caseNo',
        'c.committee_code as committeeCode',
        'c.origin_committee_code as originCommitteeCode',
        'c.status',
        'c.outcome',
        'c.dispute_type as disputeType',
        'c.summary',
        'c.claims',
        'c.amount_fen as amountFen',
        'c.source',
        'c.referring_body as referringBody',
        'c.risk_level as riskLevel',
        'c.violence_risk as violenceRisk',
        'c.non_public as nonPublic',
        'c.applied_at as appliedAt',
        'c.accepted_at as acceptedAt',
        'c.due_at as dueAt',
        'c.due_unverified_year as dueUnverifiedYear',
        'c.overdue_at as overdueAt',
        'c.concluded_at as concludedAt',
        'c.decline_reason as declineReason',
        'c.terminate_reason as terminateReason',
        'c.other_channels as otherChannels',
        'c.escalation_count as escalationCount',
        'c.closed_at as closedAt',
        'c.is_demo as isDemo',
        assignedNow.as('assigned'),
      ]);
  }

  get(conn: Conn, id: string): Promise<CaseRecord | undefined> {
    return this.cases(conn).where('c.id', '=', id).executeTakeFirst();
  }

  /** The staff list: inside the caller's scopes where the case is or was received. */
  async list(f: CaseFilter, limit: number, offset: number): Promise<{ total: number; rows: CaseRecord[] }> {
    const where = (eb: ExpressionBuilder<DB & { c: DB['mediation_case'] }, 'c'>) => {
      const parts = [eb.or([withinScopes('c.committee_code', f.scopes), withinScopes('c.origin_committee_code', f.scopes)])];
      if (f.status) parts.push(eb('c.status', '=', f.status));
      if (f.disputeType) parts.push(eb('c.dispute_type', '=', f.disputeType));
      if (f.divisionCode) parts.push(eb('c.committee_code', 'like', startingWith(f.divisionCode)));
      return eb.and(parts);
    };
    const { total } = await dbOf(this.ds)
      .selectFrom('mediation_case as c')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(where)
      .executeTakeFirstOrThrow();
    const rows = await this.cases(this.ds)
      .where(where)
      .orderBy('c.applied_at', 'desc')
      .orderBy('c.case_no')
      .limit(limit)
      .offset(offset)
      .execute();
    return { total, rows };
  }

  /** The cases where the person is a party (linked to their register record). */
  async ofParty(personId: string, limit: number, offset: number): Promise<{ total: number; rows: CaseRecord[] }> {
    const mine = sql<SqlBool>`EXISTS (SELECT 1 FROM mediation_party p WHERE p.case_id = c.id AND p.person_id = ${personId})`;
    const { total } = await dbOf(this.ds)
      .selectFrom('mediation_case as c')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(mine)
      .executeTakeFirstOrThrow();
    const rows = await this.cases(this.ds).where(mine).orderBy('c.applied_at', 'desc').limit(limit).offset(offset).execute();
    return { total, rows };
  }

  async isParty(caseId: string, personId: string): Promise<boolean> {
    const r = await dbOf(this.ds)
      .selectFrom('mediation_party')
      .select('id')
      .where('case_id', '=', caseId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The facts case-actions.ts decides by (read under the workflow's lock, or for the case view). */
  facts(conn: Conn, id: string): Promise<CaseFactsRecord | undefined> {
    return dbOf(conn)
      .selectFrom('mediation_case as c')
      .select([
        'c.id',
        'c.case_no as caseNo',
        'c.origin_committee_code as originCommitteeCode',
        'c.status',
        'c.committee_code as committeeCode',
        assignedNow.as('assigned'),
        sql<number>`(SELECT count(*)::int FROM mediation_party p WHERE p.case_id = c.id AND p.kind = 'person' AND p.id_number_hash IS NULL)`.as(
          'missingIds',
        ),
        sql<CaseFactsRecord['confirmation']>`CASE WHEN NOT EXISTS (SELECT 1 FROM mediation_agreement ag WHERE ag.case_id = c.id) THEN NULL
             WHEN NOT EXISTS (SELECT 1 FROM mediation_confirmation k WHERE k.case_id = c.id) THEN 'none'
             WHEN EXISTS (SELECT 1 FROM mediation_confirmation k WHERE k.case_id = c.id AND k.outcome IS NOT NULL) THEN 'decided'
             ELSE 'applied' END`.as('confirmation'),
      ])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  /** Locks the case row (every writer takes it first); false when there is no such case. */
  async lock(em: Conn, id: string): Promise<boolean> {
    const r = await dbOf(em).selectFrom('mediation_case').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    return r !== undefined;
  }

  /**
   * `UPDATE … WHERE id AND status = from`: the number of rows changed (0: someone else moved it first).
   * `set` holds the other columns the action changes.
   */
  async move(em: Conn, id: string, from: CaseStatus, to: CaseStatus, set: UpdateObject<DB, 'mediation_case'> = {}): Promise<number> {
    const r = await dbOf(em)
      .updateTable('mediation_case')
      .set({ ...set, status: to, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async touch(em: Conn, id: string, at: Date): Promise<void> {
    await dbOf(em).updateTable('mediation_case').set({ updated_at: at }).where('id', '=', id).execute();
  }

  async dueAt(em: Conn, id: string): Promise<Date | null> {
    const r = await dbOf(em).selectFrom('mediation_case').select('due_at').where('id', '=', id).executeTakeFirstOrThrow();
    return r.due_at;
  }

  /** The committee's next number for the year: its counter row incremented and locked until commit. */
  async nextSeq(em: Conn, committeeCode: string, year: number): Promise<number> {
    const r = await dbOf(em)
      .insertInto('mediation_case_counter')
      .values({ committee_code: committeeCode, year, last_seq: 1 })
      .onConflict((oc) => oc.columns(['committee_code', 'year']).doUpdateSet({ last_seq: sql`mediation_case_counter.last_seq + 1` }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return r.last_seq;
  }

  async insert(em: Conn, c: NewCaseRow): Promise<string> {
    const r = await dbOf(em)
      .insertInto('mediation_case')
      .values({
        case_no: c.caseNo,
        origin_committee_code: c.committeeCode,
        committee_code: c.committeeCode,
        year: c.year,
        seq: c.seq,
        status: 'applied',
        dispute_type: c.disputeType,
        summary: c.summary,
        claims: c.claims,
        amount_fen: c.amountFen,
        source: c.source,
        referring_body: c.referringBody,
        risk_level: c.riskLevel,
        non_public: c.nonPublic,
        applied_at: c.at,
        created_by: c.createdBy,
        is_demo: c.isDemo,
        created_at: c.at,
        updated_at: c.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async addEvent(em: Conn, e: CaseEventRow): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_case_event')
      .values({
        case_id: e.caseId,
        at: e.at,
        action: e.action,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        from_committee: e.fromCommittee,
        to_committee: e.toCommittee,
        account_id: e.accountId,
        note: e.note,
      })
      .execute();
  }

  /** Open or agreed cases of one committee (`exact`) or of a division and everything below it. */
  withDeadlines(divisionCode: string, exact: boolean): Promise<DeadlineRecord[]> {
    return dbOf(this.ds)
      .selectFrom('mediation_case as c')
      .leftJoin('mediation_agreement as a', 'a.case_id', 'c.id')
      .select([
        'c.id',
        'c.case_no as caseNo',
        'c.committee_code as committeeCode',
        'c.status',
        'c.dispute_type as disputeType',
        'c.due_at as dueAt',
        sql<string | null>`to_char(a.follow_up_due, 'YYYY-MM-DD')`.as('followUpDue'),
        sql<
          string | null
        >`CASE WHEN NOT EXISTS (SELECT 1 FROM mediation_confirmation k WHERE k.case_id = c.id) THEN to_char(a.confirm_deadline, 'YYYY-MM-DD') END`.as(
          'confirmDeadline',
        ),
      ])
      .where(exact ? sql<SqlBool>`c.committee_code = ${divisionCode}` : sql<SqlBool>`c.committee_code LIKE ${divisionCode} || '%'`)
      .where('c.status', 'in', ['accepted', 'mediating', 'agreed', 'follow_up'])
      .orderBy('c.case_no')
      .execute();
  }

  // ---- The overdue sweep ----

  /** Locks, in one order, the open cases past their window not yet marked. */
  async lockNewlyOverdue(em: Conn, now: Date): Promise<string[]> {
    const rows = await dbOf(em)
      .selectFrom('mediation_case')
      .select('id')
      .where('status', 'in', ['accepted', 'mediating'])
      .where('due_at', '<', now)
      .where('overdue_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    return rows.map((r) => r.id);
  }

  /** Marks them (still open, still unmarked); answers those marked. */
  markOverdue(
    em: Conn,
    ids: readonly string[],
    now: Date,
  ): Promise<{ id: string; caseNo: string; committeeCode: string; dueAt: Date | null }[]> {
    return dbOf(em)
      .updateTable('mediation_case')
      .set({ overdue_at: now, updated_at: sql`now()` })
      .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
      .where('status', 'in', ['accepted', 'mediating'])
      .where('overdue_at', 'is', null)
      .returning(['id', 'case_no as caseNo', 'committee_code as committeeCode', 'due_at as dueAt'])
      .execute();
  }

  /** The `overdue` entry in each marked case's history. */
  async addOverdueEvents(em: Conn, ids: readonly string[], now: Date, note: string): Promise<void> {
    await sql`INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, note)
              SELECT id, ${now}, 'overdue', status, status, committee_code, committee_code, ${note}
                FROM mediation_case WHERE id = ANY(${[...ids]}::uuid[])`.execute(dbOf(em));
  }
}
