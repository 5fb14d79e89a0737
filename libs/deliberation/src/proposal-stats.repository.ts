import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { dbOf, type ReadConn, startingWith } from '#platform';

export interface StatsUnitRow {
  code: string;
  name: string;
  /** Proposals by state (absent states: none). */
  states: Record<string, number> | null;
  votes: number | null;
  electorate: number | null;
  participants: number | null;
  is_scope: boolean;
}

/** 议事统计's report query: counts only, never an open vote's choices. */
@Injectable()
export class ProposalStatsRepository {
  /**
   * The scope division (is_scope) and its units (its children, or the village itself), each with its
   * proposals by state and its closed decision votes' denominators and participants; a unit is the
   * first `unitLength` characters of the village code.
   */
  async units(conn: ReadConn, code: string, unitLength: number, village: boolean): Promise<StatsUnitRow[]> {
    const units = village ? sql`code = ${code}` : sql`parent_code = ${code}`;
    const prefix = startingWith(code);
    const r = await sql<StatsUnitRow>`WITH units AS (
              SELECT code, name, false AS is_scope FROM division WHERE ${units}
              UNION ALL SELECT code, name, true FROM division WHERE code = ${code}),
            -- MATERIALIZED: counted once, not once per unit (inlined, the city's 100,000 proposals were
            -- scanned for each of its 12 counties; docs/performance.md, "City scale").
            p AS MATERIALIZED (SELECT left(village_code, ${unitLength}) AS unit, status, count(*)::int AS n
                    FROM proposal WHERE village_code LIKE ${prefix} GROUP BY 1, 2),
            t AS (SELECT left(pr.village_code, ${unitLength}) AS unit, count(*)::int AS votes, sum(v.electorate)::int AS electorate,
                         sum(v.participants)::int AS participants
                    FROM vote v JOIN proposal pr ON pr.id = v.proposal_id
                   WHERE pr.village_code LIKE ${prefix} AND v.purpose = 'decision' AND v.status = 'closed' GROUP BY 1)
       SELECT u.code, u.name, u.is_scope,
              (SELECT json_object_agg(p.status, p.n) FROM p WHERE p.unit = u.code) AS states,
              t.votes, t.electorate, t.participants
         FROM units u LEFT JOIN t ON t.unit = u.code AND NOT u.is_scope
        ORDER BY u.is_scope, u.code`.execute(dbOf(conn));
    return r.rows;
  }
}
