/**
 * Validation: typed rows out of parsed rows, and row errors with stable codes and Chinese messages.
 * Pure: no database, no clock; what needs the database (unknown codes, scope, locks) is the plan's
 * and the write's.
 */
import { textProblem, type DomainError } from '#platform';
import { type CompanyRecord, companyInputErrors } from '../companies.service.js';
import { normalizeCreditCode } from '../credit-code-rules.js';
import { percentToBp, yuanToFen } from '../money.js';
import { type OrgFigures, type OrgRecord, orgFigureErrors, orgInputErrors } from '../orgs.service.js';
import {
  COMPANY_LEVEL_BY_NAME,
  COMPANY_STATUS_BY_NAME,
  HOLDER_KIND_BY_NAME,
  type ImportKind,
  ORG_LEVEL_BY_NAME,
  ORG_STATUS_BY_NAME,
  SHEETS,
} from '../sheets.js';
import type { ImportRowError } from '../views.js';
import type { SourceRow } from './parse.js';
import { ImportRowCode } from './row-codes.js';

export interface OrgRow {
  source: SourceRow;
  rec: OrgRecord;
}

export interface CompanyRow {
  source: SourceRow;
  rec: CompanyRecord;
}

export interface OrgFigureRow {
  source: SourceRow;
  orgCode: string;
  year: number;
  figures: OrgFigures;
}

export interface ShareholderRow {
  source: SourceRow;
  companyCode: string;
  /** The holding organization's credit code; null for another holder, named by `holderName`. */
  orgCode: string | null;
  holderName: string | null;
  contributionFen: string;
  shareBp: number;
}

export interface CompanyFigureRow {
  source: SourceRow;
  companyCode: string;
  year: number;
  revenueFen: string;
  profitFen: string;
}

export interface DividendRow {
  source: SourceRow;
  companyCode: string;
  year: number;
  orgCode: string;
  amountFen: string;
}

/** A table's valid rows, its row errors, and the keys its failed rows poison (see each validator). */
export interface Validated<T> {
  rows: T[];
  errors: ImportRowError[];
  failed: Set<string>;
}

/** The errors found so far, with the column's header looked up from its key. */
export class RowErrors {
  readonly list: ImportRowError[] = [];

  add(r: SourceRow, kind: ImportKind, field: string, code: string, message: string): void {
    const column = SHEETS[kind].columns.find((c) => c.key === field)?.header ?? field;
    this.list.push({ sheet: r.sheet, row: r.row, column, code, message });
  }

  addDomain(r: SourceRow, kind: ImportKind, field: string, e: DomainError): void {
    this.add(r, kind, field, e.code, e.message);
  }
}

type Cell = string | number | bigint | null;

/** Required cells present and each typed cell parsed; the converted values, or null after reporting. */
export function convertRow(kind: ImportKind, r: SourceRow, errors: RowErrors): Record<string, Cell> | null {
  const out: Record<string, Cell> = {};
  let ok = true;
  const fail = (key: string, code: string, message: string) => {
    errors.add(r, kind, key, code, message);
    ok = false;
  };
  for (const c of SHEETS[kind].columns) {
    if (c.info) continue;
    const raw = r.cells[c.key] ?? '';
    out[c.key] = null;
    if (!raw) {
      if (c.required) fail(c.key, ImportRowCode.valueRequired, `“${c.header}”不能为空`);
      continue;
    }
    switch (c.type ?? 'text') {
      case 'int':
        if (!/^\d{1,15}$/.test(raw)) fail(c.key, ImportRowCode.integerInvalid, `“${c.header}”应为非负整数`);
        else out[c.key] = raw;
        break;
      case 'yuan': {
        const fen = yuanToFen(raw);
        if (fen === null) fail(c.key, ImportRowCode.amountInvalid, `“${c.header}”应为金额（元，最多两位小数）`);
        else out[c.key] = fen;
        break;
      }
      case 'percent': {
        const bp = percentToBp(raw);
        if (bp === null || bp > 10000) fail(c.key, ImportRowCode.percentInvalid, `“${c.header}”应为 0–100 之间、最多两位小数的百分数`);
        else out[c.key] = bp;
        break;
      }
      case 'date': {
        const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
        const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
        if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3])
          fail(c.key, ImportRowCode.dateInvalid, `“${c.header}”应为日期，如 2024-03-15`);
        else out[c.key] = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
        break;
      }
      case 'text': {
        const problem = textProblem(raw, 'line');
        if (problem) fail(c.key, ImportRowCode.textInvalid, `“${c.header}”${problem}`);
        else out[c.key] = raw;
        break;
      }
    }
  }
  return ok ? out : null;
}

