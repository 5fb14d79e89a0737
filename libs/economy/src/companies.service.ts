import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Conn, type Page, type Permission, type ReadConn } from '#platform';
import { CompaniesRepository } from './companies.repository.js';
import { creditCodeError, normalizeCreditCode } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import type { ChangeView } from './history.js';
import { HistoryRepository } from './history.repository.js';
import { bpToPercent } from './money.js';
import {
  checkPlacement,
  type FieldError,
  findRecord,
  type Journal,
  journalOf,
  type JournalDeps,
  listAllRecords,
  listRecords,
  type Registry,
  type RegistryKind,
  type SaveOutcome,
  saveRecord,
  withLockedRecord,
  withLockFlags,
  withPatch,
} from './registry-common.js';
import { ALLIANCE_KIND_NAMES } from './names.js';
import { YearLocksService } from './year-locks.js';
import type {
  AllianceInput,
  AllianceView,
  CompanyFigures,
  CompanyRecord,
  CompanyView,
  ShareholderInput,
  ShareholderView,
} from './views.js';
export type {
  AllianceInput,
  AllianceView,
  CompanyFigures,
  CompanyRecord,
  CompanyView,
  ShareholderInput,
  ShareholderView,
} from './views.js';

export {
  ALLIANCE_KIND_NAMES,
  type AllianceKind,
  COMPANY_LEVEL_NAMES,
  type CompanyLevel,
  COMPANY_STATUS_NAMES,
  COMPANY_STATUSES,
  type CompanyStatus,
} from './names.js';

export const companyRecordOf = (v: CompanyRecord): CompanyRecord => ({
  level: v.level,
  divisionCode: v.divisionCode,
  name: v.name,
  creditCode: v.creditCode,
  legalRep: v.legalRep,
  registeredCapitalFen: v.registeredCapitalFen,
  paidInCapitalFen: v.paidInCapitalFen,
  foundedOn: v.foundedOn ?? null,
  businessScope: v.businessScope ?? null,
  status: v.status,
});

/** Checks of a record that need no database: the credit code, paid-in within registered capital. */
export function companyInputErrors(input: CompanyRecord): FieldError[] {
  const errs: FieldError[] = [];
  const cc = creditCodeError(input.creditCode);
  if (cc) errs.push({ field: 'creditCode', error: cc });
  if (BigInt(input.paidInCapitalFen) > BigInt(input.registeredCapitalFen))
    errs.push({ field: 'paidInCapitalFen', error: EconomyErrors.paidInOverRegistered() });
  return errs;
}

const COMPANIES: RegistryKind<CompanyRecord, CompanyView> = {
  table: 'platform_company',
  entityType: 'company',
  readPermission: 'economy.company.read',
  writePermission: 'economy.company.write',
  auditPrefix: 'economy.company',
  notFound: EconomyErrors.companyNotFound,
  divisionInvalid: EconomyErrors.companyDivisionInvalid,
  recordOf: companyRecordOf,
};

