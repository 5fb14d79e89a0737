import {
  companyCreditCode,
  download,
  orgCreditCode,
  readXlsxCells,
  villagesIn,
  waitForImport,
  xlsxBase64,
} from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const E = '/api/v1/economy';
const ORG_HEADER = [
  '层级',
  '所在区划代码',
  '所在区划',
  '组织名称',
  '统一社会信用代码',
  '登记证书编号',
  '登记日期',
  '章程备案日期',
  '理事长',
  '成员数',
  '总份额',
  '状态',
];

async function runImport(token: string, body: Record<string, unknown>) {
  const started = await t.api.post(`${E}/imports`, body, token);
  expect(started.status).toBe(202);
  const progress: number[] = [];
  const job = await waitForImport(
    () => t.api.get(`${E}/imports/${started.body.id}`, token),
    (processed, total) => {
      expect(total).toBe(started.body.total);
      progress.push(processed);
    },
  );
  // Progress only moves forward and never past the total.
  expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  expect(progress.every((p) => p <= job.total)).toBe(true);
  return { started: started.body, job };
}

const counts = async () => {
  const [r] = await queryRows<{ orgs: number; changes: number; audits: number }>(
    t.db,
    `SELECT (SELECT count(*)::int FROM collective_org) AS orgs, (SELECT count(*)::int FROM economy_change) AS changes,
            (SELECT count(*)::int FROM audit_log WHERE action LIKE 'economy.%') AS audits`,
  );
  return r;
};

describe('Excel import of organizations', () => {
  it('writes nothing for a file with 3 bad rows among 500 and names exactly those rows; the corrected file imports once', async () => {
    const city = await t.given.user('city_admin', '1404');
    const villages = await villagesIn(t.db, '1404', 500);
    expect(villages).toHaveLength(500);
    const rows: (string | number | null)[][] = villages.map((v, i) => [
      '村级',
      v.code,
      v.name,
      `${v.name.replace(/(村|居)委会$/, '')}集体经济组织`,
      orgCreditCode(v.code),
      `登字${i}`,
      '2020-06-01',
      '2020-05-20',
      '王建国',
      100 + i,
      1000 + i,
      '正常',
    ]);
    const good = rows.map((r) => [...r]);
    // Three bad rows (Excel rows = index + 2): a corrupted code, an unknown village, a code used twice.
    const code37 = String(rows[37][4]);
    rows[37][4] = code37.slice(0, 17) + (code37[17] === '0' ? '1' : '0');
    rows[201][1] = `${String(rows[201][1]).slice(0, 9)}999`;
    rows[420][4] = rows[5][4];
    const before = await counts();
    const bad = await runImport(city.token, {
      fileName: '组织.xlsx',
      contentBase64: await xlsxBase64([{ name: '集体经济组织', rows: [ORG_HEADER, ...rows] }]),
    });
    expect(bad.started).toMatchObject({ status: 'running', total: 500 });
    expect(bad.job.status).toBe('failed');
    expect(bad.job.result.written).toBe(false);
    expect(bad.job.processed).toBe(500);
    expect(bad.job.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [39, '统一社会信用代码', 'CREDIT_CODE_CHECKSUM'],
      [203, '所在区划代码', 'DIVISION_UNKNOWN'],
      [422, '统一社会信用代码', 'DUPLICATE_IN_FILE'],
    ]);
    expect(bad.job.errors[2].message).toBe('与第 7 行重复');
    expect(
      bad.job.errors.every((e: { sheet: string; message: string }) => e.sheet === '集体经济组织' && /[\u4e00-\u9fa5]/.test(e.message)),
    ).toBe(true);
    expect(await counts()).toEqual(before);

    const file = await xlsxBase64([{ name: '集体经济组织', rows: [ORG_HEADER, ...good] }]);
    const preview = await runImport(city.token, { fileName: '组织.xlsx', contentBase64: file, dryRun: true });
    expect(preview.job).toMatchObject({
      status: 'succeeded',
      dryRun: true,
      errors: [],
      result: { written: false, counts: { orgs: { created: 500, updated: 0, unchanged: 0 } } },
    });
    expect(await counts()).toEqual(before);

    const real = await runImport(city.token, { fileName: '组织.xlsx', contentBase64: file });
    expect(real.job).toMatchObject({
      status: 'succeeded',
      processed: 500,
      total: 500,
      result: { written: true, counts: { orgs: { created: 500, updated: 0, unchanged: 0 } } },
    });
    const stored = await queryRows<{ division_code: string; credit_code: string; member_count: number; total_shares: string }>(
      t.db,
      `SELECT division_code, credit_code, member_count, total_shares::text AS total_shares FROM collective_org ORDER BY division_code`,
    );
    expect(stored).toHaveLength(500);
    expect(stored.map((s) => [s.division_code, s.credit_code, s.member_count, s.total_shares])).toEqual(
      good.map((g) => [g[1], g[4], g[9], String(g[10])]),
    );
    const afterFirst = await counts();

    const again = await runImport(city.token, { fileName: '组织.xlsx', contentBase64: file });
    expect(again.job.result.counts.orgs).toEqual({ created: 0, updated: 0, unchanged: 500 });
    expect(await counts()).toEqual(afterFirst);

    // Another account cannot read this account's job.
    const other = await t.given.user('city_admin', '1404');
    expect((await t.api.get(`${E}/imports/${real.started.id}`, other.token)).status).toBe(404);
  });
});

