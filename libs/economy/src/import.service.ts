import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, DomainError, LOGGER, type Permission, textProblem } from '#platform';
import { ImportJobsRepository, Savepoints } from './import-jobs.repository.js';
import { idsByCode } from './registry.repository.js';
import { CompaniesService, type CompanyRecord, type CompanyView, type ShareholderInput } from './companies.service.js';
import { normalizeCreditCode } from './credit-code-rules.js';
import { EconomyErrors } from './economy.errors.js';
import { percentToBp, yuanToFen } from './money.js';
import { type OrgRecord, OrgsService, type OrgView, type SaveOutcome } from './orgs.service.js';
import {
  COMPANY_LEVEL_BY_NAME,
  COMPANY_STATUS_BY_NAME,
  HOLDER_KIND_BY_NAME,
  IMPORT_KIND_BY_TITLE,
  IMPORT_ORDER,
  type ImportKind,
  ORG_LEVEL_BY_NAME,
  ORG_STATUS_BY_NAME,
  SHEETS,
} from './sheets.js';
import type { ImportJobView, ImportRowError, KindCounts } from './views.js';
import { type RawSheet, readCsv, readXlsx } from './workbook.js';

export type { ImportJobView, ImportRowError, KindCounts } from './views.js';

interface Row {
  sheet: string;
  row: number;
  v: Record<string, string>;
}

/** Thrown inside the import transaction to roll everything back (errors found, or a preview). */
class Rollback extends Error {}

const PROGRESS_EVERY = 50;

