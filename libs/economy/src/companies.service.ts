import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Page, type Permission, queryRows } from '#platform';
import { creditCodeError, normalizeCreditCode } from './credit-code-rules.js';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type ChangeView, historyOf } from './history.js';
import { bpToPercent } from './money.js';
import {
  checkPlacement,
  type FieldError,
  findRecord,
  type Journal,
  journalOf,
  listAllRecords,
  listRecords,
  type RegistryKind,
  type SaveOutcome,
  saveRecord,
  withLockedRecord,
  withLockFlags,
  withPatch,
} from './registry-common.js';
import { ALLIANCE_KIND_NAMES, type AllianceKind, type CompanyLevel, type CompanyStatus } from './names.js';
import { YearLocksService } from './year-locks.js';

export {
  ALLIANCE_KIND_NAMES,
  type AllianceKind,
  COMPANY_LEVEL_NAMES,
  type CompanyLevel,
  COMPANY_STATUS_NAMES,
  COMPANY_STATUSES,
  type CompanyStatus,
} from './names.js';

export interface CompanyRecord {
  level: CompanyLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  legalRep: string;
  registeredCapitalFen: string;
  paidInCapitalFen: string;
  foundedOn: string | null;
  businessScope: string | null;
  status: CompanyStatus;
}

export interface CompanyView extends CompanyRecord {
  id: string;
  divisionName: string;
  isDemo: boolean;
}

export interface ShareholderInput {
  orgId?: string | null;
  holderName?: string | null;
  contributionFen: string;
  shareBp: number;
}

export interface ShareholderView {
  orgId: string | null;
  orgCreditCode: string | null;
  holderName: string;
  contributionFen: string;
  shareBp: number;
}

export interface AllianceInput {
  kind: AllianceKind;
  orgId?: string | null;
  name?: string | null;
  joinedOn: string;
  role: string;
}

export interface AllianceView {
  kind: AllianceKind;
  orgId: string | null;
  name: string;
  joinedOn: string;
  role: string;
}

export interface CompanyFigures {
  revenueFen: string;
  profitFen: string;
  dividends: { orgId: string; amountFen: string }[];
}

export const COMPANY_COLUMNS = `c.id, c.level, c.division_code AS "divisionCode", d.name AS "divisionName", c.name, c.credit_code AS "creditCode",
  c.legal_rep AS "legalRep", c.registered_capital_fen::text AS "registeredCapitalFen", c.paid_in_capital_fen::text AS "paidInCapitalFen",
  to_char(c.founded_on, 'YYYY-MM-DD') AS "foundedOn", c.business_scope AS "businessScope", c.status, c.is_demo AS "isDemo"`;

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

