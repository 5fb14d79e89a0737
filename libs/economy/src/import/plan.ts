/**
 * The plan: what the import will create or update, in order, given what the database holds (credit
 * codes looked up in bulk before) and what the file itself creates. Pure: references by credit code
 * are resolved against `Known`; a reference to a code whose own row failed is skipped silently (that
 * row already carries the error).
 */
import type { DomainError } from '#platform';
import { EconomyErrors } from '../economy.errors.js';
import type { CompanyRecord } from '../companies.service.js';
import type { OrgFigures, OrgRecord } from '../orgs.service.js';
import type { ImportKind } from '../sheets.js';
import type { ImportRowError } from '../views.js';
import type { SourceRow } from './parse.js';
import { ImportRowCode } from './row-codes.js';
import {
  type CompanyFigureRow,
  type CompanyRow,
  companyYearKey,
  type DividendRow,
  type OrgFigureRow,
  type OrgRow,
  RowErrors,
  type ShareholderRow,
  type Validated,
} from './validate.js';

/** The file's tables, validated; a table absent from the file is undefined. */
export interface ValidatedFile {
  orgs?: Validated<OrgRow>;
  companies?: Validated<CompanyRow>;
  shareholders?: Validated<ShareholderRow>;
  org_figures?: Validated<OrgFigureRow>;
  company_figures?: Validated<CompanyFigureRow>;
  dividends?: Validated<DividendRow>;
}

/** The credit codes the database holds (looked up in bulk for every code the file names). */
export interface Known {
  orgCodes: ReadonlySet<string>;
  companyCodes: ReadonlySet<string>;
}

export interface ShareholderEntry {
  row: SourceRow;
  orgCode: string | null;
  holderName: string | null;
  contributionFen: string;
  shareBp: number;
}

/** A company's year: its figures (from 平台公司年度数据) and/or its dividends (from 分红), written together. */
export interface CompanyYear {
  companyCode: string;
  year: number;
  /** The first row of the pair in the file: where errors about the whole year are reported. */
  first: SourceRow;
  /** The table the year is counted under: company figures when the file has them, else dividends. */
  table: 'company_figures' | 'dividends';
  figures?: { revenueFen: string; profitFen: string };
  dividends?: { orgCode: string; amountFen: string; row: SourceRow }[];
}

export type Step =
  | { kind: 'orgs'; row: SourceRow; rec: OrgRecord }
  | { kind: 'companies'; row: SourceRow; rec: CompanyRecord }
  | { kind: 'shareholders'; companyCode: string; entries: ShareholderEntry[] }
  | { kind: 'org_figures'; row: SourceRow; orgCode: string; year: number; figures: OrgFigures }
  | { kind: 'company_year'; year: CompanyYear };

export interface ImportPlan {
  steps: Step[];
  /** ORG_UNKNOWN and COMPANY_UNKNOWN. */
  errors: ImportRowError[];
  /** Organizations and companies whose own row failed validation. */
  failedOrgs: ReadonlySet<string>;
  failedCompanies: ReadonlySet<string>;
  /** Companies whose shareholder list failed: their dividends to non-holders are skipped, not reported again. */
  failedShareholders: ReadonlySet<string>;
}

const none = new Set<string>();

