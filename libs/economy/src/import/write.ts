/**
 * The write: the plan's steps inside the import's one transaction, each under a savepoint so that a
 * row the database refuses (scope, a taken credit code, a locked year…) is reported and undone while
 * the rest is still checked. The caller commits only when no row failed and this is not a preview.
 */
import type { EntityManager } from 'typeorm';
import { type Actor, DomainError } from '#platform';
import type { CompaniesService } from '../companies.service.js';
import { Savepoints } from '../import-jobs.repository.js';
import type { OrgsService, SaveOutcome } from '../orgs.service.js';
import { idsByCode } from '../registry.repository.js';
import type { ImportKind } from '../sheets.js';
import type { KindCounts } from '../views.js';
import type { SourceRow } from './parse.js';
import { type CompanyYear, decideCompanyYear, type ImportPlan, type ShareholderEntry, type Step } from './plan.js';
import type { RowErrors } from './validate.js';

export interface WriteDeps {
  orgs: OrgsService;
  companies: CompaniesService;
}

/** Credit code → id for every code the file names: one statement per registry. */
export async function lookUpCodes(
  em: EntityManager,
  orgCodes: readonly string[],
  companyCodes: readonly string[],
): Promise<{ orgIds: Map<string, string>; companyIds: Map<string, string> }> {
  return {
    orgIds: await idsByCode(em, 'collective_org', orgCodes),
    companyIds: await idsByCode(em, 'platform_company', companyCodes),
  };
}