/**
 * Spreadsheet import: every row of every table is checked and written inside ONE transaction, each
 * row under a savepoint so a bad row is reported and the rest still checked; at the end the
 * transaction commits only if there is no error and this is not a preview. Rows are matched by their
 * natural keys (credit code, year), and a row equal to what is stored writes nothing, so importing the
 * same file again changes nothing.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly db: DataSource,
    private readonly orgs: OrgsService,
    private readonly companies: CompaniesService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly jobs: ImportJobsRepository,
  ) {}

  async parseFile(fileName: string, content: Buffer, kind?: ImportKind): Promise<{ kind: ImportKind; sheet: RawSheet }[]> {
    const lower = fileName.toLowerCase();
    if (lower.endsWith('.csv')) {
      if (!kind) throw EconomyErrors.importKindRequired();
      return [{ kind, sheet: readCsv(content.toString('utf8'), SHEETS[kind].title) }];
    }
    if (!lower.endsWith('.xlsx')) throw EconomyErrors.importFileInvalid();
    let sheets: RawSheet[];
    try {
      sheets = await readXlsx(content);
    } catch {
      throw EconomyErrors.importFileInvalid();
    }
    const out: { kind: ImportKind; sheet: RawSheet }[] = [];
    for (const s of sheets) {
      const k = IMPORT_KIND_BY_TITLE.get(s.name) ?? (sheets.length === 1 ? kind : undefined);
      if (k) out.push({ kind: k, sheet: s });
    }
    if (!out.length) throw EconomyErrors.importNoSheets();
    return out.sort((a, b) => IMPORT_ORDER.indexOf(a.kind) - IMPORT_ORDER.indexOf(b.kind));
  }

  /** Starts a job and returns at once; the client polls `job()` for progress and the report. */
  async start(actor: Actor, input: { fileName: string; content: Buffer; kind?: ImportKind; dryRun: boolean }): Promise<ImportJobView> {
    const tables = await this.parseFile(input.fileName, input.content, input.kind);
    const total = tables.reduce((n, t) => n + t.sheet.rows.length, 0);
    const id = await this.jobs.create(this.db, {
      accountId: actor.accountId,
      fileName: input.fileName.slice(0, 200),
      dryRun: input.dryRun,
      total,
      at: this.clock.now(),
    });
    this.run(actor, id, tables, input.dryRun).catch(async (e: unknown) => {
      this.log.error({ err: e, job: id }, 'economy import failed');
      const err = e instanceof DomainError ? e : EconomyErrors.importFileInvalid();
      await this.jobs
        .fail(this.db, id, { sheet: '', row: 0, column: '', code: err.code, message: err.message }, this.clock.now())
        .catch((e2: unknown) => this.log.error({ err: e2, job: id }, 'economy import: could not mark the job failed'));
    });
    return this.job(actor, id);
  }

  async job(actor: Actor, id: string): Promise<ImportJobView> {
    const found = await this.jobs.find(this.db, id);
    if (!found || found.accountId !== actor.accountId) throw EconomyErrors.importJobNotFound();
    const { accountId: _omit, ...view } = found;
    return view;
  }

  /** The whole import; resolves when the job row holds the outcome. */
  async run(actor: Actor, jobId: string, tables: { kind: ImportKind; sheet: RawSheet }[], dryRun: boolean): Promise<void> {
    const errors: ImportRowError[] = [];
    const counts: Partial<Record<ImportKind, KindCounts>> = {};
    let processed = 0;
    const tick = async () => {
      processed++;
      if (processed % PROGRESS_EVERY === 0) await this.jobs.progress(this.db, jobId, processed);
    };
    try {
      await this.db.transaction(async (em) => {
        const ctx = new ImportContext(em, actor, this.orgs, this.companies, errors, tick);
        ctx.pendingDividends = tables.some((t) => t.kind === 'dividends');
        for (const t of tables) await ctx.importTable(t.kind, t.sheet);
        Object.assign(counts, ctx.counts);
        if (errors.length || dryRun) throw new Rollback();
        const wrote = Object.values(counts).some((c) => c.created + c.updated > 0);
        if (wrote)
          await this.audit.record(em, {
            actor,
            action: 'economy.import',
            targetType: 'economy_import_job',
            targetId: jobId,
            targetDivision: actor.divisionCode,
            details: { counts },
          });
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    errors.sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row || a.column.localeCompare(b.column));
    const written = !errors.length && !dryRun;
    await this.jobs.finish(this.db, jobId, {
      status: errors.length ? 'failed' : 'succeeded',
      processed,
      errors,
      result: { written, counts },
      at: this.clock.now(),
    });
  }
}

/** One import's state: the transaction, the report, and what earlier tables of the same file created. */
class ImportContext {
  constructor(
    private readonly em: EntityManager,
    private readonly actor: Actor,
    private readonly orgs: OrgsService,
    private readonly companies: CompaniesService,
    private readonly errors: ImportRowError[],
    private readonly tick: () => Promise<void>,
  ) {}

  private sp = 0;

  private fail(r: Row, kind: ImportKind, field: string, code: string, message: string) {
    const col = SHEETS[kind].columns.find((c) => c.key === field)?.header ?? field;
    this.errors.push({ sheet: r.sheet, row: r.row, column: col, code, message });
  }

  private failWith(r: Row, kind: ImportKind, field: string, e: DomainError) {
    this.fail(r, kind, field, e.code, e.message);
  }

  /** Runs `fn` under a savepoint: a domain error becomes a row error and the row's writes are undone. */
  private async guarded<T>(r: Row, kind: ImportKind, field: string, fn: () => Promise<T>): Promise<T | null> {
    const name = `row_${++this.sp}`;
    await Savepoints.begin(this.em, name);
    try {
      const out = await fn();
      await Savepoints.release(this.em, name);
      return out;
    } catch (e) {
      await Savepoints.rollbackTo(this.em, name);
      if (e instanceof DomainError) {
        this.failWith(r, kind, field, e);
        return null;
      }
      throw e;
    }
  }

  /** Required values present, each typed column parsed; returns the converted values or null after reporting. */
  private convert(kind: ImportKind, r: Row): Record<string, string | number | bigint | null> | null {
    const out: Record<string, string | number | bigint | null> = {};
    let ok = true;
    for (const c of SHEETS[kind].columns) {
      if (c.info) continue;
      const raw = (r.v[c.header] ?? '').trim();
      if (!raw) {
        if (c.required) {
          this.fail(r, kind, c.key, 'VALUE_REQUIRED', `“${c.header}”不能为空`);
          ok = false;
        }
        out[c.key] = null;
        continue;
      }
      switch (c.type ?? 'text') {
        case 'int': {
          if (!/^\d{1,15}$/.test(raw)) {
            this.fail(r, kind, c.key, 'INTEGER_INVALID', `“${c.header}”应为非负整数`);
            ok = false;
          } else out[c.key] = raw;
          break;
        }
        case 'yuan': {
          const fen = yuanToFen(raw);
          if (fen === null) {
            this.fail(r, kind, c.key, 'AMOUNT_INVALID', `“${c.header}”应为金额（元，最多两位小数）`);
            ok = false;
          } else out[c.key] = fen;
          break;
        }
        case 'percent': {
          const bp = percentToBp(raw);
          if (bp === null || bp > 10000) {
            this.fail(r, kind, c.key, 'PERCENT_INVALID', `“${c.header}”应为 0–100 之间、最多两位小数的百分数`);
            ok = false;
          } else out[c.key] = bp;
          break;
        }
        case 'date': {
          const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
          const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
          if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
            this.fail(r, kind, c.key, 'DATE_INVALID', `“${c.header}”应为日期，如 2024-03-15`);
            ok = false;
          } else out[c.key] = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
          break;
        }
        case 'text': {
          const problem = textProblem(raw, 'line');
          if (problem) {
            this.fail(r, kind, c.key, 'TEXT_INVALID', `“${c.header}”${problem}`);
            ok = false;
          } else out[c.key] = raw;
          break;
        }
      }
    }
    return ok ? out : null;
  }

  private checkHeader(kind: ImportKind, sheet: RawSheet): boolean {
    const missing = SHEETS[kind].columns.filter((c) => c.required && !sheet.header.includes(c.header));
    for (const c of missing)
      this.errors.push({ sheet: sheet.name, row: 1, column: c.header, code: 'COLUMN_MISSING', message: `缺少列“${c.header}”` });
    return missing.length === 0;
  }

  private year(r: Row, kind: ImportKind, v: string | number | bigint | null): number | null {
    const y = Number(v);
    if (!Number.isInteger(y) || y < 2000 || y > 2100) {
      this.fail(r, kind, 'year', 'YEAR_INVALID', '年度应为 2000–2100 之间的年份');
      return null;
    }
    return y;
  }

  private codeOfRow(kind: ImportKind, r: Row): string {
    return normalizeCreditCode(r.v[SHEETS[kind].columns.find((c) => c.key === 'creditCode')!.header] ?? '');
  }

  /** Outcomes per table; company figures and dividends of one (company, year) count once, under 平台公司年度数据 when present. */
  readonly counts: Partial<Record<ImportKind, KindCounts>> = {};

  private countFor(kind: ImportKind): KindCounts {
    return (this.counts[kind] ??= { created: 0, updated: 0, unchanged: 0 });
  }

  async importTable(kind: ImportKind, sheet: RawSheet): Promise<void> {
    const counts = this.countFor(kind);
    if (!this.checkHeader(kind, sheet)) return;
    const rows: Row[] = sheet.rows.map((r) => ({ sheet: sheet.name, row: r.row, v: r.values }));
    const count = (o: SaveOutcome | null) => {
      if (o) counts[o]++;
    };
    switch (kind) {
      case 'orgs':
        for (const r of rows) {
          const n = this.errors.length;
          count(await this.orgRow(r));
          if (this.errors.length > n) this.failedOrgs.add(this.codeOfRow('orgs', r));
          await this.tick();
        }
        break;
      case 'companies':
        for (const r of rows) {
          const n = this.errors.length;
          count(await this.companyRow(r));
          if (this.errors.length > n) this.failedCompanies.add(this.codeOfRow('companies', r));
          await this.tick();
        }
        break;
      case 'org_figures':
        for (const r of rows) {
          count(await this.orgFigureRow(r));
          await this.tick();
        }
        break;
      case 'shareholders':
        for (const o of await this.shareholderGroups(rows)) count(o);
        break;
      case 'company_figures':
      case 'dividends':
        await this.companyFigureGroups(kind, rows);
        break;
    }
  }

  private readonly seen = new Map<string, number>();
  /** Codes whose own row failed in this file: later tables referring to them are skipped, not reported again. */
  private readonly failedOrgs = new Set<string>();
  private readonly failedCompanies = new Set<string>();
  private readonly failedShareholders = new Set<string>();

  /** The same key twice in one file is an error on the second row, naming the first. */
  private duplicateInFile(r: Row, kind: ImportKind, field: string, key: string): boolean {
    const k = `${kind}:${key}`;
    const first = this.seen.get(k);
    if (first !== undefined) {
      this.fail(r, kind, field, 'DUPLICATE_IN_FILE', `与第 ${first} 行重复`);
      return true;
    }
    this.seen.set(k, r.row);
    return false;
  }

  private async orgRow(r: Row): Promise<SaveOutcome | null> {
    const v = this.convert('orgs', r);
    if (!v) return null;
    const level = ORG_LEVEL_BY_NAME[String(v.level)];
    const status = v.status === null ? 'active' : ORG_STATUS_BY_NAME[String(v.status)];
    let bad = false;
    if (!level) {
      this.fail(r, 'orgs', 'level', 'LEVEL_INVALID', '层级应为“组级”“村级”或“乡镇级”');
      bad = true;
    }
    if (!status) {
      this.fail(r, 'orgs', 'status', 'STATUS_INVALID', '状态应为“正常”或“注销”');
      bad = true;
    }
    if (bad) return null;
    const rec: OrgRecord = {
      level,
      divisionCode: String(v.divisionCode),
      name: String(v.name),
      creditCode: normalizeCreditCode(String(v.creditCode)),
      registrationNo: (v.registrationNo as string | null) ?? null,
      registeredOn: (v.registeredOn as string | null) ?? null,
      charterFiledOn: (v.charterFiledOn as string | null) ?? null,
      chairName: String(v.chairName),
      memberCount: Number(v.memberCount),
      totalShares: String(v.totalShares),
      status,
    };
    if (this.duplicateInFile(r, 'orgs', 'creditCode', rec.creditCode)) return null;
    const local = this.orgs.checkInput(rec);
    if (local.length) {
      for (const e of local) this.failWith(r, 'orgs', e.field, e.error);
      return null;
    }
    const res = await this.guarded(r, 'orgs', 'creditCode', async () => {
      const dbErrs = await this.orgs.checkAgainstDb(this.em, this.actor, rec, await this.idByCode('collective_org', rec.creditCode));
      if (dbErrs.length) {
        for (const e of dbErrs) this.failWith(r, 'orgs', e.field, e.error);
        return null;
      }
      return (await this.orgs.save(this.em, this.actor, rec, null, { matchByCode: true })).outcome;
    });
    return res;
  }

  private async idByCode(table: 'collective_org' | 'platform_company', code: string): Promise<string | null> {
    return (await idsByCode(this.em, table, [code])).get(code) ?? null;
  }

  private async companyRow(r: Row): Promise<SaveOutcome | null> {
    const v = this.convert('companies', r);
    if (!v) return null;
    const level = COMPANY_LEVEL_BY_NAME[String(v.level)];
    const status = COMPANY_STATUS_BY_NAME[String(v.status)];
    let bad = false;
    if (!level) {
      this.fail(r, 'companies', 'level', 'LEVEL_INVALID', '层级应为“县级”或“乡镇级”');
      bad = true;
    }
    if (!status) {
      this.fail(r, 'companies', 'status', 'STATUS_INVALID', '状态应为“筹建”“运营”“停业”或“注销”');
      bad = true;
    }
    if (bad) return null;
    const rec: CompanyRecord = {
      level,
      divisionCode: String(v.divisionCode),
      name: String(v.name),
      creditCode: normalizeCreditCode(String(v.creditCode)),
      legalRep: String(v.legalRep),
      registeredCapitalFen: String(v.registeredCapitalFen),
      paidInCapitalFen: String(v.paidInCapitalFen),
      foundedOn: (v.foundedOn as string | null) ?? null,
      businessScope: (v.businessScope as string | null) ?? null,
      status,
    };
    if (this.duplicateInFile(r, 'companies', 'creditCode', rec.creditCode)) return null;
    const local = this.companies.checkInput(rec);
    if (local.length) {
      for (const e of local) this.failWith(r, 'companies', e.field, e.error);
      return null;
    }
    return this.guarded(r, 'companies', 'creditCode', async () => {
      const dbErrs = await this.companies.checkAgainstDb(this.em, this.actor, rec, await this.idByCode('platform_company', rec.creditCode));
      if (dbErrs.length) {
        for (const e of dbErrs) this.failWith(r, 'companies', e.field, e.error);
        return null;
      }
      return (await this.companies.save(this.em, this.actor, rec, null, { matchByCode: true })).outcome;
    });
  }

  private async orgByCode(r: Row, kind: ImportKind, field: string, code: string, permission: Permission): Promise<OrgView | null> {
    const id = await this.idByCode('collective_org', normalizeCreditCode(code));
    if (!id && this.failedOrgs.has(normalizeCreditCode(code))) return null;
    if (!id) {
      this.fail(r, kind, field, 'ORG_UNKNOWN', '登记册中没有该统一社会信用代码的集体经济组织');
      return null;
    }
    return this.guarded(r, kind, field, () => this.orgs.findForUpdate(this.em, this.actor, id, permission));
  }

  private async companyByCode(r: Row, kind: ImportKind, code: string): Promise<CompanyView | null> {
    const id = await this.idByCode('platform_company', normalizeCreditCode(code));
    if (!id && this.failedCompanies.has(normalizeCreditCode(code))) return null;
    if (!id) {
      this.fail(r, kind, 'companyCode', 'COMPANY_UNKNOWN', '登记册中没有该统一社会信用代码的平台公司');
      return null;
    }
    return this.guarded(r, kind, 'companyCode', () => this.companies.findForUpdate(this.em, this.actor, id, 'economy.company.write'));
  }

  private async orgFigureRow(r: Row): Promise<SaveOutcome | null> {
    const v = this.convert('org_figures', r);
    if (!v) return null;
    const year = this.year(r, 'org_figures', v.year);
    if (year === null) return null;
    if (this.duplicateInFile(r, 'org_figures', 'orgCode', `${normalizeCreditCode(String(v.orgCode))}:${year}`)) return null;
    const org = await this.orgByCode(r, 'org_figures', 'orgCode', String(v.orgCode), 'economy.org.write');
    if (!org) return null;
    const f = {
      operatingIncomeFen: String(v.operatingIncomeFen),
      totalIncomeFen: String(v.totalIncomeFen),
      reserveFundFen: String(v.reserveFundFen),
      distributedFen: String(v.distributedFen),
    };
    const negative = (['operatingIncomeFen', 'reserveFundFen', 'distributedFen'] as const).filter((k) => BigInt(f[k]) < 0n);
    for (const k of negative) this.fail(r, 'org_figures', k, 'AMOUNT_NEGATIVE', '经营收入、公积公益金和分配金额不能为负数');
    const rule = this.orgs.checkFigures(f);
    for (const e of rule) this.failWith(r, 'org_figures', e.field, e.error);
    if (negative.length || rule.length) return null;
    return this.guarded(r, 'org_figures', 'year', () => this.orgs.saveFigures(this.em, this.actor, org, year, f));
  }

  /** Shareholder rows grouped by company: each company's rows are its whole shareholder list. */
  private async shareholderGroups(rows: Row[]): Promise<(SaveOutcome | null)[]> {
    const groups = new Map<string, { rows: Row[]; list: ShareholderInput[]; ok: boolean }>();
    for (const r of rows) {
      await this.tick();
      const v = this.convert('shareholders', r);
      const code = normalizeCreditCode(r.v[SHEETS.shareholders.columns[0].header] ?? '');
      const g = groups.get(code) ?? { rows: [], list: [], ok: true };
      groups.set(code, g);
      if (!v) {
        g.ok = false;
        continue;
      }
      const kind = HOLDER_KIND_BY_NAME[String(v.holderKind)];
      if (!kind) {
        this.fail(r, 'shareholders', 'holderKind', 'HOLDER_KIND_INVALID', '股东类型应为“集体经济组织”或“其他”');
        g.ok = false;
        continue;
      }
      if (kind === 'other' && !v.holderName) {
        this.fail(r, 'shareholders', 'holderName', 'VALUE_REQUIRED', '其他股东须填写股东名称');
        g.ok = false;
        continue;
      }
      let orgId: string | null = null;
      if (kind === 'org') {
        if (!v.orgCode) {
          this.fail(r, 'shareholders', 'orgCode', 'VALUE_REQUIRED', '集体经济组织股东须填写其统一社会信用代码');
          g.ok = false;
          continue;
        }
        orgId = await this.idByCode('collective_org', normalizeCreditCode(String(v.orgCode)));
        if (!orgId) {
          if (!this.failedOrgs.has(normalizeCreditCode(String(v.orgCode))))
            this.fail(r, 'shareholders', 'orgCode', 'ORG_UNKNOWN', '登记册中没有该统一社会信用代码的集体经济组织');
          g.ok = false;
          continue;
        }
      }
      g.rows.push(r);
      g.list.push({ orgId, holderName: String(v.holderName), contributionFen: String(v.contributionFen), shareBp: Number(v.shareBp) });
    }
    const out: (SaveOutcome | null)[] = [];
    for (const [code, g] of groups) {
      const first = g.rows[0];
      if (!first || !g.ok) {
        this.failedShareholders.add(code);
        continue;
      }
      const company = await this.companyByCode(first, 'shareholders', code);
      if (!company) continue;
      const errs = await this.companies.checkShareholders(this.em, company, g.list);
      for (const e of errs) this.failWith(g.rows[e.index], 'shareholders', e.field === 'orgId' ? 'orgCode' : e.field, e.error);
      if (errs.length || !g.ok) {
        this.failedShareholders.add(code);
        continue;
      }
      out.push(
        await this.guarded(first, 'shareholders', 'companyCode', () =>
          this.companies.saveShareholders(this.em, this.actor, company, g.list),
        ),
      );
    }
    return out;
  }

  private readonly companyYears = new Map<
    string,
    { first: Row; revenueFen?: string; profitFen?: string; dividends?: { orgId: string; amountFen: string; row: Row }[]; ok: boolean }
  >();

  /** Company figures and dividends meet per (company, year); the last of the two tables writes them. */
  private async companyFigureGroups(kind: 'company_figures' | 'dividends', rows: Row[]): Promise<void> {
    for (const r of rows) {
      await this.tick();
      const v = this.convert(kind, r);
      const code = normalizeCreditCode(r.v[SHEETS[kind].columns[0].header] ?? '');
      const year = v ? this.year(r, kind, v.year) : null;
      const key = `${code}:${year ?? r.v['年度']}`;
      const g = this.companyYears.get(key) ?? { first: r, ok: true };
      this.companyYears.set(key, g);
      if (!v || year === null) {
        g.ok = false;
        continue;
      }
      if (kind === 'company_figures') {
        if (this.duplicateInFile(r, kind, 'companyCode', key)) {
          g.ok = false;
          continue;
        }
        g.revenueFen = String(v.revenueFen);
        g.profitFen = String(v.profitFen);
        if (BigInt(g.revenueFen) < 0n) {
          this.fail(r, kind, 'revenueFen', 'AMOUNT_NEGATIVE', '营业收入不能为负数');
          g.ok = false;
        }
      } else {
        const orgId = await this.idByCode('collective_org', normalizeCreditCode(String(v.orgCode)));
        if (!orgId) {
          if (!this.failedOrgs.has(normalizeCreditCode(String(v.orgCode))))
            this.fail(r, kind, 'orgCode', 'ORG_UNKNOWN', '登记册中没有该统一社会信用代码的集体经济组织');
          g.ok = false;
          continue;
        }
        if (this.duplicateInFile(r, kind, 'orgCode', `${key}:${orgId}`)) {
          g.ok = false;
          continue;
        }
        if (BigInt(String(v.amountFen)) < 0n) {
          this.fail(r, kind, 'amountFen', 'AMOUNT_NEGATIVE', '分红金额不能为负数');
          g.ok = false;
          continue;
        }
        (g.dividends ??= []).push({ orgId, amountFen: String(v.amountFen), row: r });
      }
    }
    // Written when the last figures table of the file has been read.
    if (kind === 'company_figures' && this.pendingDividends) return;
    for (const [key, g] of this.companyYears) {
      if (!g.ok) continue;
      const [code, y] = key.split(':');
      const year = Number(y);
      const company = await this.companyByCode(g.first, g.revenueFen !== undefined ? 'company_figures' : 'dividends', code);
      if (!company) continue;
      const [stored] = await this.companies.figuresOf(this.em, company.id, year);
      if (g.revenueFen === undefined && !stored) {
        this.fail(g.first, 'dividends', 'year', 'FIGURES_MISSING', '该公司该年度尚无营业收入和利润数据，请一并导入“平台公司年度数据”');
        continue;
      }
      const figures = {
        revenueFen: g.revenueFen ?? stored.revenueFen,
        profitFen: g.profitFen ?? stored.profitFen,
        dividends: g.dividends
          ? g.dividends.map((d) => ({ orgId: d.orgId, amountFen: d.amountFen }))
          : (stored?.dividends ?? []).map((d) => ({ orgId: d.orgId, amountFen: d.amountFen })),
      };
      const holders = new Set((await this.companies.shareholdersOf(this.em, company.id)).map((s) => s.orgId));
      const strangers = (g.dividends ?? []).filter((d) => !holders.has(d.orgId));
      if (strangers.length && this.failedShareholders.has(code)) continue;
      for (const d of strangers) this.failWith(d.row, 'dividends', 'orgCode', EconomyErrors.dividendNotShareholder());
      if (strangers.length) continue;
      const table = g.revenueFen !== undefined ? 'company_figures' : 'dividends';
      const outcome = await this.guarded(g.first, table, 'year', () =>
        this.companies.saveFigures(this.em, this.actor, company, year, figures),
      );
      if (outcome) this.countFor(table)[outcome]++;
    }
    this.companyYears.clear();
  }

  /** Set by the caller when a dividends table follows the company figures table in the same file. */
  pendingDividends = false;
}
