import { ROLE_LEVELS, ROLES as ALL_ROLES, roleHas, type Role } from '#identity';
import { MENU } from '../../apps/web/src/menu.js';
import { orgBody } from '../support/economy-fixtures.js';
import { CITY, COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
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
  // Rows on the lists the roles added last open with: 监委会's 待监委会审核, a member's 集体经济组织.
  const committee = await t.given.user('village_committee', VILLAGE_A);
  const created = async (path: string, body: unknown) => {
    const r = await t.api.post(path, body, committee.token);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const disclosure = await created('/api/v1/disclosures', {
    villageCode: VILLAGE_A,
    subject: 'village',
    kind: 'relief',
    title: '2026 年冬季取暖补贴发放情况',
    body: '全村 126 户领取取暖补贴，每户 300 元，名单见村委会公开栏。',
    periodKind: 'once',
    periodStart: today,
  });
  await created(`/api/v1/disclosures/${disclosure.id}/submit`, {});
  await created('/api/v1/economy/orgs', orgBody(VILLAGE_A));
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await b?.close();
});

/**
 * Every role whose menu differs from another's (apps/web/src/menu.ts against the permissions): 村民代表,
 * 党员 and 村民委员会成员 see exactly the resident's screens, 预备党员 and 留党察看党员 a part of them, and a
 * village or county mediator the township mediator's.
 */
const ROLES: [Role, string][] = [
  ['resident', VILLAGE_A],
  ['collective_member', VILLAGE_A],
  ['village_committee', VILLAGE_A],
  ['supervision_committee', VILLAGE_A],
  ['township_staff', TOWNSHIP_A],
  ['mediator', TOWNSHIP_A],
  ['county_admin', COUNTY],
  ['city_admin', CITY],
];

/** The screens measured with a row on them, not only their empty state. */
const SHOWS: Record<string, string> = {
  'supervision_committee /disclosures?state=submitted': '冬季取暖补贴',
  'collective_member /economy/orgs': '股份经济合作社',
};

const LEVEL_LENGTH = { city: 4, county: 6, township: 9, village: 12 } as const;
const menuOf = (role: Role, codeLength: number): string[] =>
  MENU.filter((m) => roleHas(role, m.permission) && (!m.levels || m.levels.includes(codeLength))).map((m) => m.to);

describe('every screen of every role at 360 px', () => {
  it('the roles swept reach every menu screen any role reaches', () => {
    const swept = ROLES.map(([r, d]) => new Set(menuOf(r, d.length)));
    const uncovered = ALL_ROLES.flatMap((r) =>
      ROLE_LEVELS[r]
        .map((l) => ({ at: `${r}@${l}`, menu: menuOf(r, LEVEL_LENGTH[l]) }))
        .filter(({ menu }) => !swept.some((s) => menu.every((to) => s.has(to))))
        .map(({ at }) => at),
    );
    expect(uncovered).toEqual([]);
  });

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
      const screens = ['/', '/me', ...new Set(menuOf(role, division.length))];
      for (const path of screens) {
        if (path !== '/') await page.goto(path);
        findings[path] = await examine(page);
        const shows = SHOWS[`${role} ${path}`];
        if (shows) expect(await page.locator('#app').innerText()).toContain(shows);
      }
      const failures = failuresOf(findings);
      expect(Object.keys(findings).length).toBeGreaterThan(3);
      expect(failures).toEqual([]);
      expect(b.problems).toEqual([]);
    },
    180_000,
  );
});