/** Platform companies (平台公司): registry record, shareholders, industry alliance, yearly figures and dividends. */
@Injectable()
export class CompaniesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly locks: YearLocksService,
    private readonly repo: CompaniesRepository,
    private readonly historyRepo: HistoryRepository,
  ) {
    this.registry = { ...COMPANIES, store: repo };
    this.deps = { clock, audit, history: historyRepo };
  }

  private readonly registry: Registry<CompanyRecord, CompanyView>;
  private readonly deps: JournalDeps;

  checkInput(input: CompanyRecord): FieldError[] {
    return companyInputErrors(input);
  }

  checkAgainstDb(em: EntityManager, actor: Actor, input: CompanyRecord, selfId: string | null): Promise<FieldError[]> {
    return checkPlacement(em, COMPANIES, actor, input, input.level, selfId);
  }

  async save(
    em: EntityManager,
    actor: Actor,
    input: CompanyRecord,
    selfId: string | null,
    opts: { isDemo?: boolean; matchByCode?: boolean } = {},
  ): Promise<{ id: string; outcome: SaveOutcome }> {
    const rec: CompanyRecord = {
      ...companyRecordOf(input),
      creditCode: normalizeCreditCode(input.creditCode),
      name: input.name.trim(),
      legalRep: input.legalRep.trim(),
    };
    return saveRecord({ em, actor, deps: this.deps, registry: this.registry, rules: this, rec, selfId, ...opts });
  }

  async create(actor: Actor, input: CompanyRecord) {
    const id = await inTransaction(this.db, async (em) => (await this.save(em, actor, input, null)).id);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<CompanyRecord, 'level' | 'divisionCode'>>) {
    await withLockedRecord(this.db, this.registry, actor, id, (em, c) => this.save(em, actor, withPatch(companyRecordOf(c), patch), id));
    return this.get(actor, id);
  }

  findForUpdate(em: EntityManager, actor: Actor, id: string, permission: Permission): Promise<CompanyView> {
    return findRecord(em, this.registry, actor, id, permission, true);
  }

  private find(actor: Actor, id: string): Promise<CompanyView> {
    return findRecord(this.db, this.registry, actor, id, COMPANIES.readPermission, false);
  }

  private journal(em: EntityManager, actor: Actor, target: { id: string; divisionCode: string }): Journal {
    return journalOf(em, actor, this.deps, COMPANIES, target);
  }

  async get(
    actor: Actor,
    id: string,
  ): Promise<CompanyView & { shareholders: ShareholderView[]; alliance: AllianceView[]; history: ChangeView[] }> {
    const c = await this.find(actor, id);
    return {
      ...c,
      shareholders: await this.shareholdersOf(this.db, id),
      alliance: await this.allianceOf(this.db, id),
      history: await this.historyRepo.of(this.db, 'company', id),
    };
  }

  list(
    actor: Actor,
    q: { divisionCode?: string; status?: string; level?: string; q?: string; page: number; pageSize: number },
  ): Promise<Page<CompanyView>> {
    return listRecords(this.db, this.registry, actor, q);
  }

  /** `conn`: an export passes the reporting connection (ReportingDb). */
  listAll(actor: Actor, divisionCode?: string, conn: ReadConn = this.db): Promise<CompanyView[]> {
    return listAllRecords(conn, this.registry, actor, divisionCode);
  }

  async history(actor: Actor, id: string): Promise<ChangeView[]> {
    await this.find(actor, id);
    return this.historyRepo.of(this.db, 'company', id);
  }

  // ---------- shareholders ----------

  shareholdersOf(conn: Conn, companyId: string): Promise<ShareholderView[]> {
    return this.repo.shareholders(conn, companyId);
  }

  /** Problems of a whole shareholder list: duplicates, organizations outside the company's area, over 100 %. */
  async checkShareholders(
    em: EntityManager,
    company: CompanyView,
    list: ShareholderInput[],
  ): Promise<{ index: number; field: string; error: ReturnType<typeof EconomyErrors.sharesOver100> }[]> {
    const errs: { index: number; field: string; error: ReturnType<typeof EconomyErrors.sharesOver100> }[] = [];
    const orgIds = list.map((s) => s.orgId).filter((x): x is string => !!x);
    const orgs = new Map((await this.repo.orgsByIds(em, orgIds)).map((o) => [o.id, o]));
    const seen = new Set<string>();
    let total = 0;
    list.forEach((s, index) => {
      const org = s.orgId ? orgs.get(s.orgId) : undefined;
      if (s.orgId && (!org || !org.divisionCode.startsWith(company.divisionCode)))
        errs.push({ index, field: 'orgId', error: EconomyErrors.shareholderOrgOutside() });
      if (!s.orgId && !(s.holderName ?? '').trim()) errs.push({ index, field: 'holderName', error: EconomyErrors.holderNameRequired() });
      const key = s.orgId ? `o:${s.orgId}` : `n:${(s.holderName ?? '').trim()}`;
      if (seen.has(key)) errs.push({ index, field: 'holderName', error: EconomyErrors.shareholderDuplicate() });
      seen.add(key);
      const prev = total;
      total += s.shareBp;
      if (total > 10000 && prev <= 10000) errs.push({ index, field: 'shareBp', error: EconomyErrors.sharesOver100(bpToPercent(total)) });
    });
    return errs;
  }

  /** Replaces the shareholder list. The database refuses a total over 100 % too (deferred constraint trigger). */
  async saveShareholders(em: EntityManager, actor: Actor, company: CompanyView, list: ShareholderInput[]): Promise<SaveOutcome> {
    const errs = await this.checkShareholders(em, company, list);
    if (errs.length) throw errs[0].error;
    const orgNames = new Map(
      (
        await this.repo.orgsByIds(
          em,
          list.map((s) => s.orgId).filter((x): x is string => !!x),
        )
      ).map((o) => [o.id, o.name]),
    );
    const next = list.map((s) => ({
      orgId: s.orgId ?? null,
      holderName: s.orgId ? orgNames.get(s.orgId)! : (s.holderName ?? '').trim(),
      contributionFen: s.contributionFen,
      shareBp: s.shareBp,
    }));
    const before = await this.shareholdersOf(em, company.id);
    const describe = (l: { holderName: string; contributionFen: string; shareBp: number }[]) =>
      l.map((s) => `${s.holderName}：出资 ${s.contributionFen} 分，${bpToPercent(s.shareBp)}%`).sort();
    const journal = this.journal(em, actor, company);
    if (!(await journal.change('shareholders', { shareholders: describe(before) }, { shareholders: describe(next) }))) return 'unchanged';
    await this.repo.replaceShareholders(em, company.id, next);
    await journal.audit('economy.company_shareholders');
    return before.length ? 'updated' : 'created';
  }

  async putShareholders(actor: Actor, id: string, list: ShareholderInput[]) {
    await withLockedRecord(this.db, this.registry, actor, id, (em, company) => this.saveShareholders(em, actor, company, list));
    return this.get(actor, id);
  }

  // ---------- industry alliance ----------

  allianceOf(conn: Conn, companyId: string): Promise<AllianceView[]> {
    return this.repo.alliance(conn, companyId);
  }

  async putAlliance(actor: Actor, id: string, list: AllianceInput[]) {
    await withLockedRecord(this.db, this.registry, actor, id, async (em, company) => {
      const orgIds = list.map((a) => a.orgId).filter((x): x is string => !!x);
      const orgs = new Map((await this.repo.orgsByIds(em, orgIds)).map((o) => [o.id, o.name]));
      const next: AllianceView[] = list.map((a) => {
        if (a.kind === 'collective_org' && (!a.orgId || !orgs.has(a.orgId))) throw EconomyErrors.orgNotFound();
        if (a.kind !== 'collective_org' && !(a.name ?? '').trim()) throw EconomyErrors.allianceNameRequired();
        return {
          kind: a.kind,
          orgId: a.kind === 'collective_org' ? a.orgId! : null,
          name: a.kind === 'collective_org' ? orgs.get(a.orgId!)! : (a.name ?? '').trim(),
          joinedOn: a.joinedOn,
          role: a.role.trim(),
        };
      });
      if (new Set(next.map((a) => a.name)).size !== next.length) throw EconomyErrors.allianceDuplicate();
      const before = await this.allianceOf(em, id);
      const describe = (l: AllianceView[]) =>
        l.map((a) => `${a.name}（${ALLIANCE_KIND_NAMES[a.kind]}，${a.role}，${a.joinedOn} 加入）`).sort();
      const journal = this.journal(em, actor, { id, divisionCode: company.divisionCode });
      if (!(await journal.change('alliance', { alliance: describe(before) }, { alliance: describe(next) }))) return;
      await this.repo.replaceAlliance(em, id, next);
      await journal.audit('economy.company_alliance');
    });
    return this.get(actor, id);
  }

  // ---------- yearly figures and dividends ----------

  async figuresOf(conn: Conn, companyId: string, year?: number) {
    const rows = await this.repo.figures(conn, companyId, year);
    const divs = await this.repo.dividends(conn, companyId, year);
    return rows.map((r) => ({
      ...r,
      dividends: divs
        .filter((d) => d.year === r.year)
        .map(({ orgId, orgName, orgCreditCode, amountFen }) => ({ orgId, orgName, orgCreditCode, amountFen })),
    }));
  }

  async saveFigures(em: EntityManager, actor: Actor, company: CompanyView, year: number, f: CompanyFigures): Promise<SaveOutcome> {
    await this.locks.assertOpen(em, company.divisionCode, year);
    const holders = new Set((await this.shareholdersOf(em, company.id)).map((s) => s.orgId).filter(Boolean));
    if (f.dividends.some((d) => !holders.has(d.orgId))) throw EconomyErrors.dividendNotShareholder();
    const [before] = await this.figuresOf(em, company.id, year);
    const norm = (x: { revenueFen: string; profitFen: string; dividends: { orgId: string; amountFen: string }[] }) => ({
      revenueFen: x.revenueFen,
      profitFen: x.profitFen,
      dividends: x.dividends.map((d) => `${d.orgId}:${d.amountFen}`).sort(),
    });
    const journal = this.journal(em, actor, company);
    if (!(await journal.change(`figures_${year}`, before ? norm(before) : null, norm(f)))) return 'unchanged';
    await this.repo.replaceFigures(em, company.id, year, f, this.clock.now());
    await journal.audit('economy.company_figures', { year });
    return before ? 'updated' : 'created';
  }

  async putFigures(actor: Actor, id: string, year: number, f: CompanyFigures) {
    await withLockedRecord(this.db, this.registry, actor, id, (em, company) => this.saveFigures(em, actor, company, year, f));
    return this.figures(actor, id);
  }

  async figures(actor: Actor, id: string) {
    const c = await this.find(actor, id);
    const rows = await this.figuresOf(this.db, id);
    return withLockFlags(this.locks, this.db, c.divisionCode, rows);
  }
}
