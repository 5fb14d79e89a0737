import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { isDivisionCode, isWithinAny, levelOfCode, normalizeScopes } from '#divisions';
import { type Actor, ReadCache, ReportingDb, ROLLUP_TOPICS } from '#platform';
import { COMPANY_STATUSES } from './companies.service.js';
import { EconomyErrors } from './economy.errors.js';
import { StatsRepository } from './stats.repository.js';
import type { Rollup, RollupRow } from './views.js';

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
    private readonly repo: StatsRepository,
    private readonly reporting: ReportingDb,
    private readonly cache: ReadCache,
  ) {}

  weakThresholdFen(): Promise<string> {
    return this.repo.weakThresholdFen(this.db);
  }

  async setWeakThreshold(actor: Actor, fen: string): Promise<{ weakThresholdFen: string }> {
    // One value for the whole city: the permission must be held at the city division itself.
    if (!actor.can('economy.settings.write', '1404')) throw EconomyErrors.settingForbidden();
    await this.db.transaction(async (em) => {
      const old = await this.repo.weakThresholdFen(em, true);
      await this.repo.setWeakThresholdFen(em, fen);
      await this.audit.record(em, {
        actor,
        action: 'economy.setting_update',
        targetType: 'economy_setting',
        targetId: 'weak_threshold_fen',
        targetDivision: '1404',
        details: { old, new: fen },
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
    // One round of parallel queries; the weak-village threshold is read inside the organizations' query.
    // A report: the read replica answers when there is one (decision 060).
    // Computed once for every reader until a table of the economy changes (decision 063).
    const [selfName, threshold, children, companies, dividends, orgs, noCompany, unreported] = await this.cache.get(
      `economy-rollup:${code}:${year}`,
      () =>
        this.reporting.read((db) =>
          Promise.all([
            this.repo.divisionName(db, code),
            this.repo.weakThresholdFen(db),
            this.repo.children(db, code),
            this.repo.companies(db, code, childLen, year),
            this.repo.dividends(db, code, childLen, year),
            this.repo.orgs(db, code, childLen, year),
            this.repo.townshipsWithoutCompany(db, code),
            this.repo.unreportedVillages(db, code, year),
          ]),
        ),
      () => [ROLLUP_TOPICS.economy],
    );
    if (selfName === undefined) throw EconomyErrors.divisionOutOfScope();
    const self = { name: selfName };
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
