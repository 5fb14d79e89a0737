import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { isDivisionCode, isWithinAny, levelOfCode, normalizeScopes } from '#divisions';
import { type Actor, queryRows } from '#platform';
import { COMPANY_STATUSES, type CompanyStatus } from './companies.service.js';
import { EconomyErrors } from './economy.errors.js';
import type { Rollup, RollupRow, UnreportedVillage } from './views.js';

export type { Rollup, RollupRow, UnreportedVillage } from './views.js';

const CHILD_LENGTH: Record<number, number> = { 4: 6, 6: 9, 9: 12, 12: 12 };

function emptyRow(code: string, name: string): RollupRow {
  return {
    divisionCode: code,
    divisionName: name,
    companies: { total: 0, preparing: 0, operating: 0, suspended: 0, deregistered: 0 },
    registeredCapitalFen: '0',
    paidInCapitalFen: '0',
    revenueFen: '0',
    profitFen: '0',
    dividendsToVillagesFen: '0',
    orgs: 0,
    orgsWithFigures: 0,
    operatingIncomeFen: '0',
    totalIncomeFen: '0',
    reserveFundFen: '0',
    distributedFen: '0',
    villageOrgs: 0,
    weakVillages: 0,
    notWeakVillages: 0,
    unreportedVillages: 0,
    weakVillagesLastYear: 0,
    unreportedVillagesLastYear: 0,
    weakChange: 0,
  };
}

const MONEY_KEYS = [
  'registeredCapitalFen',
  'paidInCapitalFen',
  'revenueFen',
  'profitFen',
  'dividendsToVillagesFen',
  'operatingIncomeFen',
  'totalIncomeFen',
  'reserveFundFen',
  'distributedFen',
] as const;
const COUNT_KEYS = [
  'orgs',
  'orgsWithFigures',
  'villageOrgs',
  'weakVillages',
  'notWeakVillages',
  'unreportedVillages',
  'weakVillagesLastYear',
  'unreportedVillagesLastYear',
  'weakChange',
] as const;

/**
 * Roll-ups for a year by township, county or city: four grouped queries over indexed tables (a few
 * thousand rows for the whole city), summed in bigint by PostgreSQL; no per-row round trips.
 */
