import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, type ReadConn, startingWith } from '#platform';
import type { CompanyStatus } from './names.js';
import type { UnreportedVillage } from './views.js';

export interface CompanyGroupRow {
  k: string;
  status: CompanyStatus;
  n: number;
  reg: string;
  paid: string;
  revenue: string;
  profit: string;
}

export interface OrgGroupRow {
  k: string;
  n: number;
  withf: number;
  op: string;
  tot: string;
  res: string;
  dist: string;
  villages: number;
  weak: number;
  notweak: number;
  unrep: number;
  weakprev: number;
  unrepprev: number;
}

/**
 * The roll-up's statements: grouped queries over indexed tables (a few thousand rows for the whole
 * city), summed in bigint by PostgreSQL, grouped by the first `childLen` characters of the division.
 * Hand-written: their exact shape is what keeps the roll-up fast (bench:economy).
 */
@Injectable()
export class StatsRepository {
  async weakThresholdFen(conn: ReadConn, forUpdate = false): Promise<string> {
    const q = dbOf(conn).selectFrom('economy_setting').select('value').where('key', '=', 'weak_threshold_fen');
    const r = await (forUpdate ? q.forUpdate() : q).executeTakeFirstOrThrow();
    return r.value;
  }

  async setWeakThresholdFen(conn: Conn, fen: string): Promise<void> {
    await sql`UPDATE economy_setting SET value = ${fen}, updated_at = now() WHERE key = 'weak_threshold_fen'`.execute(dbOf(conn));
  }

  async divisionName(conn: ReadConn, code: string): Promise<string | undefined> {
    return (await dbOf(conn).selectFrom('division').select('name').where('code', '=', code).executeTakeFirst())?.name;
  }

  children(conn: ReadConn, code: string): Promise<{ code: string; name: string }[]> {
    return dbOf(conn).selectFrom('division').select(['code', 'name']).where('parent_code', '=', code).orderBy('code').execute();
  }

  async companies(conn: ReadConn, code: string, childLen: number, year: number): Promise<CompanyGroupRow[]> {
    const { rows } = await sql<CompanyGroupRow>`SELECT left(c.division_code, ${childLen}) AS k, c.status, count(*)::int AS n,
          coalesce(sum(c.registered_capital_fen) FILTER (WHERE c.status <> 'deregistered'), 0)::text AS reg,
          coalesce(sum(c.paid_in_capital_fen) FILTER (WHERE c.status <> 'deregistered'), 0)::text AS paid,
          coalesce(sum(f.revenue_fen), 0)::text AS revenue, coalesce(sum(f.profit_fen), 0)::text AS profit
     FROM platform_company c LEFT JOIN company_year_figures f ON f.company_id = c.id AND f.year = ${year}
    WHERE c.division_code LIKE ${startingWith(code)} GROUP BY 1, 2`.execute(dbOf(conn));
    return rows;
  }

  async dividends(conn: ReadConn, code: string, childLen: number, year: number): Promise<{ k: string; amount: string }[]> {
    const { rows } = await sql<{
      k: string;
      amount: string;
    }>`SELECT left(o.division_code, ${childLen}) AS k, sum(d.amount_fen)::text AS amount
     FROM company_dividend d JOIN collective_org o ON o.id = d.org_id
    WHERE d.year = ${year} AND o.division_code LIKE ${startingWith(code)} GROUP BY 1`.execute(dbOf(conn));
    return rows;
  }

  /** The organizations' figures; the weak-village threshold is read inside the statement. */
  async orgs(conn: ReadConn, code: string, childLen: number, year: number): Promise<OrgGroupRow[]> {
    const { rows } =
      await sql<OrgGroupRow>`SELECT left(o.division_code, ${childLen}) AS k, count(*)::int AS n, count(f.org_id)::int AS withf,
          coalesce(sum(f.operating_income_fen), 0)::text AS op, coalesce(sum(f.total_income_fen), 0)::text AS tot,
          coalesce(sum(f.reserve_fund_fen), 0)::text AS res, coalesce(sum(f.distributed_fen), 0)::text AS dist,
          count(*) FILTER (WHERE o.level = 'village')::int AS villages,
          count(*) FILTER (WHERE o.level = 'village' AND f.operating_income_fen < w.value)::int AS weak,
          count(*) FILTER (WHERE o.level = 'village' AND f.operating_income_fen >= w.value)::int AS notweak,
          count(*) FILTER (WHERE o.level = 'village' AND f.org_id IS NULL)::int AS unrep,
          count(*) FILTER (WHERE o.level = 'village' AND p.operating_income_fen < w.value)::int AS weakprev,
          count(*) FILTER (WHERE o.level = 'village' AND p.org_id IS NULL)::int AS unrepprev
     FROM collective_org o
     CROSS JOIN (SELECT value FROM economy_setting WHERE key = 'weak_threshold_fen') w
     LEFT JOIN org_year_figures f ON f.org_id = o.id AND f.year = ${year}
     LEFT JOIN org_year_figures p ON p.org_id = o.id AND p.year = ${year} - 1
    WHERE o.division_code LIKE ${startingWith(code)} AND o.status = 'active' GROUP BY 1`.execute(dbOf(conn));
    return rows;
  }

  async townshipsWithoutCompany(conn: ReadConn, code: string): Promise<{ code: string; name: string }[]> {
    const { rows } = await sql<{ code: string; name: string }>`SELECT t.code, t.name FROM division t
    WHERE t.level = 'township' AND t.code LIKE ${startingWith(code)}
      AND NOT EXISTS (SELECT 1 FROM platform_company c WHERE c.division_code = t.code AND c.level = 'township' AND c.status <> 'deregistered')
    ORDER BY t.code`.execute(dbOf(conn));
    return rows;
  }

  async unreportedVillages(conn: ReadConn, code: string, year: number): Promise<UnreportedVillage[]> {
    const { rows } =
      await sql<UnreportedVillage>`SELECT o.division_code AS "divisionCode", v.name AS "divisionName", t.name AS "townshipName",
          o.id AS "orgId", o.name AS "orgName"
     FROM collective_org o
     JOIN division v ON v.code = o.division_code
     JOIN division t ON t.code = v.parent_code
    WHERE o.division_code LIKE ${startingWith(code)} AND o.level = 'village' AND o.status = 'active'
      AND NOT EXISTS (SELECT 1 FROM org_year_figures f WHERE f.org_id = o.id AND f.year = ${year})
    ORDER BY o.division_code`.execute(dbOf(conn));
    return rows;
  }
}
