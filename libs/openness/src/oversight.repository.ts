import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, startingWith } from '#platform';
import type { ScheduleSeries } from './names.js';
import type { OversightRow } from './views.js';

export interface RollupParams {
  /** The division asked for; rows are its children (or itself, for a village). */
  code: string;
  childLen: number;
  from: string;
  asOf: string;
  /** How many quarters from `from` to the one holding `asOf` (0 if `asOf` is before `from`). */
  quarters: number;
  dueDays: number;
  longOverdueDays: number;
  /** Open queries whose answer was due before this instant count as overdue. */
  queriesDueBefore: Date;
}

export interface VillageBasisRow {
  financeMonthly: boolean | null;
  setOn: string | null;
  collectiveFirst: string | null;
}

export interface PublishedRow {
  id: string;
  series: ScheduleSeries;
  periodStart: string;
  publishedAt: Date;
  publishedOn: string;
}

/** The 长治 calendar day of a timestamptz column, as text. */
const shanghaiDay = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`);

/**
 * The schedule's statements. The roll-up is one statement: the villages under the division × their slots
 * (generate_series of quarters, months where finance is monthly), LEFT JOIN the published disclosures grouped
 * by the slot they count for, counted per village, then per child division. It applies schedule.ts's rules;
 * test/e2e/openness-oversight.e2e-spec.ts checks that both agree. It reads the shared division tree directly,
 * as economy's roll-up does: the villages must be part of the one set-based statement.
 * The series are integer generate_series with constant bounds, so the planner knows their row counts: with
 * date generate_series it guessed 1,000 rows each, costed the statement in millions and JIT-compiled it
 * (~500 ms a request, even for a township). Disclosures are joined by village code, not `LIKE`: the
 * disclosure indexes have the default operator class, which a LIKE prefix cannot use.
 */
@Injectable()
export class OversightRepository {
  async rollup(conn: Conn, p: RollupParams): Promise<(OversightRow & { parentName: string | null })[]> {
    const prefix = startingWith(p.code);
    const asOf = sql`${p.asOf}::date`;
    const dueDays = sql`${p.dueDays}::int`;
    const { rows } = await sql<OversightRow & { parentName: string | null }>`
      WITH v AS (
        SELECT d.code,
               CASE WHEN s.finance_monthly THEN date_trunc('quarter', s.set_at AT TIME ZONE 'Asia/Shanghai')::date END AS monthly_since
          FROM division d LEFT JOIN openness_village_setting s ON s.village_code = d.code
         WHERE d.level = 'village' AND d.code LIKE ${prefix}
      ),
      cf AS (
        SELECT v.code,
               (CASE WHEN v.monthly_since <= date_trunc('quarter', min(d.period_start))::date THEN date_trunc('month', min(d.period_start))
                     ELSE date_trunc('quarter', min(d.period_start)) END)::date AS since
          FROM v JOIN disclosure d ON d.village_code = v.code AND d.kind = 'finance' AND d.series = 'collective_finance'
         GROUP BY v.code, v.monthly_since
      ),
      q AS (
        SELECT x.qs, (x.qs + interval '3 months' - interval '1 day')::date AS qe
          FROM generate_series(0, ${p.quarters - 1}::int) k,
               LATERAL (SELECT (${p.from}::date + make_interval(months => 3 * k))::date AS qs) x
      ),
      slots AS (
        SELECT v.code, 'general'::text AS series, q.qs AS ps, q.qe AS pe FROM v CROSS JOIN q
        UNION ALL
        SELECT v.code, s.series, m.ps, m.pe
          FROM v CROSS JOIN q CROSS JOIN (VALUES ('finance'::text), ('collective_finance'::text)) AS s(series)
          LEFT JOIN cf ON cf.code = v.code
          CROSS JOIN generate_series(0, 2) j
          CROSS JOIN LATERAL (SELECT v.monthly_since <= q.qs AS monthly) c
          CROSS JOIN LATERAL (SELECT CASE WHEN c.monthly THEN (q.qs + make_interval(months => j))::date ELSE q.qs END AS ps) o
          CROSS JOIN LATERAL (
            SELECT o.ps, CASE WHEN c.monthly THEN (o.ps + interval '1 month' - interval '1 day')::date ELSE q.qe END AS pe
          ) m
         WHERE (j = 0 OR c.monthly) AND m.ps <= ${asOf} AND (s.series = 'finance' OR m.ps >= cf.since)
      ),
      pub AS (
        SELECT d.village_code AS code, d.series,
               (CASE WHEN d.series <> 'general' AND v.monthly_since <= date_trunc('quarter', d.period_start)::date
                     THEN date_trunc('month', d.period_start) ELSE date_trunc('quarter', d.period_start) END)::date AS ps
          FROM disclosure d JOIN v ON v.code = d.village_code
         WHERE d.state = 'published' AND d.series IN ('general', 'finance', 'collective_finance')
           AND d.period_start BETWEEN ${p.from}::date AND ${asOf}
           AND d.published_at < (${asOf} + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
         GROUP BY 1, 2, 3
      ),
      per_village AS (
        SELECT s.code,
               count(*) FILTER (WHERE p.code IS NOT NULL) AS published,
               count(*) FILTER (WHERE p.code IS NULL AND ${asOf} > s.pe AND ${asOf} <= s.pe + ${dueDays}) AS due,
               count(*) FILTER (WHERE p.code IS NULL AND ${asOf} > s.pe + ${dueDays}) AS overdue,
               bool_or(p.code IS NULL AND ${asOf} - (s.pe + ${dueDays}) > ${p.longOverdueDays}::int) AS long_overdue
          FROM slots s LEFT JOIN pub p ON p.code = s.code AND p.series = s.series AND p.ps = s.ps
         GROUP BY s.code
      ),
      agg AS (
        SELECT left(v.code, ${p.childLen}::int) AS k, count(*) AS villages, coalesce(sum(pv.published), 0) AS published,
               coalesce(sum(pv.due), 0) AS due, coalesce(sum(pv.overdue), 0) AS overdue,
               count(*) FILTER (WHERE pv.long_overdue) AS long_overdue
          FROM v LEFT JOIN per_village pv ON pv.code = v.code
         GROUP BY 1
      ),
      oq AS (
        SELECT left(village_code, ${p.childLen}::int) AS k, count(*) AS n FROM disclosure_query
         WHERE state = 'open' AND answer_due_at < ${p.queriesDueBefore} AND village_code LIKE ${prefix}
         GROUP BY 1
      )
      SELECT c.code AS "divisionCode", c.name AS "divisionName",
             coalesce(a.villages, 0)::int AS villages, coalesce(a.published, 0)::int AS published,
             coalesce(a.due, 0)::int AS due, coalesce(a.overdue, 0)::int AS overdue,
             coalesce(a.long_overdue, 0)::int AS "villagesLongOverdue", coalesce(oq.n, 0)::int AS "openQueriesOverdue",
             (SELECT name FROM division WHERE code = ${p.code}) AS "parentName"
        FROM division c LEFT JOIN agg a ON a.k = c.code LEFT JOIN oq ON oq.k = c.code
       WHERE CASE WHEN ${p.childLen}::int = ${p.code.length}::int THEN c.code = ${p.code} ELSE c.parent_code = ${p.code} END
       ORDER BY c.code`.execute(dbOf(conn));
    return rows;
  }

  /** The village's finance setting (and the 长治 day it was set) and the period of its first collective_finance disclosure. */
  async villageBasis(conn: Conn, villageCode: string): Promise<VillageBasisRow> {
    const { rows } = await sql<VillageBasisRow>`
      SELECT s.finance_monthly AS "financeMonthly", ${shanghaiDay('s.set_at')} AS "setOn",
             (SELECT min(period_start)::text FROM disclosure
               WHERE kind = 'finance' AND series = 'collective_finance' AND village_code = ${villageCode}) AS "collectiveFirst"
        FROM (SELECT 1) one LEFT JOIN openness_village_setting s ON s.village_code = ${villageCode}`.execute(dbOf(conn));
    return rows[0];
  }

  /** The village's published disclosures that count for a schedule series, from `from`, published on or before `asOf`. */
  published(conn: Conn, villageCode: string, from: string, asOf: string): Promise<PublishedRow[]> {
    return dbOf(conn)
      .selectFrom('disclosure')
      .select([
        'id',
        sql<ScheduleSeries>`series`.as('series'),
        sql<string>`period_start::text`.as('periodStart'),
        sql<Date>`published_at`.as('publishedAt'),
        sql<string>`${shanghaiDay('published_at')}`.as('publishedOn'),
      ])
      .where('state', '=', 'published')
      .where('series', 'is not', null)
      .where('village_code', '=', villageCode)
      .where(sql<boolean>`period_start BETWEEN ${from}::date AND ${asOf}::date`)
      .where(sql<boolean>`published_at < (${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`)
      .orderBy('published_at')
      .execute();
  }

  /**
   * Sets the village's cadence; the value before (null: never set). An unchanged value writes nothing, so the day
   * monthly began (schedule.ts) does not move.
   */
  async setFinanceMonthly(conn: Conn, villageCode: string, financeMonthly: boolean, by: string, at: Date): Promise<boolean | null> {
    const before = await dbOf(conn)
      .selectFrom('openness_village_setting')
      .select('finance_monthly')
      .where('village_code', '=', villageCode)
      .forUpdate()
      .executeTakeFirst();
    if (before?.finance_monthly === financeMonthly) return financeMonthly;
    await dbOf(conn)
      .insertInto('openness_village_setting')
      .values({ village_code: villageCode, finance_monthly: financeMonthly, set_by: by, set_at: at })
      .onConflict((oc) => oc.column('village_code').doUpdateSet({ finance_monthly: financeMonthly, set_by: by, set_at: at }))
      .execute();
    return before?.finance_monthly ?? null;
  }
}
