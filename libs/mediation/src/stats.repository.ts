import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { dbOf, type ReadConn, startingWith } from '#platform';
import { CASE_SOURCES, type CaseSource, DISPUTE_TYPES, type DisputeType } from './names.js';
import type { StatsGroupBy } from './views.js';

export type Rollup = 'committee_month' | 'committee_year' | 'county_month';

/** One unit's sums over the period's rollup cells. */
export interface StatsSums {
  unit: string;
  received: number;
  agreed: number;
  terminated: number;
  declined: number;
  onTime: number;
  escalated: number;
  overdue: number;
  /** numeric: exact, as text. */
  concludedDays: string;
  byType: Record<DisputeType, number>;
  bySource: Record<CaseSource, number>;
}

/** The unit a row is summed under, per grouping (a committee, its township or county, or the month). */
const UNIT = {
  committee: sql<string>`m.unit_code`,
  township: sql<string>`left(m.unit_code, 9)`,
  county: sql<string>`left(m.unit_code, 6)`,
  month: sql<string>`to_char(m.period_start, 'YYYY-MM')`,
} satisfies Record<StatsGroupBy, unknown>;

const sumOf = (column: string) => sql<number>`sum(${sql.ref(`m.${column}`)})::int`;

/** The trigger-maintained rollups of mediation_stats_cell (see the migration). */
@Injectable()
export class StatsRepository {
  /** Per unit, the cells of `rollup` under `divisionCode` in [from, to), units that received nothing left out. */
  async sums(conn: ReadConn, rollup: Rollup, groupBy: StatsGroupBy, divisionCode: string, from: string, to: string): Promise<StatsSums[]> {
    const unit = UNIT[groupBy];
    const rows = await dbOf(conn)
      .selectFrom('mediation_stats_cell as m')
      .select([
        unit.as('unit'),
        sumOf('received').as('received'),
        sumOf('agreed').as('agreed'),
        sumOf('terminated').as('terminated'),
        sumOf('declined').as('declined'),
        sumOf('on_time').as('onTime'),
        sumOf('escalated').as('escalated'),
        sumOf('overdue').as('overdue'),
        sql<string>`sum(m.concluded_days)::text`.as('concludedDays'),
        sql<number[]>`ARRAY[${sql.join(DISPUTE_TYPES.map((t) => sumOf(`type_${t}`)))}]`.as('types'),
        sql<number[]>`ARRAY[${sql.join(CASE_SOURCES.map((s) => sumOf(`source_${s}`)))}]`.as('sources'),
      ])
      .where('m.rollup', '=', rollup)
      .where('m.unit_code', 'like', startingWith(divisionCode))
      .where('m.period_start', '>=', sql<Date>`${from}::date`)
      .where('m.period_start', '<', sql<Date>`${to}::date`)
      .groupBy(sql`1`)
      .having(sql`sum(m.received)`, '>', 0)
      .orderBy(sql`1`)
      .execute();
    return rows.map(({ types, sources, ...r }) => ({
      ...r,
      byType: countsBy(DISPUTE_TYPES, types),
      bySource: countsBy(CASE_SOURCES, sources),
    }));
  }
}

/** A record of the keys' counts from an array in the keys' order. */
function countsBy<K extends string>(keys: readonly K[], counts: readonly number[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  keys.forEach((k, i) => (out[k] = Number(counts[i] ?? 0)));
  return out;
}
