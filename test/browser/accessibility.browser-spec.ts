import { roleHas } from '#identity';
import type { Role } from '#identity';
import { MENU } from '../../apps/web/src/menu.js';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { examine, failuresOf, type ScreenFindings } from './support/a11y.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

/**
 * Every screen each role reaches from its home menu, at 360 px: axe-core finds no serious or
 * critical violation (contrast, labels, names of icon buttons), every visible tap target is at least
 * 44 × 44 px, and no visible text is smaller than 14 px. Elderly users need the contrast, the sizes and
 * the labels; screen-reader users need the names.
 */
let t: TestApp;
let b: BrowserSession;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await b?.close();
});

const ROLES: [Role, string][] = [
  ['resident', VILLAGE_A],
  ['village_committee', VILLAGE_A],
  ['township_staff', TOWNSHIP_A],
  ['mediator', TOWNSHIP_A],
  ['county_admin', COUNTY],
];

describe('every screen of every role at 360 px', () => {
  it.each(ROLES)(
    '%s: no serious or critical axe violation, tap targets ≥ 44 px, text ≥ 14 px',
    async (role, division) => {
      const u = await t.given.user(role, division);
      b = await openBrowser(t.baseUrl, PHONE);
      const { page } = b;
      const findings: Record<string, ScreenFindings> = {};
      await page.goto('/login');
      findings['/login'] = await examine(page);
      await loginThroughUi(page, u.phone, u.password);
      const screens = [
        '/',
        '/me',
        ...MENU.filter((m) => roleHas(role, m.permission) && (!m.levels || m.levels.includes(division.length))).map((m) => m.to),
      ];
      for (const path of screens) {
        if (path !== '/') await page.goto(path);
        findings[path] = await examine(page);
      }
      const failures = failuresOf(findings);
      expect(Object.keys(findings).length).toBeGreaterThan(3);
      expect(failures).toEqual([]);
      expect(b.problems).toEqual([]);
    },
    180_000,
  );
});
