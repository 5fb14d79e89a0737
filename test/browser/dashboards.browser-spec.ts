import { companyBody, orgBody } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

let t: TestApp;
const sessions: BrowserSession[] = [];
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await t?.close();
});

describe('county dashboards', () => {
  it('a county administrator sees proposals by state and the economy roll-up by township, each chart with its table', async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const admin = await t.given.user('county_admin', COUNTY);
    for (const title of ['修缮村委会屋顶', '购置垃圾清运车']) {
      const r = await t.api.post('/api/v1/proposals', { villageCode: VILLAGE_A, title, body: '详见附件。', category: 'public_welfare', decidingBody: 'villagers_meeting', ballotType: 'secret' }, committee.token);
      expect(r.status).toBe(201);
    }
    const org = await t.api.post('/api/v1/economy/orgs', orgBody(VILLAGE_A), staff.token);
    expect(org.status).toBe(201);
    const year = new Date().getUTCFullYear() - 1;
    expect((await t.api.put(`/api/v1/economy/orgs/${org.body.id}/figures/${year}`, { operatingIncomeFen: '8000000', totalIncomeFen: '9000000', reserveFundFen: '1000000', distributedFen: '2000000' }, staff.token)).status).toBe(200);
    expect((await t.api.post('/api/v1/economy/companies', companyBody('township', TOWNSHIP_A), staff.token)).status).toBe(201);

    const b = await openBrowser(t.baseUrl, DESKTOP);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, admin.phone, admin.password);
    await page.getByText('议事统计').first().click();
    await page.locator('canvas').first().waitFor();
    const tables = page.locator('table.data');
    await tables.first().waitFor();
    // Two drafts in the county; 鲍店镇 holds both.
    expect((await tables.nth(0).textContent())!.replace(/\s+/g, '')).toContain('草稿2');
    expect((await tables.nth(1).textContent())!.replace(/\s+/g, '')).toContain('鲍店镇2');
    // Turnout by township, from the server's aggregate (no decision vote closed yet: a dash).
    expect((await tables.nth(1).textContent())!.replace(/\s+/g, '')).toContain('参与率');
    // ECharts' default tooltip is HTML with inline style attributes, which the CSP refuses (b.problems
    // below): the chart draws it on its canvas instead, so showing it is no violation.
    await page.locator('.chart canvas').first().hover();
    await page.waitForTimeout(500);
    expect(await page.locator('.chart div').filter({ hasText: /\S/ }).count()).toBe(0);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=proposal-stats-xlsx]').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    await b.shot('dashboard-proposals');

    await page.goto('/economy/dashboard');
    await page.locator('[data-test=eco-year]').fill(String(year));
    await page.locator('table.data').first().waitFor();
    const table = (await page.locator('table.data').first().textContent())!.replace(/\s+/g, '');
    expect(table).toContain('鲍店镇1/1');
    // 80,000 yuan of operating income is under the 100,000 yuan yardstick: one weak village.
    expect(table).toMatch(/鲍店镇.*80,000\.00元1（\+1）/);
    await b.shot('dashboard-economy');
    expect(b.problems).toEqual([]);
  });

  it('a phone-sized dashboard has no sideways overflow', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    await loginThroughUi(b.page, admin.phone, admin.password);
    await b.page.goto('/mediation/dashboard');
    await b.page.getByText('调解统计').waitFor();
    await b.page.getByText('下载 Excel').waitFor();
    const overflow = await b.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await b.shot('dashboard-mediation-phone');
    expect(b.problems).toEqual([]);
  });
});
