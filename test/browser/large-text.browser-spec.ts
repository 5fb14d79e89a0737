import type { Role } from '#identity';
import { roleHas } from '#identity';
import { MENU } from '../../apps/web/src/menu.js';
import { TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

/**
 * 大字: 我的 → 字体大小 → 特大字 scales the whole UI to 200 %; on a 360 px phone no screen of the role's
 * menu may then scroll sideways (WCAG 1.4.4 / 1.4.10), and the choice survives a reload.
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

const SIDEWAYS = `document.documentElement.scrollWidth - document.documentElement.clientWidth`;
/** The innermost elements that end beyond the right edge (what to fix when a screen scrolls sideways). */
const CULPRITS = `(() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 0.5 && ![...el.children].some((c) => c.getBoundingClientRect().right > w + 0.5)) {
      out.push(el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).slice(0, 2).join('.') + ' "' + (el.textContent || '').trim().slice(0, 12) + '" ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  // Else: the innermost element whose content is wider than its box and lets it show.
  if (!out.length) {
    for (const el of document.querySelectorAll('body, body *')) {
      const st = getComputedStyle(el);
      if (el.scrollWidth > el.clientWidth + 1 && st.overflowX === 'visible' && el.clientWidth > 0) {
        out.push('wider content in ' + el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).slice(0, 2).join('.') + ' ' + el.clientWidth + '<' + el.scrollWidth);
      }
    }
    return out.slice(-3).join('; ');
  }
  return out.slice(0, 3).join('; ');
})()`;
const TITLE_HEIGHT = `document.querySelector('.van-nav-bar__title').getBoundingClientRect().height`;

describe('大字 at 200 % on a 360 px phone', () => {
  it.each([
    ['resident', VILLAGE_A],
    ['township_staff', TOWNSHIP_A],
  ] as [Role, string][])(
    '%s: every menu screen reflows without sideways scrolling',
    async (role, division) => {
      const u = await t.given.user(role, division);
      b = await openBrowser(t.baseUrl, PHONE);
      const { page } = b;
      await loginThroughUi(page, u.phone, u.password);
      await page.goto('/me');
      await page.locator('.van-nav-bar__title').waitFor();
      const normal = await page.evaluate<number>(TITLE_HEIGHT);
      await page.locator('[data-test=text-size-200]').click();
      await page.reload();
      await page.locator('.van-nav-bar__title').waitFor();
      expect(await page.evaluate<number>(TITLE_HEIGHT)).toBeGreaterThanOrEqual(normal * 1.9);
      await b.shot(`large-text-me-${role}`);

      const screens = [
        '/',
        ...MENU.filter((m) => roleHas(role, m.permission) && (!m.levels || m.levels.includes(division.length))).map((m) => m.to),
      ];
      const sideways: string[] = [];
      for (const path of screens) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        const over = await page.evaluate<number>(SIDEWAYS);
        if (over > 0) sideways.push(`${path}: ${over} px (${await page.evaluate<string>(CULPRITS)})`);
      }
      await page.goto('/');
      await page.waitForLoadState('networkidle');
      await b.shot(`large-text-home-${role}`);
      expect(screens.length).toBeGreaterThan(4);
      expect(sideways).toEqual([]);
      expect(b.problems).toEqual([]);
    },
    120_000,
  );
});
