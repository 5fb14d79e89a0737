import { companyBody, orgBody } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { a11yFailures } from './support/a11y.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

/**
 * Two 集体经济 journeys on a 360 px phone, through the UI only: the industry alliance editor, and a
 * county confirming a year's figures (which locks them), then unlocking it with a reason.
 */
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
afterEach(async () => {
  await b?.close();
  b = undefined;
});

it("township staff set a company's industry alliance: an enterprise and a village organization", async () => {
  const staff = await t.given.user('township_staff', TOWNSHIP_A);
  const company = await t.api.post('/api/v1/economy/companies', companyBody('township', TOWNSHIP_A), staff.token);
  expect(company.status).toBe(201);
  const [free] = await queryRows<{ code: string }>(
    t.db,
    `SELECT d.code FROM division d WHERE d.parent_code = $1 AND NOT EXISTS (SELECT 1 FROM collective_org o WHERE o.division_code = d.code) ORDER BY d.code LIMIT 1`,
    [TOWNSHIP_A],
  );
  const org = await t.api.post('/api/v1/economy/orgs', orgBody(free.code), staff.token);
  expect(org.status).toBe(201);

  b = await openBrowser(t.baseUrl, PHONE);
  const { page } = b;
  await loginThroughUi(page, staff.phone, staff.password);
  await page.goto(`/economy/companies/${company.body.id}`);
  await page.getByText('暂无联盟成员').waitFor();
  await page.getByRole('button', { name: '编辑产业联盟' }).click();
  const sheet = page.locator('.van-popup:visible');
  // Row 1: an enterprise by name. (A row's fields follow its 成员 N heading; the selects are in order.)
  await sheet.getByRole('button', { name: '添加成员' }).click();
  await sheet.locator('select').nth(0).selectOption('enterprise');
  await sheet.locator('.van-field').filter({ hasText: '名称' }).first().locator('input').fill('长子县绿源农业发展有限公司');
  await sheet.locator('.van-field').filter({ hasText: '联盟角色' }).first().locator('input').fill('理事单位');
  // Row 2: a village organization picked from the township's register.
  await sheet.getByRole('button', { name: '添加成员' }).click();
  await sheet.locator('select').nth(1).selectOption('collective_org');
  await sheet.locator('select').nth(2).selectOption(org.body.id);
  expect(await a11yFailures(page, 'alliance editor')).toEqual([]);
  await b.shot('alliance-editor');
  await sheet.getByRole('button', { name: '保存联盟成员' }).click();
  await page.getByText('产业联盟（2）').waitFor();
  await page.getByRole('cell', { name: '长子县绿源农业发展有限公司' }).waitFor();
  const rows = await queryRows<{ kind: string; org_id: string | null; name: string; role: string }>(
    t.db,
    `SELECT kind, org_id, name, role FROM alliance_member WHERE company_id = $1 ORDER BY kind DESC`,
    [company.body.id],
  );
  expect(rows).toEqual([
    { kind: 'enterprise', org_id: null, name: '长子县绿源农业发展有限公司', role: '理事单位' },
    { kind: 'collective_org', org_id: org.body.id, name: org.body.name, role: '成员单位' },
  ]);
  await b.shot('alliance-saved');
  expect(b.problems).toEqual([]);
});

it('a county confirms a year (the figures lock), an edit is refused, and unlocking needs a reason', async () => {
  const admin = await t.given.user('county_admin', COUNTY);
  const staff = await t.given.user('township_staff', TOWNSHIP_A);
  const [free] = await queryRows<{ code: string }>(
    t.db,
    `SELECT d.code FROM division d WHERE d.parent_code = $1 AND NOT EXISTS (SELECT 1 FROM collective_org o WHERE o.division_code = d.code) ORDER BY d.code LIMIT 1`,
    [TOWNSHIP_A],
  );
  const org = await t.api.post('/api/v1/economy/orgs', orgBody(free.code), staff.token);
  const figures = { operatingIncomeFen: '5000000', totalIncomeFen: '6000000', reserveFundFen: '0', distributedFen: '0' };
  expect((await t.api.put(`/api/v1/economy/orgs/${org.body.id}/figures/2024`, figures, staff.token)).status).toBe(200);

  b = await openBrowser(t.baseUrl, PHONE);
  const { page } = b;
  await loginThroughUi(page, admin.phone, admin.password);
  await page.goto('/economy/dashboard');
  await page.locator('[data-test=eco-year]').fill('2024');
  await page.getByText('2024 年度数据确认').waitFor();
  await page.locator('[data-test=lock-year]').click();
  await page.getByText('已确认锁定').waitFor();
  await b.shot('year-locked');
  const refused = await t.api.put(
    `/api/v1/economy/orgs/${org.body.id}/figures/2024`,
    { ...figures, operatingIncomeFen: '5100000' },
    staff.token,
  );
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.body.message).toMatch(/锁定|确认/);

  // Unlocking without a reason is refused on the page; with one it is recorded.
  await page.getByRole('button', { name: '解锁' }).click();
  const reasonField = page.locator('[data-test=unlock-reason]');
  await reasonField.locator('.van-field__error-message').waitFor();
  expect(await reasonField.locator('.van-field__error-message').textContent()).toContain('请填写解锁理由');
  // The server says the same, beside the field, for one character.
  await reasonField.locator('input').fill('错');
  const tooShort = await t.api.post('/api/v1/economy/year-locks/unlock', { divisionCode: COUNTY, year: 2024, reason: '错' }, admin.token);
  expect(tooShort.body.details).toEqual([{ field: 'reason', messages: ['解锁理由应为 2–200 个字'] }]);
  await reasonField.locator('input').fill('鲍店镇一村经营收入录入有误，需更正');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByText('尚未确认').waitFor();
  await b.shot('year-unlocked');
  const locks = await queryRows<{ unlock_reason: string | null }>(
    t.db,
    `SELECT unlock_reason FROM economy_year_lock WHERE division_code = $1 AND year = 2024`,
    [COUNTY],
  );
  expect(locks).toEqual([{ unlock_reason: '鲍店镇一村经营收入录入有误，需更正' }]);
  expect(
    (await t.api.put(`/api/v1/economy/orgs/${org.body.id}/figures/2024`, { ...figures, operatingIncomeFen: '5100000' }, staff.token))
      .status,
  ).toBe(200);
  expect(b.problems).toEqual([]);
});
