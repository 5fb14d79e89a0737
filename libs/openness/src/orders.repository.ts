import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { ScheduleSeries } from './names.js';

export interface OrderRow {
  id: string;
  villageCode: string;
  series: ScheduleSeries | null;
  periodStart: string | null;
  queryId: string | null;
  text: string;
  dueOn: string;
  orderedAt: Date;
  orderedBy: string;
  followUp: string | null;
  followedUpAt: Date | null;
}

/** The township's orders to publish (Art. 31) and their follow-up. */
@Injectable()
export class OrdersRepository {
  private select(conn: Conn) {
    return dbOf(conn)
      .selectFrom('township_order')
      .select([
        'id',
        'village_code as villageCode',
        'series',
        sql<string | null>`period_start::text`.as('periodStart'),
        'query_id as queryId',
        'text',
        sql<string>`due_on::text`.as('dueOn'),
        'ordered_at as orderedAt',
        'ordered_by as orderedBy',
        'follow_up as followUp',
        'followed_up_at as followedUpAt',
      ]);
  }

  async insert(
    conn: Conn,
    o: {
      villageCode: string;
      series: ScheduleSeries | null;
      periodStart: string | null;
      queryId: string | null;
      text: string;
      dueOn: string;
      by: string;
      at: Date;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('township_order')
      .values({
        village_code: o.villageCode,
        series: o.series,
        period_start: o.periodStart === null ? null : sql<Date>`${o.periodStart}::date`,
        query_id: o.queryId,
        text: o.text,
        due_on: sql<Date>`${o.dueOn}::date`,
        ordered_by: o.by,
        ordered_at: o.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  byId(conn: Conn, id: string): Promise<OrderRow | undefined> {
    return this.select(conn).where('id', '=', id).executeTakeFirst();
  }

  ofVillage(conn: Conn, villageCode: string): Promise<OrderRow[]> {
    return this.select(conn).where('village_code', '=', villageCode).orderBy('ordered_at', 'desc').execute();
  }

  /** Records the follow-up once: false if it already had one. */
  async followUp(conn: Conn, id: string, text: string, by: string, at: Date): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('township_order')
      .set({ follow_up: text, followed_up_by: by, followed_up_at: at })
      .where('id', '=', id)
      .where('follow_up', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  /** The village's query if it may be the subject of an order: escalated to the township, or open past its answer deadline. */
  async orderableQuery(conn: Conn, id: string, villageCode: string, now: Date): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('disclosure_query')
      .select('id')
      .where('id', '=', id)
      .where('village_code', '=', villageCode)
      .where((eb) => eb.or([eb('state', '=', 'escalated'), eb.and([eb('state', '=', 'open'), eb('answer_due_at', '<', now)])]))
      .executeTakeFirst();
    return r !== undefined;
  }
}