const text = (v: Cell): string => (v === null ? '' : String(v));
const textOrNull = (v: Cell): string | null => (v === null ? null : String(v));

/** A plausible year (2000–2100), or null after reporting YEAR_INVALID. */
function yearOf(r: SourceRow, kind: ImportKind, v: Cell, errors: RowErrors): number | null {
  const y = Number(v);
  if (!Number.isInteger(y) || y < 2000 || y > 2100) {
    errors.add(r, kind, 'year', ImportRowCode.yearInvalid, '年度应为 2000–2100 之间的年份');
    return null;
  }
  return y;
}

/** Keys seen in one table of the file: the same key twice is an error on the second row, naming the first. */
class SeenKeys {
  private readonly first = new Map<string, number>();
  duplicate(r: SourceRow, kind: ImportKind, field: string, key: string, errors: RowErrors): boolean {
    const first = this.first.get(key);
    if (first !== undefined) {
      errors.add(r, kind, field, ImportRowCode.duplicateInFile, `与第 ${first} 行重复`);
      return true;
    }
    this.first.set(key, r.row);
    return false;
  }
}

/** `failed`: the credit codes of rows that failed (what refers to them is then skipped, not reported again). */
export function validateOrgs(rows: SourceRow[]): Validated<OrgRow> {
  const errors = new RowErrors();
  const seen = new SeenKeys();
  const out: OrgRow[] = [];
  const failed = new Set<string>();
  for (const r of rows) {
    const before = errors.list.length;
    const row = validateOrg(r, errors, seen);
    if (row) out.push(row);
    if (errors.list.length > before) failed.add(normalizeCreditCode(r.cells.creditCode ?? ''));
  }
  return { rows: out, errors: errors.list, failed };
}

function validateOrg(r: SourceRow, errors: RowErrors, seen: SeenKeys): OrgRow | null {
  const v = convertRow('orgs', r, errors);
  if (!v) return null;
  const level = ORG_LEVEL_BY_NAME[text(v.level)];
  const status = v.status === null ? 'active' : ORG_STATUS_BY_NAME[text(v.status)];
  if (!level) errors.add(r, 'orgs', 'level', ImportRowCode.levelInvalid, '层级应为“组级”“村级”或“乡镇级”');
  if (!status) errors.add(r, 'orgs', 'status', ImportRowCode.statusInvalid, '状态应为“正常”或“注销”');
  if (!level || !status) return null;
  const rec: OrgRecord = {
    level,
    divisionCode: text(v.divisionCode),
    name: text(v.name),
    creditCode: normalizeCreditCode(text(v.creditCode)),
    registrationNo: textOrNull(v.registrationNo),
    registeredOn: textOrNull(v.registeredOn),
    charterFiledOn: textOrNull(v.charterFiledOn),
    chairName: text(v.chairName),
    memberCount: Number(v.memberCount),
    totalShares: text(v.totalShares),
    status,
  };
  if (seen.duplicate(r, 'orgs', 'creditCode', rec.creditCode, errors)) return null;
  const local = orgInputErrors(rec);
  for (const e of local) errors.addDomain(r, 'orgs', e.field, e.error);
  return local.length ? null : { source: r, rec };
}

