import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { ScheduleSeries } from './names.js';

/** What the reminder job reads of every village, and the once-only record of what it sent. */
@Injectable()
export class RemindersRepository {
  /** Every village, with its finance cadence setting (and the 长治 day it was set) and its first collective_finance period. */
  villages(
    conn: Conn,
  ): Promise<{ code: string; name: string; financeMonthly: boolean | null; setOn: string | null; collectiveSince: string | null }[]> {
    return dbOf(conn)
      .selectFrom('division as v')
      .leftJoin('openness_village_setting as s', 's.village_code', 'v.code')
      .select([
        'v.code',
        'v.name',
        's.finance_monthly as financeMonthly',
        sql<string | null>`((s.set_at AT TIME ZONE 'Asia/Shanghai')::date)::text`.as('setOn'),
        sql<
          string | null
        >`(SELECT min(d.period_start)::text FROM disclosure d WHERE d.village_code = v.code AND d.series = 'collective_finance')`.as(
          'collectiveSince',
        ),
      ])
      .where('v.level', '=', 'village')
      .orderBy('v.code')
      .execute();
  }

  /** Published disclosures of a series whose period starts on or after `from`: (village, series, period start, published day). */
  published(
    conn: Conn,
    from: string,
  ): Promise<{ villageCode: string; series: ScheduleSeries; periodStart: string; publishedOn: string }[]> {
    return dbOf(conn)
      .selectFrom('disclosure')
      .select([
        'village_code as villageCode',
        sql<ScheduleSeries>`series`.as('series'),
        sql<string>`period_start::text`.as('periodStart'),
        sql<string>`((published_at AT TIME ZONE 'Asia/Shanghai')::date)::text`.as('publishedOn'),
      ])
      .where('state', '=', 'published')
      .where('series', 'is not', null)
      .where('period_start', '>=', sql<Date>`${from}::date`)
      .execute();
  }

  /** Records the reminders not sent before; returns those this call recorded (concurrent calls split them). */
  async claim(
    conn: Conn,
    rows: readonly { villageCode: string; series: ScheduleSeries; periodStart: string; kind: 'due_soon' | 'overdue' }[],
    at: Date,
  ): Promise<{ villageCode: string; series: ScheduleSeries; periodStart: string; kind: 'due_soon' | 'overdue' }[]> {
    if (!rows.length) return [];
    const { rows: taken } = await sql<{ village_code: string; series: ScheduleSeries; period_start: string; kind: 'due_soon' | 'overdue' }>`
      INSERT INTO openness_reminder (village_code, series, period_start, kind, sent_at)
      SELECT * , ${at}::timestamptz FROM unnest(${rows.map((r) => r.villageCode)}::varchar[], ${rows.map((r) => r.series)}::text[],
                                               ${rows.map((r) => r.periodStart)}::date[], ${rows.map((r) => r.kind)}::text[])
      ON CONFLICT DO NOTHING
      RETURNING village_code, series, period_start::text AS period_start, kind`.execute(dbOf(conn));
    return taken.map((r) => ({ villageCode: r.village_code, series: r.series, periodStart: r.period_start, kind: r.kind }));
  }
}
