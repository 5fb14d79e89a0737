import { Injectable } from '@nestjs/common';
import { type RawBuilder, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { allOf, anyOf, type Conn, dbOf, startingWith } from '#platform';
import type { QueryState } from './names.js';

/** Which queries a list or lookup covers. */
export interface QueryFilter {
  /** Villages where the caller sees every query (the committee, the supervision committee, township and above). */
  staffScopes: readonly string[];
  /** Elsewhere the caller sees the queries this person asked (null: none). */
  askerPersonId: string | null;
  id?: string;
  disclosureId?: string;
  divisionCode?: string;
  state?: QueryState;
  /** Open past the deadline (true) or not (false), as of `now`. */
  overdue?: boolean;
  now: Date;
}

const QUERY_COLUMNS = [
  'q.id',
  'q.disclosure_id',
  'd.title as disclosure_title',
  'q.village_code',
  'q.entry_id',
  'q.asker_person_id',
  'q.question',
  'q.asked_at',
  'q.answer_due_at',
  'q.state',
  'q.answer',
  'q.answered_at',
  'q.escalation_reason',
  'q.escalated_at',
  'q.township_reply',
  'q.closed_at',
] as const;

/** Villagers' queries' SQL (disclosure_query), and the little it reads of the disclosure and its entries. */
@Injectable()
export class QueriesRepository {
  constructor(private readonly ds: DataSource) {}

  /** What asking needs to know of the disclosure: who may read it and whether it is published. */
  disclosureHead(conn: Conn, id: string) {
    return dbOf(conn)
      .selectFrom('disclosure')
      .select(['id', 'village_code', 'subject', 'state', 'title'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async entryBelongs(conn: Conn, disclosureId: string, entryId: string): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('finance_entry')
      .select('id')
      .where('id', '=', entryId)
      .where('disclosure_id', '=', disclosureId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async insert(
    conn: Conn,
    r: {
      disclosureId: string;
      entryId: string | null;
      villageCode: string;
      askerPersonId: string;
      question: string;
      at: Date;
      dueAt: Date;
    },
  ): Promise<string> {
    const row = await dbOf(conn)
      .insertInto('disclosure_query')
      .values({
        disclosure_id: r.disclosureId,
        entry_id: r.entryId,
        village_code: r.villageCode,
        asker_person_id: r.askerPersonId,
        question: r.question,
        asked_at: r.at,
        answer_due_at: r.dueAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Locks the query (`FOR UPDATE`) and reads what a step decides on. */
  lock(conn: Conn, id: string) {
    return dbOf(conn)
      .selectFrom('disclosure_query')
      .select(['id', 'disclosure_id', 'village_code', 'asker_person_id', 'state', 'answer', 'answer_due_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Answers (or corrects the answer) `WHERE state = from`: false when the state moved. */
  async answer(conn: Conn, id: string, from: QueryState, a: { answer: string; by: string; at: Date }): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('disclosure_query')
      .set({ state: 'answered', answer: a.answer, answered_by: a.by, answered_at: a.at })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async escalate(conn: Conn, id: string, from: QueryState, e: { reason: string; at: Date }): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('disclosure_query')
      .set({ state: 'escalated', escalation_reason: e.reason, escalated_at: e.at })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async close(conn: Conn, id: string, c: { reply: string; by: string; at: Date }): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('disclosure_query')
      .set({ state: 'closed', township_reply: c.reply, closed_by: c.by, closed_at: c.at })
      .where('id', '=', id)
      .where('state', '=', 'escalated')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  private where(f: QueryFilter): RawBuilder<SqlBool> {
    const overdue = sql<SqlBool>`(q.state = 'open' AND q.answer_due_at < ${f.now}::timestamptz)`;
    const w: RawBuilder<SqlBool>[] = [
      anyOf([
        withinScopes('q.village_code', f.staffScopes),
        ...(f.askerPersonId ? [sql<SqlBool>`q.asker_person_id = ${f.askerPersonId}::uuid`] : []),
      ]),
    ];
    if (f.id) w.push(sql<SqlBool>`q.id = ${f.id}::uuid`);
    if (f.disclosureId) w.push(sql<SqlBool>`q.disclosure_id = ${f.disclosureId}::uuid`);
    if (f.divisionCode) w.push(sql<SqlBool>`q.village_code LIKE ${startingWith(f.divisionCode)}`);
    if (f.state) w.push(sql<SqlBool>`q.state = ${f.state}`);
    if (f.overdue === true) w.push(overdue);
    if (f.overdue === false) w.push(sql<SqlBool>`NOT ${overdue}`);
    return allOf(w);
  }

  async count(f: QueryFilter): Promise<number> {
    const r = await dbOf(this.ds)
      .selectFrom('disclosure_query as q')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(this.where(f))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  /**
   * The queries, with their disclosure's title: a disclosure's in the order asked; a list newest first, or
   * (overdue lists) the longest overdue first.
   */
  rows(conn: Conn, f: QueryFilter, order: 'asked' | 'newest' | 'due', limit: number, offset = 0) {
    let q = dbOf(conn)
      .selectFrom('disclosure_query as q')
      .innerJoin('disclosure as d', 'd.id', 'q.disclosure_id')
      .select(QUERY_COLUMNS)
      .where(this.where(f));
    if (order === 'asked') q = q.orderBy('q.asked_at').orderBy('q.id');
    else if (order === 'due') q = q.orderBy('q.answer_due_at').orderBy('q.id');
    else q = q.orderBy('q.asked_at', 'desc').orderBy('q.id');
    return q.limit(limit).offset(offset).execute();
  }
}

export type QueryRow = Awaited<ReturnType<QueriesRepository['rows']>>[number];