/** `failed`: the credit codes of rows that failed. */
export function validateCompanies(rows: SourceRow[]): Validated<CompanyRow> {
  const errors = new RowErrors();
  const seen = new SeenKeys();
  const out: CompanyRow[] = [];
  const failed = new Set<string>();
  for (const r of rows) {
    const before = errors.list.length;
    const row = validateCompany(r, errors, seen);
    if (row) out.push(row);
    if (errors.list.length > before) failed.add(normalizeCreditCode(r.cells.creditCode ?? ''));
  }
  return { rows: out, errors: errors.list, failed };
}

function validateCompany(r: SourceRow, errors: RowErrors, seen: SeenKeys): CompanyRow | null {
  const v = convertRow('companies', r, errors);
  if (!v) return null;
  const level = COMPANY_LEVEL_BY_NAME[text(v.level)];
  const status = COMPANY_STATUS_BY_NAME[text(v.status)];
  if (!level) errors.add(r, 'companies', 'level', ImportRowCode.levelInvalid, '层级应为“县级”或“乡镇级”');
  if (!status) errors.add(r, 'companies', 'status', ImportRowCode.statusInvalid, '状态应为“筹建”“运营”“停业”或“注销”');
  if (!level || !status) return null;
  const rec: CompanyRecord = {
    level,
    divisionCode: text(v.divisionCode),
    name: text(v.name),
    creditCode: normalizeCreditCode(text(v.creditCode)),
    legalRep: text(v.legalRep),
    registeredCapitalFen: text(v.registeredCapitalFen),
    paidInCapitalFen: text(v.paidInCapitalFen),
    foundedOn: textOrNull(v.foundedOn),
    businessScope: textOrNull(v.businessScope),
    status,
  };
  if (seen.duplicate(r, 'companies', 'creditCode', rec.creditCode, errors)) return null;
  const local = companyInputErrors(rec);
  for (const e of local) errors.addDomain(r, 'companies', e.field, e.error);
  return local.length ? null : { source: r, rec };
}

/** `failed` is unused (figures are referred to by nothing). */
export function validateOrgFigures(rows: SourceRow[]): Validated<OrgFigureRow> {
  const errors = new RowErrors();
  const seen = new SeenKeys();
  const out: OrgFigureRow[] = [];
  for (const r of rows) {
    const v = convertRow('org_figures', r, errors);
    if (!v) continue;
    const year = yearOf(r, 'org_figures', v.year, errors);
    if (year === null) continue;
    const orgCode = normalizeCreditCode(text(v.orgCode));
    if (seen.duplicate(r, 'org_figures', 'orgCode', `${orgCode}:${year}`, errors)) continue;
    const figures: OrgFigures = {
      operatingIncomeFen: text(v.operatingIncomeFen),
      totalIncomeFen: text(v.totalIncomeFen),
      reserveFundFen: text(v.reserveFundFen),
      distributedFen: text(v.distributedFen),
    };
    const negative = (['operatingIncomeFen', 'reserveFundFen', 'distributedFen'] as const).filter((k) => BigInt(figures[k]) < 0n);
    for (const k of negative) errors.add(r, 'org_figures', k, ImportRowCode.amountNegative, '经营收入、公积公益金和分配金额不能为负数');
    const rule = orgFigureErrors(figures);
    for (const e of rule) errors.addDomain(r, 'org_figures', e.field, e.error);
    if (!negative.length && !rule.length) out.push({ source: r, orgCode, year, figures });
  }
  return { rows: out, errors: errors.list, failed: new Set() };
}

/** Each company's rows are its whole list: `failed` holds the companies with a failed row (their list is not written). */
export function validateShareholders(rows: SourceRow[]): Validated<ShareholderRow> {
  const errors = new RowErrors();
  const out: ShareholderRow[] = [];
  const failed = new Set<string>();
  for (const r of rows) {
    const companyCode = normalizeCreditCode(r.cells.companyCode ?? '');
    const row = validateShareholder(r, companyCode, errors);
    if (row) out.push(row);
    else failed.add(companyCode);
  }
  return { rows: out, errors: errors.list, failed };
}

