import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, DomainError, LOGGER } from '#platform';
import { CompaniesService } from './companies.service.js';
import { EconomyErrors } from './economy.errors.js';
import { ImportJobsRepository } from './import-jobs.repository.js';
import { type ImportKind } from './sheets.js';
import { OrgsService } from './orgs.service.js';
import { parseTable, readTables, type SourceRow } from './import/parse.js';
import { planImport, type Step, type ValidatedFile } from './import/plan.js';
import {
  RowErrors,
  validateCompanies,
  validateCompanyFigures,
  validateDividends,
  validateOrgFigures,
  validateOrgs,
  validateShareholders,
  type Validated,
} from './import/validate.js';
import { ImportWriter, lookUpCodes } from './import/write.js';
import type { ImportJobView, KindCounts } from './views.js';
import type { RawSheet } from './workbook.js';

export type { ImportJobView, ImportRowError, KindCounts } from './views.js';

/** Thrown inside the import transaction to roll everything back (errors found, or a preview). */
class Rollback extends Error {}

const PROGRESS_EVERY = 50;

/** Validates one table into `file` (tables come in import order). */
function validateTable(kind: ImportKind, rows: SourceRow[], file: ValidatedFile): Validated<unknown> {
  switch (kind) {
    case 'orgs':
      return (file.orgs = validateOrgs(rows));
    case 'companies':
      return (file.companies = validateCompanies(rows));
    case 'shareholders':
      return (file.shareholders = validateShareholders(rows));
    case 'org_figures':
      return (file.org_figures = validateOrgFigures(rows));
    case 'company_figures':
      return (file.company_figures = validateCompanyFigures(rows));
    case 'dividends':
      return (file.dividends = validateDividends(rows));
  }
}

/** Every organization's or company's credit code the file names, for one bulk look-up. */
function codesNamed(file: ValidatedFile, registry: 'org' | 'company'): string[] {
  if (registry === 'org')
    return [
      ...(file.orgs?.rows ?? []).map((r) => r.rec.creditCode),
      ...(file.shareholders?.rows ?? []).flatMap((r) => (r.orgCode === null ? [] : [r.orgCode])),
      ...(file.org_figures?.rows ?? []).map((r) => r.orgCode),
      ...(file.dividends?.rows ?? []).map((r) => r.orgCode),
    ];
  return [
    ...(file.companies?.rows ?? []).map((r) => r.rec.creditCode),
    ...(file.shareholders?.rows ?? []).map((r) => r.companyCode),
    ...(file.company_figures?.rows ?? []).map((r) => r.companyCode),
    ...(file.dividends?.rows ?? []).map((r) => r.companyCode),
  ];
}

/** How many rows of the file a step stands for (progress). */
function rowsOf(s: Step): number {
  switch (s.kind) {
    case 'shareholders':
      return s.entries.length;
    case 'company_year':
      return (s.year.figures ? 1 : 0) + (s.year.dividends?.length ?? 0);
    case 'orgs':
    case 'companies':
    case 'org_figures':
      return 1;
  }
}

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

  parseFile(fileName: string, content: Buffer, kind?: ImportKind): Promise<{ kind: ImportKind; sheet: RawSheet }[]> {
    return readTables(fileName, content, kind);
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
    const errors = new RowErrors();
    const counts: Partial<Record<ImportKind, KindCounts>> = {};
    let processed = 0;
    const tick = async (n: number) => {
      const before = processed;
      processed += n;
      if (Math.floor(processed / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) await this.jobs.progress(this.db, jobId, processed);
    };
    // Parse and validate: pure, table by table.
    const parsed = tables.map((t) => parseTable(t.kind, t.sheet));
    const file: ValidatedFile = {};
    for (const t of parsed) {
      errors.list.push(...t.errors);
      const v = validateTable(t.kind, t.rows, file);
      errors.list.push(...v.errors);
    }
    try {
      await this.db.transaction(async (em) => {
        // Plan against what the database holds, looked up in bulk; then write, step by step.
        const ids = await lookUpCodes(em, codesNamed(file, 'org'), codesNamed(file, 'company'));
        const plan = planImport(file, { orgCodes: new Set(ids.orgIds.keys()), companyCodes: new Set(ids.companyIds.keys()) });
        errors.list.push(...plan.errors);
        const writer = new ImportWriter(em, actor, { orgs: this.orgs, companies: this.companies }, errors, ids, plan);
        for (const t of parsed) writer.count(t.kind, null);
        for (const s of plan.steps) {
          await writer.step(s);
          await tick(rowsOf(s));
        }
        Object.assign(counts, writer.counts);
        if (errors.list.length || dryRun) throw new Rollback();
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
    // Every row of a table that was read counts as processed, written or not.
    processed = parsed.reduce((n, t) => n + t.rows.length, 0);
    const list = errors.list;
    list.sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row || a.column.localeCompare(b.column));
    const written = !list.length && !dryRun;
    await this.jobs.finish(this.db, jobId, {
      status: list.length ? 'failed' : 'succeeded',
      processed,
      errors: list,
      result: { written, counts },
      at: this.clock.now(),
    });
  }
}
