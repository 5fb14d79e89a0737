import { creditCodeCheckChar } from '#platform';
import { EconomyErrorCode } from '../economy.errors.js';
import { SHEETS, type ImportKind } from '../sheets.js';
import type { RawSheet } from '../workbook.js';
import { parseTable, type SourceRow } from './parse.js';
import { decideCompanyYear, planImport, type CompanyYear } from './plan.js';
import { ImportRowCode } from './row-codes.js';
import {
  validateCompanies,
  validateCompanyFigures,
  validateDividends,
  validateOrgFigures,
  validateOrgs,
  validateShareholders,
} from './validate.js';

const withCheck = (first17: string) => first17 + creditCodeCheckChar(first17);
/** Village-level organizations of 长子县 (140428). */
const ORG_A = withCheck('N2140428MA0K3C7Q1');
const ORG_B = withCheck('N2140428MA0K3C7Q2');
const COMPANY = '91350100M000100Y43';
const VILLAGE = '140428101200';

/** A sheet of `kind` with the export's headers (by name, in any order) and rows given by column key. */
function sheet(kind: ImportKind, rows: Record<string, string>[], opts: { drop?: string[]; reverse?: boolean } = {}): RawSheet {
  let header = SHEETS[kind].columns.map((c) => c.header).filter((h) => !opts.drop?.includes(h));
  if (opts.reverse) header = [...header].reverse();
  return {
    name: SHEETS[kind].title,
    header,
    rows: rows.map((r, i) => ({
      row: i + 2,
      values: Object.fromEntries(SHEETS[kind].columns.filter((c) => header.includes(c.header)).map((c) => [c.header, r[c.key] ?? ''])),
    })),
  };
}
const rowsOf = (kind: ImportKind, rows: Record<string, string>[]): SourceRow[] => parseTable(kind, sheet(kind, rows)).rows;

const ORG = {
  level: '村级',
  divisionCode: VILLAGE,
  name: '某村股份经济合作社集体经济组织',
  creditCode: ORG_A,
  chairName: '刘海军',
  memberCount: '50',
  totalShares: '500',
  status: '正常',
};
const COMPANY_ROW = {
  level: '县级',
  divisionCode: '140428',
  name: '长子县强村公司',
  creditCode: COMPANY,
  legalRep: '王强',
  registeredCapitalFen: '1000000',
  paidInCapitalFen: '500000',
  status: '运营',
};
const ORG_FIGURES = {
  orgCode: ORG_A,
  year: '2025',
  operatingIncomeFen: '100000',
  totalIncomeFen: '120000',
  reserveFundFen: '1000',
  distributedFen: '2000',
};

describe('import: parse', () => {
  it('finds columns by header name, whatever their order', () => {
    const parsed = parseTable('orgs', sheet('orgs', [ORG], { reverse: true }));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0].cells).toMatchObject({ creditCode: ORG_A, name: ORG.name, totalShares: '500' });
  });

  it('reports COLUMN_MISSING for each required header absent, on row 1, and reads no row', () => {
    const parsed = parseTable('orgs', sheet('orgs', [ORG], { drop: ['组织名称', '总份额', '登记证书编号'] }));
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [1, '组织名称', ImportRowCode.columnMissing],
      [1, '总份额', ImportRowCode.columnMissing],
    ]);
  });
});

