import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { type Conn, dbOf } from '#platform';
import type { Performance } from './views.js';

/** An assignment of a mediator to a case (the name comes from identity). */
export interface AssignmentRecord {
  personId: string;
  assignedAt: Date;
  endedAt: Date | null;
  committeeCode: string;
}

export interface SessionRecord {
  id: string;
  heldOn: string;
  place: string;
  attendees: string;
  record: string;
  mediatorPersonIds: string[];
}

export interface ExtensionRecord {
  previousDueAt: Date;
  newDueOn: string;
  consentedOn: string;
  reason: string;
  createdAt: Date;
}

export interface FollowUpRecord {
  id: string;
  visitedOn: string;
  visitor: string;
  performance: Performance;
  note: string | null;
}

export interface EventRecord {
  at: Date;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  fromCommittee: string | null;
  toCommittee: string;
  note: string | null;
}

export interface AlertRecord {
  id: string;
  townshipCode: string;
  kind: string;
  description: string;
  policeNotifiedAt: Date;
  policeContact: string;
  raisedAt: Date;
}

/** What happens on a case, row by row: assignments, sessions, extensions, follow-ups, its history and risk alerts. */
@Injectable()
export class CaseRecordsRepository {
  constructor(private readonly ds: DataSource) {}

  // ---- Assignments ----

  /** Every assignment of the case, ended ones too, in the order made. */
  assignments(conn: Conn, caseId: string): Promise<AssignmentRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_assignment')
      .select(['person_id as personId', 'assigned_at as assignedAt', 'ended_at as endedAt', 'committee_code as committeeCode'])
      .where('case_id', '=', caseId)
      .orderBy('assigned_at')
      .orderBy('id')
      .execute();
  }

  /** Assigns each mediator not assigned now (a current assignment is kept as it is). */
  async assign(em: Conn, caseId: string, committeeCode: string, personIds: readonly string[], at: Date): Promise<void> {
    await sql`INSERT INTO mediation_assignment (case_id, person_id, committee_code, assigned_at)
              SELECT ${caseId}, p, ${committeeCode}, ${at} FROM unnest(${[...personIds]}::uuid[]) AS p
              ON CONFLICT (case_id, person_id) WHERE ended_at IS NULL DO NOTHING`.execute(dbOf(em));
  }

  async endAssignments(em: Conn, caseId: string, at: Date): Promise<void> {
    await dbOf(em)
      .updateTable('mediation_assignment')
      .set({ ended_at: at })
      .where('case_id', '=', caseId)
      .where('ended_at', 'is', null)
      .execute();
  }

  // ---- Sessions ----

  sessions(conn: Conn, caseId: string): Promise<SessionRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_session')
      .select([
        'id',
        sql<string>`to_char(held_on, 'YYYY-MM-DD')`.as('heldOn'),
        'place',
        'attendees',
        'record',
        sql<string[]>`mediator_ids::text[]`.as('mediatorPersonIds'),
      ])
      .where('case_id', '=', caseId)
      .orderBy('held_on')
      .orderBy('created_at')
      .execute();
  }

  async addSession(
    em: Conn,
    s: {
      caseId: string;
      heldOn: string;
      place: string;
      mediatorIds: string[];
      attendees: string;
      record: string;
      at: Date;
      by: string | null;
    },
  ): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_session')
      .values({
        case_id: s.caseId,
        held_on: s.heldOn,
        place: s.place,
        mediator_ids: sql<string[]>`${s.mediatorIds}::uuid[]`,
        attendees: s.attendees,
        record: s.record,
        created_at: s.at,
        created_by: s.by,
      })
      .execute();
  }

  // ---- Extensions ----

  extensions(conn: Conn, caseId: string): Promise<ExtensionRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_extension')
      .select([
        'previous_due_at as previousDueAt',
        sql<string>`to_char(new_due_on, 'YYYY-MM-DD')`.as('newDueOn'),
        sql<string>`to_char(consented_on, 'YYYY-MM-DD')`.as('consentedOn'),
        'reason',
        'created_at as createdAt',
      ])
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute();
  }

  async addExtension(
    em: Conn,
    e: {
      caseId: string;
      previousDueAt: Date;
      newDueOn: string;
      newDueAt: Date;
      consentedOn: string;
      reason: string;
      at: Date;
      by: string | null;
    },
  ): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_extension')
      .values({
        case_id: e.caseId,
        previous_due_at: e.previousDueAt,
        new_due_on: e.newDueOn,
        new_due_at: e.newDueAt,
        consented_on: e.consentedOn,
        reason: e.reason,
        created_at: e.at,
        created_by: e.by,
      })
      .execute();
  }

  // ---- Follow-ups ----

  followUps(conn: Conn, caseId: string): Promise<FollowUpRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_follow_up')
      .select(['id', sql<string>`to_char(visited_on, 'YYYY-MM-DD')`.as('visitedOn'), 'visitor', 'performance', 'note'])
      .where('case_id', '=', caseId)
      .orderBy('visited_on')
      .orderBy('created_at')
      .execute();
  }

  async addFollowUp(
    em: Conn,
    f: { caseId: string; visitedOn: string; visitor: string; performance: Performance; note: string | null; at: Date },
  ): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_follow_up')
      .values({
        case_id: f.caseId,
        visited_on: f.visitedOn,
        visitor: f.visitor,
        performance: f.performance,
        note: f.note,
        created_at: f.at,
      })
      .execute();
  }

  // ---- History ----

  history(conn: Conn, caseId: string): Promise<EventRecord[]> {
    return dbOf(conn)
      .selectFrom('mediation_case_event')
      .select([
        'at',
        'action',
        'from_status as fromStatus',
        'to_status as toStatus',
        'from_committee as fromCommittee',
        'to_committee as toCommittee',
        'note',
      ])
      .where('case_id', '=', caseId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  // ---- Risk alerts ----

  private alertView(conn: Conn) {
    return dbOf(conn)
      .selectFrom('mediation_alert as al')
      .select([
        'al.id',
        'al.township_code as townshipCode',
        'al.kind',
        'al.description',
        'al.police_notified_at as policeNotifiedAt',
        'al.police_contact as policeContact',
        'al.raised_at as raisedAt',
      ]);
  }

  alertsOf(conn: Conn, caseId: string): Promise<AlertRecord[]> {
    return this.alertView(conn).where('al.case_id', '=', caseId).orderBy('al.raised_at').execute();
  }

  /** A page of the alerts raised in the given townships (scopes), the newest first, with the count of all. */
  async alertsWithin(
    scopes: readonly string[],
    limit: number,
    offset: number,
  ): Promise<{ total: number; rows: (AlertRecord & { caseId: string; caseNo: string })[] }> {
    const rows = await this.alertView(this.ds)
      .innerJoin('mediation_case as c', 'c.id', 'al.case_id')
      .select(['al.case_id as caseId', 'c.case_no as caseNo', sql<number>`count(*) OVER ()::int`.as('total')])
      .where(withinScopes('al.township_code', scopes))
      .orderBy('al.raised_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r) };
  }

  async addAlert(
    em: Conn,
    a: {
      caseId: string;
      townshipCode: string;
      description: string;
      policeNotifiedAt: Date;
      policeContact: string;
      at: Date;
      by: string | null;
    },
  ): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_alert')
      .values({
        case_id: a.caseId,
        township_code: a.townshipCode,
        kind: 'violence_risk',
        description: a.description,
        police_notified_at: a.policeNotifiedAt,
        police_contact: a.policeContact,
        raised_at: a.at,
        raised_by: a.by,
      })
      .execute();
  }
}
