import { companyBody, orgBody } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession, waitInPage } from './support/browser.js';

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
      const r = await t.api.post(
        '/api/v1/proposals',
        {
          villageCode: VILLAGE_A,
          title,
          body: '详见附件。',
          category: 'public_welfare',
          decidingBody: 'villagers_meeting',
          ballotType: 'secret',
        },
        committee.token,
      );
      expect(r.status).toBe(201);
    }
    const org = await t.api.post('/api/v1/economy/orgs', orgBody(VILLAGE_A), staff.token);
    expect(org.status).toBe(201);
    const year = new Date().getUTCFullYear() - 1;
    expect(
      (
        await t.api.put(
          `/api/v1/economy/orgs/${org.body.id}/figures/${year}`,
          { operatingIncomeFen: '8000000', totalIncomeFen: '9000000', reserveFundFen: '1000000', distributedFen: '2000000' },
          staff.token,
        )
      ).status,
    ).toBe(200);
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

  it('at 360 px the economy roll-up reads: horizontal bars, the top 8 with 更多, a 区划 column that stays in view', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, admin.phone, admin.password);
    await page.goto('/economy/dashboard');
    await page.locator('table.data').first().waitFor();
    // 长子县 has 12 townships: the first chart shows 8 rows, 更多 shows all 12 (the chart grows).
    const chart = page.locator('[data-test=bar-chart]').first();
    const before = (await chart.boundingBox())!.height;
    expect(await chart.getAttribute('aria-label')).toContain('共 12 项');
    await page.locator('[data-test=chart-more]').first().click();
    await waitInPage(page, `document.querySelector('[data-test=bar-chart]').getBoundingClientRect().height > ${before}`);
    expect(((await chart.boundingBox())!.height - before) / 4).toBeGreaterThanOrEqual(28); // four more rows, each ≥ 28 px
    expect(await page.locator('[data-test=chart-more]').first().textContent()).toContain('只看前 8 项');
    // The 区划 column: sticky, wide enough for a township's name, still in view after scrolling the table sideways.
    const first = page.locator('table.data td:first-child').first();
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('table.data td:first-child')).position`)).toBe('sticky');
    expect((await first.boundingBox())!.width).toBeGreaterThanOrEqual(80);
    await page.evaluate(`document.querySelector('.table-scroll').scrollBy(400, 0)`);
    const box = (await first.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x).toBeLessThan(40);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await b.shot('dashboard-economy-phone');
    expect(b.problems).toEqual([]);
  });

  it('on a desktop a dashboard uses the whole width, and a form page keeps its column', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const b = await openBrowser(t.baseUrl, DESKTOP);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, admin.phone, admin.password);
    await page.goto('/economy/dashboard');
    await page.locator('table.data').first().waitFor();
    const viewport = page.viewportSize()!.width;
    expect((await page.locator('#app').boundingBox())!.width).toBe(viewport);
    await page.goto('/me');
    await page.getByText('我的资料').waitFor();
    expect((await page.locator('#app').boundingBox())!.width).toBeLessThanOrEqual(880);
    expect(b.problems).toEqual([]);
  });
});
