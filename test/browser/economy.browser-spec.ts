import ExcelJS from 'exceljs';
import { companyCreditCode, orgBody, orgCreditCode } from '../support/economy-fixtures.js';
import { TOWNSHIP_A, VILLAGE_A, VILLAGE_A2 } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession, waitInPage } from './support/browser.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let b: BrowserSession | undefined;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await b?.close();
  await t?.close();
});

const ORG_HEADERS = [
  '层级',
  '所在区划代码',
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
const COMPANY_HEADERS = [
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
];

async function workbook(orgs: (string | number)[][], companies: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const o = wb.addWorksheet('集体经济组织');
  o.addRow(ORG_HEADERS);
  orgs.forEach((r) => o.addRow(r));
  const c = wb.addWorksheet('平台公司');
  c.addRow(COMPANY_HEADERS);
  companies.forEach((r) => c.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('集体经济 Excel import in the browser', () => {
  it('township staff import an Excel file with errors, see the errors, fix the file and import it', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const orgA = orgCreditCode(VILLAGE_A);
    const orgA2 = orgCreditCode(VILLAGE_A2);
    const company = companyCreditCode();
    const badChecksum = orgA2.slice(0, 17) + (orgA2[17] === '0' ? '1' : '0');
    const orgRow = (code: string, credit: string, name: string) => [
      '村级',
      code,
      name,
      credit,
      'C-001',
      '2020-06-01',
      '2020-05-20',
      '王建国',
      120,
      1000,
      '正常',
    ];
    const companyRow = (level: string) => [
      level,
      TOWNSHIP_A,
      '鲍店镇强村富民发展有限公司',
      company,
      '李志强',
      5000000,
      3000000,
      '2021-03-15',
      '农产品加工与销售',
      '运营',
    ];
    const broken = await workbook(
      [
        orgRow(VILLAGE_A, orgA, '鲍店东街村股份经济合作社集体经济组织'),
        orgRow(VILLAGE_A2, badChecksum, '鲍店南街村股份经济合作社集体经济组织'),
      ],
      [companyRow('省级')],
    );
    const fixed = await workbook(
      [orgRow(VILLAGE_A, orgA, '鲍店东街村股份经济合作社集体经济组织'), orgRow(VILLAGE_A2, orgA2, '鲍店南街村股份经济合作社集体经济组织')],
      [companyRow('乡镇级')],
    );
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

    b = await openBrowser(t.baseUrl, DESKTOP);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.getByText('Excel 导入导出').first().click();
    await page.locator('[data-test=file-input]').setInputFiles({ name: '登记册.xlsx', mimeType: XLSX, buffer: broken });
    await page.locator('[data-test=economy-preview]').click();
    const report = page.locator('[data-test=economy-errors]');
    await report.waitFor();
    const rows = (await report.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ''));
    // Exactly the two bad rows: the credit code of row 3 of the organizations, the level of row 2 of the companies.
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.startsWith('集体经济组织第3行'))).toMatch(/统一社会信用代码/);
    expect(rows.find((r) => r.startsWith('平台公司第2行'))).toContain('层级应为“县级”或“乡镇级”');
    expect(await page.locator('[data-test=economy-import]').isDisabled()).toBe(true);
    await b.shot('economy-import-errors');
    const none = await queryRows<{ n: number }>(
      t.db,
      `SELECT (SELECT count(*) FROM collective_org WHERE credit_code = ANY($1))::int + (SELECT count(*) FROM platform_company WHERE credit_code = $2)::int AS n`,
      [[orgA, orgA2], company],
    );
    expect(none[0].n).toBe(0);

    await page.locator('[data-test=file-input]').setInputFiles({ name: '登记册.xlsx', mimeType: XLSX, buffer: fixed });
    await page.locator('[data-test=economy-preview]').click();
    await page.locator('[data-test=economy-preview-ok]').waitFor();
    await page.locator('[data-test=economy-import]').click();
    const done = page.locator('[data-test=economy-import-done]');
    await done.waitFor();
    expect((await done.textContent())!.replace(/\s+/g, '')).toContain('集体经济组织：新增2');
    expect(await page.locator('[data-test=economy-progress]').textContent()).toContain('已处理 3 / 3 行');
    await b.shot('economy-import-done');

    const orgs = await queryRows<{ credit_code: string; division_code: string }>(
      t.db,
      `SELECT credit_code, division_code FROM collective_org WHERE credit_code = ANY($1) ORDER BY division_code`,
      [[orgA, orgA2]],
    );
    expect(orgs).toEqual([
      { credit_code: orgA, division_code: VILLAGE_A },
      { credit_code: orgA2, division_code: VILLAGE_A2 },
    ]);
    const [co] = await queryRows<{ registered_capital_fen: string }>(
      t.db,
      `SELECT registered_capital_fen::text FROM platform_company WHERE credit_code = $1`,
      [company],
    );
    expect(co.registered_capital_fen).toBe('500000000');

    // The registry, and its export as an Excel download.
    await page.getByText('查看平台公司').click();
    await page.locator('[data-test=company-row]').filter({ hasText: '鲍店镇强村富民发展有限公司' }).click();
    await page.getByText('5,000,000.00 元').first().waitFor();
    await b.shot('economy-company');
    await page.goto('/economy/import');
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-registry]').click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.load((await (await import('node:fs/promises')).readFile(await file.path())) as unknown as ArrayBuffer);
    const names = exported.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['集体经济组织', '平台公司']));
    expect(b.problems).toEqual([]);
  });

  it('township staff register a company through the form, set its shareholders and a year of figures; the committee adds a member', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const committee = await t.given.user('village_committee', VILLAGE_A2);
    const member = await t.given.person(VILLAGE_A2, { roles: ['resident', 'collective_member'] });
    // A group-level organization (the village-level one may exist already from the import above).
    const org = await t.api.post(
      '/api/v1/economy/orgs',
      orgBody(VILLAGE_A2, { level: 'group', creditCode: orgCreditCode(VILLAGE_A2, 'group') }),
      staff.token,
    );
    expect(org.status).toBe(201);
    const credit = companyCreditCode();

    await b?.close();
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.goto('/economy/companies/new');
    await page.locator('[data-test=co-name] input').fill('鲍店镇联村发展有限公司');
    await page.locator('[data-test=co-credit] input').fill(credit.slice(0, 17) + (credit[17] === '0' ? '1' : '0'));
    await page.getByLabel('法定代表人').fill('周建设');
    await page.getByLabel('注册资本').fill('2000000');
    await page.getByLabel('实缴资本').fill('1500000.5');
    await page.locator('[data-test=co-submit]').click();
    const creditError = page.locator('[data-test=co-credit] .van-field__error-message');
    await creditError.waitFor();
    expect(await creditError.textContent()).toContain('校验位');
    await b.shot('economy-company-form-error');
    await page.locator('[data-test=co-credit] input').fill(credit);
    await page.locator('[data-test=co-submit]').click();
    await page.waitForURL(/\/economy\/companies\/[0-9a-f-]{36}$/);
    const companyId = page.url().split('/').pop()!;

    await page.locator('[data-test=edit-shareholders]').click();
    const editor = page.locator('[data-test=shareholders-editor]');
    // The editor fills its rows from the company once that has loaded; a row added before then is
    // replaced, so add until a row stays (bounded).
    for (let i = 0; i < 5 && !(await editor.locator('select').count()); i++) {
      await editor.getByText('添加股东').click();
      await editor
        .locator('select')
        .first()
        .waitFor({ timeout: 2000 })
        .catch(() => undefined);
    }
    await editor.locator('select').first().selectOption(org.body.id);
    await editor.getByLabel('出资额').fill('600000');
    await editor.getByLabel('持股比例').fill('60');
    await editor.getByText('添加股东').click();
    await editor.getByLabel('股东名称').fill('长子县农业发展公司');
    await editor.getByLabel('出资额').nth(1).fill('900000');
    await editor.getByLabel('持股比例').nth(1).fill('45');
    await page.locator('[data-test=shareholders-save]').click();
    await editor.locator('[data-test=form-alert]').filter({ hasText: '超过 100%' }).waitFor();
    await editor.getByLabel('持股比例').nth(1).fill('40');
    await page.locator('[data-test=shareholders-save]').click();
    await page.getByRole('cell', { name: '60.00%' }).waitFor();

    await page.locator('[data-test=edit-figures]').click();
    await page.locator('[data-test=fig-revenueFen] input').fill('880000');
    await page.locator('[data-test=fig-profitFen] input').fill('-12000.5');
    await page.locator('[data-test=figures-editor]').getByLabel(org.body.name).fill('30000');
    await page.locator('[data-test=figures-save]').click();
    await page.getByRole('cell', { name: '880,000.00 元' }).waitFor();
    await b.shot('economy-company-filled');
    const [co] = await queryRows<{ paid: string; holders: number; revenue: string; profit: string; dividend: string }>(
      t.db,
      `SELECT c.paid_in_capital_fen::text AS paid,
              (SELECT count(*)::int FROM company_shareholder s WHERE s.company_id = c.id) AS holders,
              f.revenue_fen::text AS revenue, f.profit_fen::text AS profit,
              (SELECT d.amount_fen::text FROM company_dividend d WHERE d.company_id = c.id) AS dividend
         FROM platform_company c JOIN company_year_figures f ON f.company_id = c.id WHERE c.id = $1`,
      [companyId],
    );
    expect(co).toEqual({ paid: '150000050', holders: 2, revenue: '88000000', profit: '-1200050', dividend: '3000000' });

    // The village committee keeps its organization's member list.
    const c = await openBrowser(t.baseUrl, PHONE);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.getByText('集体经济组织').first().click();
    await c.page.locator('[data-test=org-row]').filter({ hasText: org.body.name }).click();
    await c.page.locator('[data-test=add-member]').click();
    await c.page.locator('[data-test=mem-id] input').fill(member.idNumber);
    await c.page.locator('[data-test=mem-shares] input').fill('10');
    await c.page.locator('[data-test=mem-save]').click();
    await c.page.getByText(member.realName).waitFor();
    await c.shot('economy-org-members');
    const problems = [...b.problems, ...c.problems];
    await c.close();
    expect(problems).toEqual([]);
  });

  it("a year on record opens filled in; an amount far out of the organization's range asks to be checked before it is saved", async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    // A village of the township that has no organization yet (one per village).
    const [free] = await queryRows<{ code: string }>(
      t.db,
      `SELECT d.code FROM division d WHERE d.parent_code = $1 AND length(d.code) = 12 AND NOT EXISTS (SELECT 1 FROM collective_org o WHERE o.division_code = d.code) ORDER BY d.code LIMIT 1`,
      [TOWNSHIP_A],
    );
    const org = await t.api.post('/api/v1/economy/orgs', orgBody(free.code), staff.token);
    expect(org.status).toBe(201);
    const figures = { operatingIncomeFen: '8000000', totalIncomeFen: '9000000', reserveFundFen: '100000', distributedFen: '200000' };
    expect((await t.api.put(`/api/v1/economy/orgs/${org.body.id}/figures/2024`, figures, staff.token)).status).toBe(200);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.goto(`/economy/orgs/${org.body.id}`);
    await page.locator('[data-test=edit-org-figures]').click();
    await page.locator('[data-test=fig-year]').fill('2024');
    await page.locator('[data-test=figures-on-record]').waitFor();
    expect(await page.locator('[data-test=fig-operatingIncomeFen] input').inputValue()).toBe('80000.00');
    expect(await page.locator('[data-test=fig-distributedFen] input').inputValue()).toBe('2000.00');
    await b.shot('figures-prefilled');

    // 2025: nothing on record, so the form is empty; a thirteen-digit income is asked about, not saved.
    await page.locator('[data-test=fig-year]').fill('2025');
    await waitInPage(page, `document.querySelector('[data-test=fig-operatingIncomeFen] input').value === ''`);
    await page.locator('[data-test=fig-operatingIncomeFen] input').fill('9999999999999');
    await page.locator('[data-test=fig-totalIncomeFen] input').fill('9999999999999');
    await page.locator('[data-test=fig-reserveFundFen] input').fill('0');
    await page.locator('[data-test=fig-distributedFen] input').fill('0');
    await page.locator('[data-test=figures-save]').click();
    const dialog = page.locator('.van-dialog');
    await dialog.getByText('请核对金额').waitFor();
    expect(await dialog.textContent()).toContain('经营收入 9,999,999,999,999.00 元');
    await b.shot('figures-check');
    await dialog.getByText('返回修改').click();
    const none = await queryRows(t.db, `SELECT 1 FROM org_year_figures WHERE org_id = $1 AND year = 2025`, [org.body.id]);
    expect(none).toEqual([]);

    await page.locator('[data-test=fig-operatingIncomeFen] input').fill('85000');
    await page.locator('[data-test=fig-totalIncomeFen] input').fill('95000');
    await page.locator('[data-test=figures-save]').click();
    await page.locator('[data-test=figures-editor]').waitFor({ state: 'hidden' });
    const saved = await queryRows<{ operating_income_fen: string }>(
      t.db,
      `SELECT operating_income_fen::text FROM org_year_figures WHERE org_id = $1 AND year = 2025`,
      [org.body.id],
    );
    expect(saved).toEqual([{ operating_income_fen: '8500000' }]);
    expect(b.problems).toEqual([]);
  });
});
