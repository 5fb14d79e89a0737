import type { Role } from '#identity';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, waitInPage, type BrowserSession } from './support/browser.js';

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

const ROLES: [Role, string][] = [
  ['resident', VILLAGE_A],
  ['village_committee', VILLAGE_A],
  ['supervision_committee', VILLAGE_A],
  ['mediator', VILLAGE_A],
  ['township_staff', TOWNSHIP_A],
  ['county_admin', COUNTY],
];

describe('every home-screen entry opens without an error', () => {
  it.each(ROLES)('as %s', async (role, division) => {
    const u = await t.given.user(role, division);
    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, u.phone, u.password);
    const n = await page.locator('.van-grid-item').count();
    expect(n).toBeGreaterThan(0);
    const visited: string[] = [];
    for (let i = 0; i < n; i++) {
      await page.goto('/');
      await page.locator('.van-grid-item').nth(i).click();
      await page.waitForURL((url) => url.pathname !== '/');
      await page.waitForLoadState('networkidle');
      // Loading finishes (within 15 s, also on a busy CI box) and no error box: every list, form and
      // dashboard loaded from the real API. A spinner that never goes away fails here, naming the page.
      await waitInPage(page, "![...document.querySelectorAll('.van-loading')].some((e) => e.offsetParent !== null)", 15000).catch(
        () => undefined,
      );
      expect({ page: page.url(), spinners: await page.locator('.van-loading:visible').count() }).toEqual({ page: page.url(), spinners: 0 });
      const alerts = await page.locator('[data-test=form-alert]:visible').allTextContents();
      expect({ page: page.url(), alerts }).toEqual({ page: page.url(), alerts: [] });
      visited.push(new URL(page.url()).pathname);
    }
    expect(visited.length).toBe(n);
    expect(b.problems).toEqual([]);
  });
});