export class ImportWriter {
  private sp = 0;
  /** Outcomes per table; a company year counts once, under the table it is counted under. */
  readonly counts: Partial<Record<ImportKind, KindCounts>> = {};
  private readonly failedShareholders: Set<string>;

  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
    private readonly deps: WriteDeps,
    private readonly errors: RowErrors,
    /** Credit code → id, the stored ones first; records the file creates are added as they are written. */
    private readonly ids: { orgIds: Map<string, string>; companyIds: Map<string, string> },
    plan: ImportPlan,
  ) {
    this.failedShareholders = new Set(plan.failedShareholders);
  }

  count(kind: ImportKind, outcome: SaveOutcome | null): void {
    const c = (this.counts[kind] ??= { created: 0, updated: 0, unchanged: 0 });
    if (outcome) c[outcome]++;
  }

  /** Runs `fn` under a savepoint: a domain error becomes a row error and the step's writes are undone. */
  private async guarded<T>(r: SourceRow, kind: ImportKind, field: string, fn: () => Promise<T>): Promise<T | null> {
    const name = `row_${++this.sp}`;
    await Savepoints.begin(this.em, name);
    try {
      const out = await fn();
      await Savepoints.release(this.em, name);
      return out;
    } catch (e) {
      await Savepoints.rollbackTo(this.em, name);
      if (e instanceof DomainError) {
        this.errors.addDomain(r, kind, field, e);
        return null;
      }
      throw e;
    }
  }

  async step(s: Step): Promise<void> {
    switch (s.kind) {
      case 'orgs':
        return this.count('orgs', await this.org(s.row, s.rec));
      case 'companies':
        return this.count('companies', await this.company(s.row, s.rec));
      case 'shareholders':
        return this.shareholders(s.companyCode, s.entries);
      case 'org_figures':
        return this.count('org_figures', await this.orgFigures(s));
      case 'company_year':
        return this.companyYear(s.year);
    }
  }

  private async org(r: SourceRow, rec: Extract<Step, { kind: 'orgs' }>['rec']): Promise<SaveOutcome | null> {
    const saved = await this.guarded(r, 'orgs', 'creditCode', async () => {
      const dbErrs = await this.deps.orgs.checkAgainstDb(this.em, this.actor, rec, this.ids.orgIds.get(rec.creditCode) ?? null);
      for (const e of dbErrs) this.errors.addDomain(r, 'orgs', e.field, e.error);
      if (dbErrs.length) return null;
      return this.deps.orgs.save(this.em, this.actor, rec, null, { matchByCode: true });
    });
    if (saved) this.ids.orgIds.set(rec.creditCode, saved.id);
    return saved?.outcome ?? null;
  }

  private async company(r: SourceRow, rec: Extract<Step, { kind: 'companies' }>['rec']): Promise<SaveOutcome | null> {
    const saved = await this.guarded(r, 'companies', 'creditCode', async () => {
      const dbErrs = await this.deps.companies.checkAgainstDb(this.em, this.actor, rec, this.ids.companyIds.get(rec.creditCode) ?? null);
      for (const e of dbErrs) this.errors.addDomain(r, 'companies', e.field, e.error);
      if (dbErrs.length) return null;
      return this.deps.companies.save(this.em, this.actor, rec, null, { matchByCode: true });
    });
    if (saved) this.ids.companyIds.set(rec.creditCode, saved.id);
    return saved?.outcome ?? null;
  }

  private async orgFigures(s: Extract<Step, { kind: 'org_figures' }>): Promise<SaveOutcome | null> {
    const id = this.ids.orgIds.get(s.orgCode);
    if (!id) return null; // its own row failed when written: reported there
    const org = await this.guarded(s.row, 'org_figures', 'orgCode', () =>
      this.deps.orgs.findForUpdate(this.em, this.actor, id, 'economy.org.write'),
    );
    if (!org) return null;
    return this.guarded(s.row, 'org_figures', 'year', () => this.deps.orgs.saveFigures(this.em, this.actor, org, s.year, s.figures));
  }

  private async companyFor(code: string, r: SourceRow, kind: ImportKind) {
    const id = this.ids.companyIds.get(code);
    if (!id) return null; // its own row failed when written: reported there
    return this.guarded(r, kind, 'companyCode', () => this.deps.companies.findForUpdate(this.em, this.actor, id, 'economy.company.write'));
  }

  private async shareholders(code: string, entries: ShareholderEntry[]): Promise<void> {
    const list = entries.map((e) => ({
      orgId: e.orgCode === null ? null : this.ids.orgIds.get(e.orgCode),
      holderName: e.holderName,
      contributionFen: e.contributionFen,
      shareBp: e.shareBp,
    }));
    if (list.some((s) => s.orgId === undefined)) {
      this.failedShareholders.add(code); // a holder's own row failed when written
      return;
    }
    const company = await this.companyFor(code, entries[0].row, 'shareholders');
    if (!company) return;
    const input = list.map((s) => ({ ...s, orgId: s.orgId ?? null, holderName: s.holderName ?? '' }));
    const errs = await this.deps.companies.checkShareholders(this.em, company, input);
    for (const e of errs) this.errors.addDomain(entries[e.index].row, 'shareholders', e.field === 'orgId' ? 'orgCode' : e.field, e.error);
    if (errs.length) {
      this.failedShareholders.add(code);
      return;
    }
    this.count(
      'shareholders',
      await this.guarded(entries[0].row, 'shareholders', 'companyCode', () =>
        this.deps.companies.saveShareholders(this.em, this.actor, company, input),
      ),
    );
  }

  private async companyYear(y: CompanyYear): Promise<void> {
    const company = await this.companyFor(y.companyCode, y.first, y.table);
    if (!company) return;
    const [stored] = await this.deps.companies.figuresOf(this.em, company.id, y.year);
    const holders = new Set((await this.deps.companies.shareholdersOf(this.em, company.id)).map((s) => s.orgId));
    const d = decideCompanyYear(y, this.ids.orgIds, stored, holders, this.failedShareholders.has(y.companyCode));
    if ('skip' in d) return;
    if ('errors' in d) {
      for (const e of d.errors) this.errors.add(e.row, e.kind, e.field, e.error.code, e.error.message);
      return;
    }
    const outcome = await this.guarded(y.first, y.table, 'year', () =>
      this.deps.companies.saveFigures(this.em, this.actor, company, y.year, d.write),
    );
    if (outcome) this.count(y.table, outcome);
  }
}