function validateShareholder(r: SourceRow, companyCode: string, errors: RowErrors): ShareholderRow | null {
  const v = convertRow('shareholders', r, errors);
  if (!v) return null;
  const kind = HOLDER_KIND_BY_NAME[text(v.holderKind)];
  if (!kind) {
    errors.add(r, 'shareholders', 'holderKind', ImportRowCode.holderKindInvalid, '股东类型应为“集体经济组织”或“其他”');
    return null;
  }
  if (kind === 'other' && !v.holderName) {
    errors.add(r, 'shareholders', 'holderName', ImportRowCode.valueRequired, '其他股东须填写股东名称');
    return null;
  }
  if (kind === 'org' && !v.orgCode) {
    errors.add(r, 'shareholders', 'orgCode', ImportRowCode.valueRequired, '集体经济组织股东须填写其统一社会信用代码');
    return null;
  }
  return {
    source: r,
    companyCode,
    orgCode: kind === 'org' ? normalizeCreditCode(text(v.orgCode)) : null,
    holderName: textOrNull(v.holderName),
    contributionFen: text(v.contributionFen),
    shareBp: Number(v.shareBp),
  };
}

/** The (company, year) a figures or dividends row belongs to: the year as parsed, or as written when it is not one. */
export const companyYearKey = (companyCode: string, year: number | string): string => `${companyCode}:${year}`;

/** `failed` holds the (company, year) keys with a failed row: that year is not written. */
export function validateCompanyFigures(rows: SourceRow[]): Validated<CompanyFigureRow> {
  const errors = new RowErrors();
  const seen = new SeenKeys();
  const out: CompanyFigureRow[] = [];
  const failed = new Set<string>();
  for (const r of rows) {
    const companyCode = normalizeCreditCode(r.cells.companyCode ?? '');
    const v = convertRow('company_figures', r, errors);
    const year = v ? yearOf(r, 'company_figures', v.year, errors) : null;
    const key = companyYearKey(companyCode, year ?? r.cells.year ?? '');
    if (!v || year === null || seen.duplicate(r, 'company_figures', 'companyCode', key, errors)) {
      failed.add(key);
      continue;
    }
    const row = { source: r, companyCode, year, revenueFen: text(v.revenueFen), profitFen: text(v.profitFen) };
    if (BigInt(row.revenueFen) < 0n) {
      errors.add(r, 'company_figures', 'revenueFen', ImportRowCode.amountNegative, '营业收入不能为负数');
      failed.add(key);
      continue;
    }
    out.push(row);
  }
  return { rows: out, errors: errors.list, failed };
}

/** `failed` holds the (company, year) keys with a failed row. */
export function validateDividends(rows: SourceRow[]): Validated<DividendRow> {
  const errors = new RowErrors();
  const seen = new SeenKeys();
  const out: DividendRow[] = [];
  const failed = new Set<string>();
  for (const r of rows) {
    const companyCode = normalizeCreditCode(r.cells.companyCode ?? '');
    const v = convertRow('dividends', r, errors);
    const year = v ? yearOf(r, 'dividends', v.year, errors) : null;
    const key = companyYearKey(companyCode, year ?? r.cells.year ?? '');
    if (!v || year === null) {
      failed.add(key);
      continue;
    }
    const orgCode = normalizeCreditCode(text(v.orgCode));
    if (seen.duplicate(r, 'dividends', 'orgCode', `${key}:${orgCode}`, errors)) {
      failed.add(key);
      continue;
    }
    if (BigInt(text(v.amountFen)) < 0n) {
      errors.add(r, 'dividends', 'amountFen', ImportRowCode.amountNegative, '分红金额不能为负数');
      failed.add(key);
      continue;
    }
    out.push({ source: r, companyCode, year, orgCode, amountFen: text(v.amountFen) });
  }
  return { rows: out, errors: errors.list, failed };
}