describe('import: validate', () => {
  it('turns a good organization row into a record', () => {
    const v = validateOrgs(rowsOf('orgs', [ORG]));
    expect(v.errors).toEqual([]);
    expect(v.rows[0].rec).toMatchObject({ level: 'village', status: 'active', memberCount: 50, totalShares: '500', registeredOn: null });
  });

  it.each([
    ['VALUE_REQUIRED', { chairName: '' }, '理事长'],
    ['INTEGER_INVALID', { memberCount: '5.5' }, '成员数'],
    ['DATE_INVALID', { registeredOn: '2024-02-30' }, '登记日期'],
    ['TEXT_INVALID', { chairName: '刘\u0007海军' }, '理事长'],
    ['LEVEL_INVALID', { level: '县级' }, '层级'],
    ['STATUS_INVALID', { status: '筹建' }, '状态'],
    [EconomyErrorCode.orgNameInvalid, { name: '某村合作社' }, '组织名称'],
    [EconomyErrorCode.creditCodeChecksum, { creditCode: ORG_A.slice(0, 17) + (ORG_A[17] === '0' ? '1' : '0') }, '统一社会信用代码'],
  ])('an organization row: %s', (code, change, column) => {
    const v = validateOrgs(rowsOf('orgs', [{ ...ORG, ...change }]));
    expect(v.rows).toEqual([]);
    expect(v.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, column, code]]);
    expect(v.failed.size).toBe(1);
  });

  it('DUPLICATE_IN_FILE: the second row with a credit code names the first', () => {
    const v = validateOrgs(rowsOf('orgs', [ORG, { ...ORG, creditCode: ORG_A.toLowerCase() }]));
    expect(v.rows).toHaveLength(1);
    expect(v.errors).toEqual([
      { sheet: '集体经济组织', row: 3, column: '统一社会信用代码', code: ImportRowCode.duplicateInFile, message: '与第 2 行重复' },
    ]);
  });

  it.each([
    ['AMOUNT_INVALID', { registeredCapitalFen: '12.345' }, '注册资本（元）'],
    [EconomyErrorCode.paidInOverRegistered, { paidInCapitalFen: '2000000' }, '实缴资本（元）'],
  ])('a company row: %s', (code, change, column) => {
    const v = validateCompanies(rowsOf('companies', [{ ...COMPANY_ROW, ...change }]));
    expect(v.rows).toEqual([]);
    expect(v.errors.map((e) => [e.column, e.code])).toEqual([[column, code]]);
  });

  it.each([
    ['YEAR_INVALID', { year: '1999' }, '年度'],
    ['AMOUNT_NEGATIVE', { reserveFundFen: '-1' }, '提取公积公益金（元）'],
    [EconomyErrorCode.totalBelowOperating, { totalIncomeFen: '99999' }, '总收入（元）'],
  ])('an organization figures row: %s', (code, change, column) => {
    const v = validateOrgFigures(rowsOf('org_figures', [{ ...ORG_FIGURES, ...change }]));
    expect(v.rows).toEqual([]);
    expect(v.errors.map((e) => [e.column, e.code])).toEqual([[column, code]]);
  });

  it('DUPLICATE_IN_FILE: the same organization and year twice', () => {
    const v = validateOrgFigures(rowsOf('org_figures', [ORG_FIGURES, ORG_FIGURES, { ...ORG_FIGURES, year: '2024' }]));
    expect(v.rows.map((r) => r.year)).toEqual([2025, 2024]);
    expect(v.errors.map((e) => [e.row, e.code])).toEqual([[3, ImportRowCode.duplicateInFile]]);
  });

  it('shareholder rows: HOLDER_KIND_INVALID, PERCENT_INVALID and VALUE_REQUIRED by kind; a failed row fails its company', () => {
    const base = { companyCode: COMPANY, contributionFen: '1000', shareBp: '10' };
    const v = validateShareholders(
      rowsOf('shareholders', [
        { ...base, holderKind: '个人', holderName: '张三' },
        { ...base, holderKind: '其他', holderName: '张三', shareBp: '100.5' },
        { ...base, holderKind: '其他' },
        { ...base, holderKind: '集体经济组织' },
        { ...base, companyCode: withCheck('91140428MA0K3C7Q1'), holderKind: '集体经济组织', orgCode: ORG_A },
      ]),
    );
    expect(v.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '股东类型', ImportRowCode.holderKindInvalid],
      [3, '持股比例（%）', ImportRowCode.percentInvalid],
      [4, '股东名称', ImportRowCode.valueRequired],
      [5, '股东统一社会信用代码', ImportRowCode.valueRequired],
    ]);
    expect([...v.failed]).toEqual([COMPANY]);
    expect(v.rows.map((r) => [r.orgCode, r.shareBp])).toEqual([[ORG_A, 1000]]);
  });

  it('company figures and dividends: AMOUNT_NEGATIVE, YEAR_INVALID and DUPLICATE_IN_FILE fail their (company, year)', () => {
    const f = validateCompanyFigures(
      rowsOf('company_figures', [
        { companyCode: COMPANY, year: '2025', revenueFen: '-5', profitFen: '1' },
        { companyCode: COMPANY, year: '2024', revenueFen: '5', profitFen: '-1' },
        { companyCode: COMPANY, year: '2024', revenueFen: '5', profitFen: '1' },
        { companyCode: COMPANY, year: '3000', revenueFen: '5', profitFen: '1' },
      ]),
    );
    expect(f.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '营业收入（元）', ImportRowCode.amountNegative],
      [4, '公司统一社会信用代码', ImportRowCode.duplicateInFile],
      [5, '年度', ImportRowCode.yearInvalid],
    ]);
    expect([...f.failed].sort()).toEqual([`${COMPANY}:2024`, `${COMPANY}:2025`, `${COMPANY}:3000`]);
    const d = validateDividends(
      rowsOf('dividends', [
        { companyCode: COMPANY, year: '2025', orgCode: ORG_A, amountFen: '10' },
        { companyCode: COMPANY, year: '2025', orgCode: ORG_A, amountFen: '10' },
        { companyCode: COMPANY, year: '2026', orgCode: ORG_B, amountFen: '-10' },
      ]),
    );
    expect(d.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '收益组织统一社会信用代码', ImportRowCode.duplicateInFile],
      [4, '分红金额（元）', ImportRowCode.amountNegative],
    ]);
    expect(d.rows).toHaveLength(1);
  });
});