@Injectable()
export class EconomyStatsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async weakThresholdFen(): Promise<string> {
    const [r] = await queryRows<{ value: string }>(
      this.db,
      `SELECT value::text AS value FROM economy_setting WHERE key = 'weak_threshold_fen'`,
    );
    return r.value;
  }

  async setWeakThreshold(actor: Actor, fen: string): Promise<{ weakThresholdFen: string }> {
    // One value for the whole city: the permission must be held at the city division itself.
    if (!actor.can('economy.settings.write', '1404')) throw EconomyErrors.settingForbidden();
    await this.db.transaction(async (em) => {
      const [old] = await queryRows<{ value: string }>(
        em,
        `SELECT value::text AS value FROM economy_setting WHERE key = 'weak_threshold_fen' FOR UPDATE`,
      );
      await em.query(`UPDATE economy_setting SET value = $1, updated_at = now() WHERE key = 'weak_threshold_fen'`, [fen]);
      await this.audit.record(em, {
        actor,
        action: 'economy.setting_update',
        targetType: 'economy_setting',
        targetId: 'weak_threshold_fen',
        targetDivision: '1404',
        details: { old: old.value, new: fen },
      });
    });
    return { weakThresholdFen: fen };
  }

  /** The division to roll up: the one asked for if inside the caller's scope, else the caller's own (single) scope. */
  resolveDivision(actor: Actor, divisionCode?: string): string {
    const scopes = normalizeScopes(actor.scopesFor('economy.stats.read'));
    const code = divisionCode ?? scopes[0];
    if (!code || !isDivisionCode(code) || levelOfCode(code) === 'village' || !isWithinAny(code, scopes))
      throw EconomyErrors.divisionOutOfScope();
    return code;
  }

  async rollup(actor: Actor, year: number, divisionCode?: string): Promise<Rollup> {
    const code = this.resolveDivision(actor, divisionCode);
    return this.compute(code, year);
  }

  async compute(code: string, year: number): Promise<Rollup> {
    const childLen = CHILD_LENGTH[code.length];
    const prefix = `${code}%`;
    // One round of parallel queries; the weak-village threshold is read inside the organizations' query.
    const [selfRows, threshold, children, companies, dividends, orgs, noCompany, unreported] = await Promise.all([
      queryRows<{ name: string }>(this.db, `SELECT name FROM division WHERE code = $1`, [code]),
      this.weakThresholdFen(),
      queryRows<{ code: string; name: string }>(this.db, `SELECT code, name FROM division WHERE parent_code = $1 ORDER BY code`, [code]),
      queryRows<{ k: string; status: CompanyStatus; n: number; reg: string; paid: string; revenue: string; profit: string }>(
        this.db,
        `SELECT left(c.division_code, $2) AS k, c.status, count(*)::int AS n,
                coalesce(sum(c.registered_capital_fen) FILTER (WHERE c.status <> 'deregistered'), 0)::text AS reg,
                coalesce(sum(c.paid_in_capital_fen) FILTER (WHERE c.status <> 'deregistered'), 0)::text AS paid,
                coalesce(sum(f.revenue_fen), 0)::text AS revenue, coalesce(sum(f.profit_fen), 0)::text AS profit
           FROM platform_company c LEFT JOIN company_year_figures f ON f.company_id = c.id AND f.year = $3
          WHERE c.division_code LIKE $1 GROUP BY 1, 2`,
        [prefix, childLen, year],
      ),
      queryRows<{ k: string; amount: string }>(
        this.db,
        `SELECT left(o.division_code, $2) AS k, sum(d.amount_fen)::text AS amount
           FROM company_dividend d JOIN collective_org o ON o.id = d.org_id
          WHERE d.year = $3 AND o.division_code LIKE $1 GROUP BY 1`,
        [prefix, childLen, year],
      ),
      queryRows<{
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
      }>(
        this.db,
        `SELECT left(o.division_code, $2) AS k, count(*)::int AS n, count(f.org_id)::int AS withf,
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
           LEFT JOIN org_year_figures f ON f.org_id = o.id AND f.year = $3
           LEFT JOIN org_year_figures p ON p.org_id = o.id AND p.year = $3 - 1
          WHERE o.division_code LIKE $1 AND o.status = 'active' GROUP BY 1`,
        [prefix, childLen, year],
      ),
      queryRows<{ code: string; name: string }>(
        this.db,
        `SELECT t.code, t.name FROM division t
          WHERE t.level = 'township' AND t.code LIKE $1
            AND NOT EXISTS (SELECT 1 FROM platform_company c WHERE c.division_code = t.code AND c.level = 'township' AND c.status <> 'deregistered')
          ORDER BY t.code`,
        [prefix],
      ),
      queryRows<UnreportedVillage>(
        this.db,
        `SELECT o.division_code AS "divisionCode", v.name AS "divisionName", t.name AS "townshipName", o.id AS "orgId", o.name AS "orgName"
           FROM collective_org o
           JOIN division v ON v.code = o.division_code
           JOIN division t ON t.code = v.parent_code
          WHERE o.division_code LIKE $1 AND o.level = 'village' AND o.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM org_year_figures f WHERE f.org_id = o.id AND f.year = $2)
          ORDER BY o.division_code`,
        [prefix, year],
      ),
    ]);
    const self = selfRows[0];
    if (!self) throw EconomyErrors.divisionOutOfScope();
    const rows = new Map<string, RollupRow>();
    const rowFor = (k: string): RollupRow => {
      let r = rows.get(k);
      if (!r) {
        r = emptyRow(k, k === code ? `${self.name}（本级）` : (children.find((c) => c.code === k)?.name ?? k));
        rows.set(k, r);
      }
      return r;
    };
    for (const c of children) rowFor(c.code);
    const add = (a: string, b: string) => (BigInt(a) + BigInt(b)).toString();
    for (const c of companies) {
      const r = rowFor(c.k);
      r.companies[c.status] += c.n;
      r.companies.total += c.n;
      r.registeredCapitalFen = add(r.registeredCapitalFen, c.reg);
      r.paidInCapitalFen = add(r.paidInCapitalFen, c.paid);
      r.revenueFen = add(r.revenueFen, c.revenue);
      r.profitFen = add(r.profitFen, c.profit);
    }
    for (const d of dividends) rowFor(d.k).dividendsToVillagesFen = d.amount;
    for (const o of orgs) {
      const r = rowFor(o.k);
      Object.assign(r, {
        orgs: o.n,
        orgsWithFigures: o.withf,
        operatingIncomeFen: o.op,
        totalIncomeFen: o.tot,
        reserveFundFen: o.res,
        distributedFen: o.dist,
        villageOrgs: o.villages,
        weakVillages: o.weak,
        notWeakVillages: o.notweak,
        unreportedVillages: o.unrep,
        weakVillagesLastYear: o.weakprev,
        unreportedVillagesLastYear: o.unrepprev,
        weakChange: o.weak - o.weakprev,
      });
    }
    const list = [...rows.values()].sort((a, b) => a.divisionCode.localeCompare(b.divisionCode));
    const total = emptyRow(code, self.name);
    for (const r of list) {
      for (const s of [...COMPANY_STATUSES, 'total'] as const) total.companies[s] += r.companies[s];
      for (const k of MONEY_KEYS) total[k] = add(total[k], r[k]);
      for (const k of COUNT_KEYS) total[k] += r[k];
    }
    return {
      year,
      divisionCode: code,
      divisionName: self.name,
      weakThresholdFen: threshold,
      total,
      rows: list,
      townshipsWithoutCompany: noCompany,
      unreportedVillages: unreported,
    };
  }
}
