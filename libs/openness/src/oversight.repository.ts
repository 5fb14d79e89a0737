import { Injectable } from '@nestjs/common';
import { type RawBuilder, sql } from 'kysely';
import { type Conn, dbOf, type ReadConn, startingWith } from '#platform';
import type { ScheduleSeries } from './names.js';
import type { SlotMonths } from './schedule.js';
import type { OversightRow } from './views.js';

export interface RollupParams {
  /** The division asked for; rows are its children (or itself, for a village). */
  code: string;
  childLen: number;
  from: string;
  asOf: string;
  /** Month numbers (schedule.ts monthNumber): the first period's month, and the months a slot must end before to be ended, past its due day, past it by more than the long-overdue days. */
  months: SlotMonths;
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

/** A month number past any schedule: monthly never begins. */
const NEVER = 1_000_000;

/** The 长治 calendar day of a timestamptz column, as text. */
const shanghaiDay = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`);

/**
 * How many of a series' slots end before a month (the slots' last months), for a village whose slots of the series
 * start at month `a` (null: none) and are monthly from month `m` on (quarterly before; 1000000: never): the
 * quarters from `a` to `m` that end before it, and the months from the later of `m` and `a` that do. Months are
 * schedule.ts's month numbers; `a` and `m` are quarters' first months except a collective series that begins in
 * a monthly quarter, where no quarter is counted. (greatest and least skip NULLs: hence the CASE.)
 */
const slotsEndingBefore = (a: string, m: string, before: RawBuilder<unknown>) =>
  sql`CASE WHEN ${sql.raw(a)} IS NULL THEN 0
        ELSE greatest(0, (least(${sql.raw(m)}, ${before} - 2) - ${sql.raw(a)} + 2) / 3) + greatest(0, ${before} - greatest(${sql.raw(m)}, ${sql.raw(a)})) END`;

/** The month number (schedule.ts) of a date expression. */
const monthOf = (col: string) => sql.raw(`(date_part('year', ${col}) * 12 + date_part('month', ${col}) - 1)::int`);

/**
 * The schedule's statements. The roll-up is one statement over the villages under the division, each with its
 * cadence (monthly from a quarter, or never) and the slot of its first collective_finance disclosure:
 * - the slots are counted, not built: per series, the number of slots that end before the as-of day's month
 *   (ended), before the month of the as-of day less the due days (overdue once unmet) and before that less the
 *   long-overdue days — arithmetic on month numbers (slotsEndingBefore), exact because every period is a whole
 *   month or quarter and a slot's status depends only on its last day;
 * - the met slots are counted from the village's published disclosures (one index-only scan per village of
 *   disclosure_published_slot_idx): each mapped to its series and slot, identified by the slot's last month,
 *   distinct, and counted by the same three months;
 * - due = ended − overdue-class slots, less the met ones among them; overdue = overdue-class slots less the met
 *   ones; a village is long overdue when it has more long-overdue-class slots than met ones among them.
 * It applies schedule.ts's rules; test/e2e/openness-oversight.e2e-spec.ts checks that both agree, on varied data.
 * The villages are the outer side of a nested loop (a MATERIALIZED CTE: computed once, its cadence a constant in
 * each village's scan). It reads the shared division tree directly, as economy's roll-up does. Before (a
 * generate_series of every slot LEFT JOIN the published disclosures grouped by slot) the city took ~245 ms;
 * docs/performance.md has the figures.
 */
@Injectable()
export class OversightRepository {
  async rollup(conn: ReadConn, p: RollupParams): Promise<(OversightRow & { parentName: string | null })[]> {
    const prefix = startingWith(p.code);
    const { from, ended, overdue, longOverdue } = {
      from: sql`${p.months.from}::int`,
      ended: sql`${p.months.endedBefore}::int`,
      overdue: sql`${p.months.overdueBefore}::int`,
      longOverdue: sql`${p.months.longOverdueBefore}::int`,
    };
    const count = (before: RawBuilder<unknown>) =>
      sql`(${slotsEndingBefore('pv.from_month', `${NEVER}`, before)} + ${slotsEndingBefore('pv.from_month', 'pv.m', before)}
          + ${slotsEndingBefore('pv.cf_month', 'pv.m', before)})`;
    const { rows } = await sql<OversightRow & { parentName: string | null }>`
      WITH v AS MATERIALIZED (
        SELECT d.code, x.monthly_since, coalesce(${monthOf('x.monthly_since')}, ${NEVER}) AS m
          FROM division d LEFT JOIN openness_village_setting s ON s.village_code = d.code
         CROSS JOIN LATERAL (
           SELECT CASE WHEN s.finance_monthly THEN date_trunc('quarter', s.set_at AT TIME ZONE 'Asia/Shanghai')::date END AS monthly_since
         ) x
         WHERE d.level = 'village' AND d.code LIKE ${prefix}
      ),
      pv AS (
        SELECT v.code, v.m, ${from} AS from_month, cf.a AS cf_month, met.*
          FROM v
         CROSS JOIN LATERAL (
           SELECT CASE WHEN z.f IS NOT NULL THEN greatest(${from}, CASE WHEN v.m <= z.f - z.f % 3 THEN z.f ELSE z.f - z.f % 3 END) END AS a
             FROM (SELECT ${monthOf('min(period_start)')} AS f FROM disclosure
                    WHERE village_code = v.code AND kind = 'finance' AND series = 'collective_finance') z
         ) cf
         CROSS JOIN LATERAL (
           SELECT count(*) AS published, count(*) FILTER (WHERE slot.e < ${ended}) AS met_ended,
                  count(*) FILTER (WHERE slot.e < ${overdue}) AS met_overdue, count(*) FILTER (WHERE slot.e < ${longOverdue}) AS met_long
             FROM (
               SELECT DISTINCT CASE WHEN d.series <> 'general' AND d.period_start >= v.monthly_since THEN x.pm ELSE x.pm - x.pm % 3 + 2 END * 3
                        + CASE d.series WHEN 'general' THEN 0 WHEN 'finance' THEN 1 ELSE 2 END AS k
                 FROM disclosure d
                CROSS JOIN LATERAL (SELECT ${monthOf('d.period_start')} AS pm) x
                WHERE d.village_code = v.code AND d.state = 'published' AND d.series IS NOT NULL
                  AND d.period_start BETWEEN ${p.from}::date AND ${p.asOf}::date
                  AND d.published_at < (${p.asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
             ) k CROSS JOIN LATERAL (SELECT k.k / 3 AS e) slot
         ) met
      ),
      per_village AS (
        SELECT pv.code, pv.published,
               ${count(ended)} - ${count(overdue)} - (pv.met_ended - pv.met_overdue) AS due,
               ${count(overdue)} - pv.met_overdue AS overdue,
               ${count(longOverdue)} > pv.met_long AS long_overdue
          FROM pv
      ),
      agg AS (
        SELECT left(code, ${p.childLen}::int) AS k, count(*) AS villages, sum(published) AS published, sum(due) AS due,
               sum(overdue) AS overdue, count(*) FILTER (WHERE long_overdue) AS long_overdue
          FROM per_village
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