const COMPANIES: RegistryKind<CompanyRecord, CompanyView> = {
  table: 'platform_company',
  alias: 'c',
  columns: COMPANY_COLUMNS,
  writable: [
    ['name', 'name'],
    ['credit_code', 'creditCode'],
    ['legal_rep', 'legalRep'],
    ['registered_capital_fen', 'registeredCapitalFen'],
    ['paid_in_capital_fen', 'paidInCapitalFen'],
    ['founded_on', 'foundedOn'],
    ['business_scope', 'businessScope'],
    ['status', 'status'],
  ],
  listOrder: 'c.division_code, c.name',
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
  ) {}

  checkInput(input: CompanyRecord): FieldError[] {
    const errs: FieldError[] = [];
    const cc = creditCodeError(input.creditCode);
    if (cc) errs.push({ field: 'creditCode', error: cc });
    if (BigInt(input.paidInCapitalFen) > BigInt(input.registeredCapitalFen))
      errs.push({ field: 'paidInCapitalFen', error: EconomyErrors.paidInOverRegistered() });
    return errs;
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
    return saveRecord(em, actor, { clock: this.clock, audit: this.audit }, COMPANIES, this, rec, selfId, opts);
  }

  async create(actor: Actor, input: CompanyRecord) {
    const id = await inTransaction(this.db, async (em) => (await this.save(em, actor, input, null)).id);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<CompanyRecord, 'level' | 'divisionCode'>>) {
    await withLockedRecord(this.db, COMPANIES, actor, id, (em, c) => this.save(em, actor, withPatch(companyRecordOf(c), patch), id));
    return this.get(actor, id);
  }

  findForUpdate(em: EntityManager, actor: Actor, id: string, permission: Permission): Promise<CompanyView> {
    return findRecord(em, COMPANIES, actor, id, permission, true);
  }

  private find(actor: Actor, id: string): Promise<CompanyView> {
    return findRecord(this.db, COMPANIES, actor, id, COMPANIES.readPermission, false);
  }

  private journal(em: EntityManager, actor: Actor, target: { id: string; divisionCode: string }): Journal {
    return journalOf(em, actor, { clock: this.clock, audit: this.audit }, COMPANIES, target);
  }

  async get(
    actor: Actor,
    id: string,
  ): Promise<CompanyView & { shareholders: ShareholderView[]; alliance: AllianceView[]; history: ChangeView[] }> {
    const c = await this.find(actor, id);
    return {
      ...c,
      shareholders: await this.shareholdersOf(this.db.manager, id),
      alliance: await this.allianceOf(this.db.manager, id),
      history: await historyOf(this.db.manager, 'company', id),
    };
  }

  list(
    actor: Actor,
    q: { divisionCode?: string; status?: string; level?: string; q?: string; page: number; pageSize: number },
  ): Promise<Page<CompanyView>> {
    return listRecords(this.db, COMPANIES, actor, q);
  }

  listAll(actor: Actor, divisionCode?: string): Promise<CompanyView[]> {
    return listAllRecords(this.db, COMPANIES, actor, divisionCode);
  }

  async history(actor: Actor, id: string): Promise<ChangeView[]> {
    await this.find(actor, id);
    return historyOf(this.db.manager, 'company', id);
  }

  // ---------- shareholders ----------

  shareholdersOf(em: Pick<EntityManager, 'query'>, companyId: string): Promise<ShareholderView[]> {
    return queryRows<ShareholderView>(
      em,
      `SELECT s.org_id AS "orgId", o.credit_code AS "orgCreditCode", s.holder_name AS "holderName", s.contribution_fen::text AS "contributionFen", s.share_bp AS "shareBp"
         FROM company_shareholder s LEFT JOIN collective_org o ON o.id = s.org_id WHERE s.company_id = $1 ORDER BY s.share_bp DESC, s.holder_name`,
      [companyId],
    );
  }

  /** Problems of a whole shareholder list: duplicates, organizations outside the company's area, over 100 %. */
  async checkShareholders(
    em: EntityManager,
    company: CompanyView,
    list: ShareholderInput[],
  ): Promise<{ index: number; field: string; error: ReturnType<typeof EconomyErrors.sharesOver100> }[]> {
    const errs: { index: number; field: string; error: ReturnType<typeof EconomyErrors.sharesOver100> }[] = [];
    const orgIds = list.map((s) => s.orgId).filter((x): x is string => !!x);
    const orgs = new Map(
      (
        await queryRows<{ id: string; division_code: string; name: string }>(
          em,
          `SELECT id, division_code, name FROM collective_org WHERE id = ANY($1::uuid[])`,
          [orgIds],
        )
      ).map((o) => [o.id, o]),
    );
    const seen = new Set<string>();
    let total = 0;
    list.forEach((s, index) => {
      const org = s.orgId ? orgs.get(s.orgId) : undefined;
      if (s.orgId && (!org || !org.division_code.startsWith(company.divisionCode)))
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
        await queryRows<{ id: string; name: string }>(em, `SELECT id, name FROM collective_org WHERE id = ANY($1::uuid[])`, [
          list.map((s) => s.orgId).filter(Boolean),
        ])
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
    await em.query(`DELETE FROM company_shareholder WHERE company_id = $1`, [company.id]);
    await em.query(
      `INSERT INTO company_shareholder (company_id, org_id, holder_name, contribution_fen, share_bp)
       SELECT $1, o, n, c, b FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::int[]) AS t(o, n, c, b)`,
      [company.id, next.map((s) => s.orgId), next.map((s) => s.holderName), next.map((s) => s.contributionFen), next.map((s) => s.shareBp)],
    );
    await journal.audit('economy.company_shareholders');
    return before.length ? 'updated' : 'created';
  }

  async putShareholders(actor: Actor, id: string, list: ShareholderInput[]) {
    await withLockedRecord(this.db, COMPANIES, actor, id, (em, company) => this.saveShareholders(em, actor, company, list));
    return this.get(actor, id);
  }

  // ---------- industry alliance ----------

  allianceOf(em: Pick<EntityManager, 'query'>, companyId: string): Promise<AllianceView[]> {
    return queryRows<AllianceView>(
      em,
      `SELECT kind, org_id AS "orgId", name, to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn", role FROM alliance_member WHERE company_id = $1 ORDER BY joined_on, name`,
      [companyId],
    );
  }

  async putAlliance(actor: Actor, id: string, list: AllianceInput[]) {
    await withLockedRecord(this.db, COMPANIES, actor, id, async (em, company) => {
      const orgIds = list.map((a) => a.orgId).filter((x): x is string => !!x);
      const orgs = new Map(
        (await queryRows<{ id: string; name: string }>(em, `SELECT id, name FROM collective_org WHERE id = ANY($1::uuid[])`, [orgIds])).map(
          (o) => [o.id, o.name],
        ),
      );
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
      await em.query(`DELETE FROM alliance_member WHERE company_id = $1`, [id]);
      await em.query(
        `INSERT INTO alliance_member (company_id, kind, org_id, name, joined_on, role)
         SELECT $1, k, o, n, j, r FROM unnest($2::text[], $3::uuid[], $4::text[], $5::date[], $6::text[]) AS t(k, o, n, j, r)`,
        [
          id,
          next.map((a) => a.kind),
          next.map((a) => a.orgId),
          next.map((a) => a.name),
          next.map((a) => a.joinedOn),
          next.map((a) => a.role),
        ],
      );
      await journal.audit('economy.company_alliance');
    });
    return this.get(actor, id);
  }

  // ---------- yearly figures and dividends ----------

  async figuresOf(em: Pick<EntityManager, 'query'>, companyId: string, year?: number) {
    const rows = await queryRows<{ year: number; revenueFen: string; profitFen: string }>(
      em,
      `SELECT year, revenue_fen::text AS "revenueFen", profit_fen::text AS "profitFen" FROM company_year_figures WHERE company_id = $1 AND ($2::int IS NULL OR year = $2) ORDER BY year`,
      [companyId, year ?? null],
    );
    const divs = await queryRows<{ year: number; orgId: string; orgName: string; orgCreditCode: string; amountFen: string }>(
      em,
      `SELECT d.year, d.org_id AS "orgId", o.name AS "orgName", o.credit_code AS "orgCreditCode", d.amount_fen::text AS "amountFen"
         FROM company_dividend d JOIN collective_org o ON o.id = d.org_id WHERE d.company_id = $1 AND ($2::int IS NULL OR d.year = $2) ORDER BY d.year, o.name`,
      [companyId, year ?? null],
    );
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
    await em.query(`DELETE FROM company_dividend WHERE company_id = $1 AND year = $2`, [company.id, year]);
    await em.query(
      `INSERT INTO company_year_figures (company_id, year, revenue_fen, profit_fen, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (company_id, year) DO UPDATE SET revenue_fen = EXCLUDED.revenue_fen, profit_fen = EXCLUDED.profit_fen, updated_at = EXCLUDED.updated_at`,
      [company.id, year, f.revenueFen, f.profitFen, this.clock.now()],
    );
    await em.query(
      `INSERT INTO company_dividend (company_id, year, org_id, amount_fen) SELECT $1, $2, o, a FROM unnest($3::uuid[], $4::bigint[]) AS t(o, a)`,
      [company.id, year, f.dividends.map((d) => d.orgId), f.dividends.map((d) => d.amountFen)],
    );
    await journal.audit('economy.company_figures', { year });
    return before ? 'updated' : 'created';
  }

  async putFigures(actor: Actor, id: string, year: number, f: CompanyFigures) {
    await withLockedRecord(this.db, COMPANIES, actor, id, (em, company) => this.saveFigures(em, actor, company, year, f));
    return this.figures(actor, id);
  }

  async figures(actor: Actor, id: string) {
    const c = await this.find(actor, id);
    const rows = await this.figuresOf(this.db.manager, id);
    return withLockFlags(this.locks, this.db.manager, c.divisionCode, rows);
  }
}