describe('Excel import of companies, shareholders and figures; export round trip', () => {
  it('imports a whole workbook, refuses shares over 100 % and locked years row by row, and re-imports its own export to the same data', async () => {
    const county = await t.given.user('county_admin', COUNTY);
    const villages = await villagesIn(t.db, TOWNSHIP_A, 6);
    const orgCodes = villages.map((v) => orgCreditCode(v.code));
    const coCounty = companyCreditCode();
    const coTown = companyCreditCode();
    const sheets = (sharesOfLast: number) => [
      {
        name: '集体经济组织',
        rows: [
          ORG_HEADER,
          ...villages.map((v, i) => ['村级', v.code, '', `${v.name}集体经济组织`, orgCodes[i], '', '', '', '刘海军', 50, 500, '正常']),
        ],
      },
      {
        name: '平台公司',
        rows: [
          [
            '层级',
            '所在区划代码',
            '公司名称',
            '统一社会信用代码',
            '法定代表人',
            '注册资本（元）',
            '实缴资本（元）',
            '成立日期',
            '经营范围',
            '状态',
          ],
          [
            '县级',
            COUNTY,
            '长子县乡村振兴发展有限公司',
            coCounty,
            '陈国华',
            50000000,
            '30,000,000.50',
            '2021-05-06',
            '农产品收购、加工、销售',
            '运营',
          ],
          ['乡镇级', TOWNSHIP_A, '鲍店镇强村富民有限公司', coTown, '杨玉梅', 5000000, 2000000, '2022-01-10', '', '筹建'],
        ],
      },
      {
        name: '平台公司股东',
        rows: [
          ['公司统一社会信用代码', '股东类型', '股东统一社会信用代码', '股东名称', '出资额（元）', '持股比例（%）'],
          ...orgCodes.slice(0, 4).map((c, i) => [coTown, '集体经济组织', c, `村${i}`, 1000000, 20]),
          [coTown, '其他', '', '鲍店镇农业服务中心', 1000000, sharesOfLast],
          [coCounty, '集体经济组织', orgCodes[5], '', 2000000, 10],
        ],
      },
      {
        name: '集体经济组织年度数据',
        rows: [
          ['统一社会信用代码', '年度', '经营收入（元）', '总收入（元）', '提取公积公益金（元）', '分配给成员（元）'],
          ...orgCodes.flatMap((c, i) =>
            [2024, 2025].map((y) => [c, y, 50000 + i * 20000 + (y - 2024) * 1000.5, 150000 + i * 1000, 5000, 8000]),
          ),
        ],
      },
      {
        name: '平台公司年度数据',
        rows: [
          ['公司统一社会信用代码', '年度', '营业收入（元）', '利润（元）'],
          [coTown, 2025, 800000, -1200.3],
          [coCounty, 2025, 9000000, 450000],
        ],
      },
      {
        name: '平台公司分红',
        rows: [
          ['公司统一社会信用代码', '年度', '收益组织统一社会信用代码', '分红金额（元）'],
          [coCounty, 2025, orgCodes[5], 45000],
          [coTown, 2025, orgCodes[0], 100],
        ],
      },
    ];
    const over = await runImport(county.token, { fileName: '登记册.xlsx', contentBase64: await xlsxBase64(sheets(20.01)) });
    expect(
      over.job.errors.map((e: { sheet: string; row: number; column: string; code: string }) => [e.sheet, e.row, e.column, e.code]),
    ).toEqual([['平台公司股东', 6, '持股比例（%）', 'SHARES_OVER_100']]);
    expect(await queryRows(t.db, `SELECT 1 FROM platform_company`)).toHaveLength(0);
    const ok = await runImport(county.token, { fileName: '登记册.xlsx', contentBase64: await xlsxBase64(sheets(20)) });
    expect(ok.job.errors).toEqual([]);
    expect(ok.job.result.counts).toEqual({
      orgs: { created: 6, updated: 0, unchanged: 0 },
      companies: { created: 2, updated: 0, unchanged: 0 },
      shareholders: { created: 2, updated: 0, unchanged: 0 },
      org_figures: { created: 12, updated: 0, unchanged: 0 },
      company_figures: { created: 2, updated: 0, unchanged: 0 },
      dividends: { created: 0, updated: 0, unchanged: 0 },
    });
    const [co] = await queryRows<{ paid: string }>(
      t.db,
      `SELECT paid_in_capital_fen::text AS paid FROM platform_company WHERE credit_code = $1`,
      [coCounty],
    );
    expect(co.paid).toBe('3000000050');
    const [fig] = await queryRows<{ op: string }>(
      t.db,
      `SELECT f.operating_income_fen::text AS op FROM org_year_figures f JOIN collective_org o ON o.id = f.org_id WHERE o.credit_code = $1 AND f.year = 2025`,
      [orgCodes[1]],
    );
    expect(fig.op).toBe('7100050');
    const divs = await queryRows<{ amount: string }>(t.db, `SELECT amount_fen::text AS amount FROM company_dividend ORDER BY amount_fen`);
    expect(divs.map((d) => d.amount)).toEqual(['10000', '4500000']);

    // Export, then change things, then re-import the export: the data is back to what was exported.
    const first = await download(t.baseUrl, `${E}/export.xlsx`, county.token);
    expect(first.status).toBe(200);
    expect(first.type).toContain('spreadsheetml');
    const firstCells = await readXlsxCells(first.body);
    expect(Object.keys(firstCells)).toEqual([
      '集体经济组织',
      '集体经济组织年度数据',
      '集体经济组织成员',
      '平台公司',
      '平台公司股东',
      '平台公司年度数据',
      '平台公司分红',
      '产业联盟成员',
    ]);
    expect(firstCells['集体经济组织'][0]).toEqual(ORG_HEADER);
    expect(firstCells['集体经济组织']).toHaveLength(7);
    const orgId = (await queryRows<{ id: string }>(t.db, `SELECT id FROM collective_org WHERE credit_code = $1`, [orgCodes[2]]))[0].id;
    const companyId = (await queryRows<{ id: string }>(t.db, `SELECT id FROM platform_company WHERE credit_code = $1`, [coTown]))[0].id;
    expect((await t.api.patch(`${E}/orgs/${orgId}`, { chairName: '改过的人', totalShares: '999' }, county.token)).status).toBe(200);
    expect(
      (
        await t.api.put(
          `${E}/orgs/${orgId}/figures/2025`,
          { operatingIncomeFen: '1', totalIncomeFen: '1', reserveFundFen: '0', distributedFen: '0' },
          county.token,
        )
      ).status,
    ).toBe(200);
    expect(
      (await t.api.patch(`${E}/companies/${companyId}`, { status: 'operating', paidInCapitalFen: '400000000' }, county.token)).status,
    ).toBe(200);
    const changed = await download(t.baseUrl, `${E}/export.xlsx`, county.token);
    expect(await readXlsxCells(changed.body)).not.toEqual(firstCells);

    const back = await runImport(county.token, { fileName: 'export.xlsx', contentBase64: first.body.toString('base64') });
    expect(back.job.errors).toEqual([]);
    expect(back.job.result.counts.orgs).toEqual({ created: 0, updated: 1, unchanged: 5 });
    expect(back.job.result.counts.companies).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(back.job.result.counts.org_figures).toEqual({ created: 0, updated: 1, unchanged: 11 });
    const second = await download(t.baseUrl, `${E}/export.xlsx`, county.token);
    expect(await readXlsxCells(second.body)).toEqual(firstCells);
    const once = await counts();
    const third = await runImport(county.token, { fileName: 'export.xlsx', contentBase64: second.body.toString('base64') });
    expect(third.job.result.counts.orgs).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(await counts()).toEqual(once);

    // Locked year: the figures rows of the locked township are refused, and nothing is written.
    expect((await t.api.post(`${E}/year-locks`, { divisionCode: TOWNSHIP_A, year: 2025 }, county.token)).status).toBe(201);
    const csv = [
      '统一社会信用代码,年度,经营收入（元）,总收入（元）,提取公积公益金（元）,分配给成员（元）',
      `${orgCodes[0]},2024,1.5,2,0,0`,
      `${orgCodes[0]},2025,2,2,0,0`,
      `${orgCodes[1]},2024,abc,2,0,0`,
    ].join('\r\n');
    const locked = await runImport(county.token, {
      fileName: '年度.csv',
      kind: 'org_figures',
      contentBase64: Buffer.from(csv).toString('base64'),
    });
    expect(locked.job.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, '年度', 'YEAR_LOCKED'],
      [4, '经营收入（元）', 'AMOUNT_INVALID'],
    ]);
    const [f2024] = await queryRows<{ op: string }>(
      t.db,
      `SELECT f.operating_income_fen::text AS op FROM org_year_figures f JOIN collective_org o ON o.id = f.org_id WHERE o.credit_code = $1 AND f.year = 2024`,
      [orgCodes[0]],
    );
    expect(f2024.op).toBe('5000000');
    // A CSV without a table name is refused up front.
    const noKind = await t.api.post(
      `${E}/imports`,
      { fileName: '年度.csv', contentBase64: Buffer.from(csv).toString('base64') },
      county.token,
    );
    expect(noKind.body.code).toBe('IMPORT_KIND_REQUIRED');
  });
});