describe('import: plan', () => {
  const none = { orgCodes: new Set<string>(), companyCodes: new Set<string>() };

  it('ORG_UNKNOWN for a code neither stored nor in the file; a code the file creates is known', () => {
    const plan = planImport(
      {
        orgs: validateOrgs(rowsOf('orgs', [ORG])),
        org_figures: validateOrgFigures(rowsOf('org_figures', [ORG_FIGURES, { ...ORG_FIGURES, orgCode: ORG_B }])),
      },
      none,
    );
    expect(plan.errors.map((e) => [e.sheet, e.row, e.column, e.code])).toEqual([
      ['集体经济组织年度数据', 3, '统一社会信用代码', ImportRowCode.orgUnknown],
    ]);
    expect(plan.steps.map((s) => s.kind)).toEqual(['orgs', 'org_figures']);
  });

  it('a reference to an organization whose own row failed is skipped, not reported again', () => {
    const plan = planImport(
      {
        orgs: validateOrgs(rowsOf('orgs', [{ ...ORG, level: '市级' }])),
        org_figures: validateOrgFigures(rowsOf('org_figures', [ORG_FIGURES])),
      },
      none,
    );
    expect(plan.errors).toEqual([]);
    expect(plan.steps).toEqual([]);
  });

  it('COMPANY_UNKNOWN for shareholders and figures of a company not in the register', () => {
    const plan = planImport(
      {
        shareholders: validateShareholders(
          rowsOf('shareholders', [{ companyCode: COMPANY, holderKind: '其他', holderName: '张三', contributionFen: '1', shareBp: '1' }]),
        ),
        company_figures: validateCompanyFigures(
          rowsOf('company_figures', [{ companyCode: COMPANY, year: '2025', revenueFen: '5', profitFen: '1' }]),
        ),
      },
      { orgCodes: new Set(), companyCodes: new Set() },
    );
    expect(plan.errors.map((e) => [e.sheet, e.row, e.code])).toEqual([
      ['平台公司股东', 2, ImportRowCode.companyUnknown],
      ['平台公司年度数据', 2, ImportRowCode.companyUnknown],
    ]);
    expect(plan.steps).toEqual([]);
  });

  it('pairs a company year’s figures and dividends into one step, counted under the figures', () => {
    const plan = planImport(
      {
        company_figures: validateCompanyFigures(
          rowsOf('company_figures', [{ companyCode: COMPANY, year: '2025', revenueFen: '5', profitFen: '1' }]),
        ),
        dividends: validateDividends(rowsOf('dividends', [{ companyCode: COMPANY, year: '2025', orgCode: ORG_A, amountFen: '10' }])),
      },
      { orgCodes: new Set([ORG_A]), companyCodes: new Set([COMPANY]) },
    );
    expect(plan.errors).toEqual([]);
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0];
    expect(step.kind === 'company_year' && step.year).toMatchObject({
      table: 'company_figures',
      figures: { revenueFen: '500', profitFen: '100' },
      dividends: [{ orgCode: ORG_A, amountFen: '1000' }],
      first: { sheet: '平台公司年度数据', row: 2 },
    });
  });

  describe('a company year against what is stored', () => {
    const row: SourceRow = { sheet: '分红', row: 7, cells: {} };
    const year = (y: Partial<CompanyYear>): CompanyYear => ({ companyCode: COMPANY, year: 2025, first: row, table: 'dividends', ...y });
    const ids = new Map([[ORG_A, 'org-a']]);

    it('FIGURES_MISSING: dividends alone for a year with no stored figures', () => {
      const d = decideCompanyYear(
        year({ dividends: [{ orgCode: ORG_A, amountFen: '1', row }] }),
        ids,
        undefined,
        new Set(['org-a']),
        false,
      );
      expect('errors' in d && d.errors.map((e) => [e.row.row, e.field, e.error.code])).toEqual([[7, 'year', ImportRowCode.figuresMissing]]);
    });

    it('DIVIDEND_NOT_SHAREHOLDER: a dividend to an organization that holds no share', () => {
      const y = year({ figures: { revenueFen: '5', profitFen: '1' }, dividends: [{ orgCode: ORG_A, amountFen: '1', row }] });
      const d = decideCompanyYear(y, ids, undefined, new Set([null]), false);
      expect('errors' in d && d.errors.map((e) => [e.field, e.error.code])).toEqual([['orgCode', EconomyErrorCode.dividendNotShareholder]]);
      expect(decideCompanyYear(y, ids, undefined, new Set([null]), true)).toEqual({ skip: true });
    });

    it('dividends alone keep the stored figures; figures alone keep the stored dividends', () => {
      const stored = { revenueFen: '9', profitFen: '3', dividends: [{ orgId: 'org-a', amountFen: '2' }] };
      expect(
        decideCompanyYear(year({ dividends: [{ orgCode: ORG_A, amountFen: '1', row }] }), ids, stored, new Set(['org-a']), false),
      ).toEqual({
        write: { revenueFen: '9', profitFen: '3', dividends: [{ orgId: 'org-a', amountFen: '1' }] },
      });
      expect(decideCompanyYear(year({ figures: { revenueFen: '5', profitFen: '1' } }), ids, stored, new Set(['org-a']), false)).toEqual({
        write: { revenueFen: '5', profitFen: '1', dividends: [{ orgId: 'org-a', amountFen: '2' }] },
      });
    });
  });
});

describe('every row-error code of the import is tested', () => {
  it('lists them', () => {
    expect(Object.values(ImportRowCode).sort()).toEqual(
      [
        'AMOUNT_INVALID',
        'AMOUNT_NEGATIVE',
        'COLUMN_MISSING',
        'COMPANY_UNKNOWN',
        'DATE_INVALID',
        'DUPLICATE_IN_FILE',
        'FIGURES_MISSING',
        'HOLDER_KIND_INVALID',
        'INTEGER_INVALID',
        'LEVEL_INVALID',
        'ORG_UNKNOWN',
        'PERCENT_INVALID',
        'STATUS_INVALID',
        'TEXT_INVALID',
        'VALUE_REQUIRED',
        'YEAR_INVALID',
      ].sort(),
    );
  });
});