export function planImport(file: ValidatedFile, known: Known): ImportPlan {
  const errors = new RowErrors();
  const steps: Step[] = [];
  const failedOrgs = file.orgs?.failed ?? none;
  const failedCompanies = file.companies?.failed ?? none;
  const failedShareholders = new Set(file.shareholders?.failed ?? none);
  const orgsInFile = new Set((file.orgs?.rows ?? []).map((r) => r.rec.creditCode));
  const companiesInFile = new Set((file.companies?.rows ?? []).map((r) => r.rec.creditCode));
  /** 'ok' when the organization exists or the file creates it; 'skip' when its own row failed; 'unknown' otherwise. */
  const org = (code: string) => (known.orgCodes.has(code) || orgsInFile.has(code) ? 'ok' : failedOrgs.has(code) ? 'skip' : 'unknown');
  const company = (code: string) =>
    known.companyCodes.has(code) || companiesInFile.has(code) ? 'ok' : failedCompanies.has(code) ? 'skip' : 'unknown';
  const orgUnknown = (r: SourceRow, kind: ImportKind, field: string) =>
    errors.add(r, kind, field, ImportRowCode.orgUnknown, '登记册中没有该统一社会信用代码的集体经济组织');
  const companyUnknown = (r: SourceRow, kind: ImportKind) =>
    errors.add(r, kind, 'companyCode', ImportRowCode.companyUnknown, '登记册中没有该统一社会信用代码的平台公司');

  for (const r of file.orgs?.rows ?? []) steps.push({ kind: 'orgs', row: r.source, rec: r.rec });
  for (const r of file.companies?.rows ?? []) steps.push({ kind: 'companies', row: r.source, rec: r.rec });

  // Shareholders: each company's rows are its whole list, written only when every row is good.
  const lists = new Map<string, ShareholderEntry[]>();
  for (const r of file.shareholders?.rows ?? []) {
    const list = lists.get(r.companyCode) ?? [];
    lists.set(r.companyCode, list);
    if (r.orgCode !== null && org(r.orgCode) !== 'ok') {
      if (org(r.orgCode) === 'unknown') orgUnknown(r.source, 'shareholders', 'orgCode');
      failedShareholders.add(r.companyCode);
      continue;
    }
    list.push({ row: r.source, orgCode: r.orgCode, holderName: r.holderName, contributionFen: r.contributionFen, shareBp: r.shareBp });
  }
  for (const [code, entries] of lists) {
    if (failedShareholders.has(code) || !entries.length) continue;
    const c = company(code);
    if (c === 'unknown') companyUnknown(entries[0].row, 'shareholders');
    if (c === 'ok') steps.push({ kind: 'shareholders', companyCode: code, entries });
  }

  for (const r of file.org_figures?.rows ?? []) {
    const o = org(r.orgCode);
    if (o === 'unknown') orgUnknown(r.source, 'org_figures', 'orgCode');
    if (o === 'ok') steps.push({ kind: 'org_figures', row: r.source, orgCode: r.orgCode, year: r.year, figures: r.figures });
  }

  // Company figures and dividends meet per (company, year): a failed row of either table drops that year.
  const failedYears = new Set([...(file.company_figures?.failed ?? none), ...(file.dividends?.failed ?? none)]);
  const years = new Map<string, CompanyYear>();
  const firstRows = new Map<string, SourceRow>();
  const yearOf = (companyCode: string, year: number, row: SourceRow): CompanyYear => {
    const key = companyYearKey(companyCode, year);
    let y = years.get(key);
    if (!y) {
      y = { companyCode, year, first: firstRows.get(key) ?? row, table: 'dividends' };
      years.set(key, y);
    }
    return y;
  };
  // The first row of a year in file order: figures before dividends, as the tables are read.
  for (const r of [...(file.company_figures?.rows ?? []), ...(file.dividends?.rows ?? [])]) {
    const key = companyYearKey(r.companyCode, r.year);
    if (!firstRows.has(key)) firstRows.set(key, r.source);
  }
  for (const r of file.company_figures?.rows ?? []) {
    const y = yearOf(r.companyCode, r.year, r.source);
    y.figures = { revenueFen: r.revenueFen, profitFen: r.profitFen };
    y.table = 'company_figures';
  }
  for (const r of file.dividends?.rows ?? []) {
    const o = org(r.orgCode);
    if (o !== 'ok') {
      if (o === 'unknown') orgUnknown(r.source, 'dividends', 'orgCode');
      failedYears.add(companyYearKey(r.companyCode, r.year));
      continue;
    }
    (yearOf(r.companyCode, r.year, r.source).dividends ??= []).push({ orgCode: r.orgCode, amountFen: r.amountFen, row: r.source });
  }
  for (const [key, y] of years) {
    if (failedYears.has(key)) continue;
    const c = company(y.companyCode);
    if (c === 'unknown') companyUnknown(y.first, y.table);
    if (c === 'ok') steps.push({ kind: 'company_year', year: y });
  }
  return { steps, errors: errors.list, failedOrgs, failedCompanies, failedShareholders };
}

/** What a company year writes, given what is stored: the figures to save, or the errors that stop it, or nothing to do. */
export type CompanyYearDecision =
  | { write: { revenueFen: string; profitFen: string; dividends: { orgId: string; amountFen: string }[] } }
  | { errors: { row: SourceRow; kind: ImportKind; field: string; error: DomainError | { code: string; message: string } }[] }
  | { skip: true };

/**
 * Pure: the year's figures over what is stored. Dividends with no figures in the file need stored
 * figures (FIGURES_MISSING); every dividend must go to a shareholder organization
 * (DIVIDEND_NOT_SHAREHOLDER) — unless the company's shareholder list itself failed.
 */
export function decideCompanyYear(
  y: CompanyYear,
  orgIds: ReadonlyMap<string, string>,
  stored: { revenueFen: string; profitFen: string; dividends: { orgId: string; amountFen: string }[] } | undefined,
  holderOrgIds: ReadonlySet<string | null>,
  shareholdersFailed: boolean,
): CompanyYearDecision {
  if (!y.figures && !stored)
    return {
      errors: [
        {
          row: y.first,
          kind: 'dividends',
          field: 'year',
          error: { code: ImportRowCode.figuresMissing, message: '该公司该年度尚无营业收入和利润数据，请一并导入“平台公司年度数据”' },
        },
      ],
    };
  const dividends = (y.dividends ?? []).map((d) => ({ ...d, orgId: orgIds.get(d.orgCode) }));
  if (dividends.some((d) => d.orgId === undefined)) return { skip: true };
  const strangers = dividends.filter((d) => !holderOrgIds.has(d.orgId!));
  if (strangers.length && shareholdersFailed) return { skip: true };
  if (strangers.length)
    return {
      errors: strangers.map((d) => ({ row: d.row, kind: 'dividends', field: 'orgCode', error: EconomyErrors.dividendNotShareholder() })),
    };
  return {
    write: {
      revenueFen: y.figures?.revenueFen ?? stored!.revenueFen,
      profitFen: y.figures?.profitFen ?? stored!.profitFen,
      dividends: y.dividends
        ? dividends.map((d) => ({ orgId: d.orgId!, amountFen: d.amountFen }))
        : (stored?.dividends ?? []).map((d) => ({ orgId: d.orgId, amountFen: d.amountFen })),
    },
  };
}
