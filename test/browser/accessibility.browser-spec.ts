import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { roleHas } from '#identity';
import type { Role } from '#identity';
import { MENU } from '../../apps/web/src/menu.js';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

/**
 * Every screen each role reaches from its home menu, at 360 px: axe-core finds no serious or
 * critical violation (contrast, labels, names of icon buttons), every visible tap target is at least
 * 44 × 44 px, and no visible text is smaller than 14 px. Elderly users need the contrast, the sizes and
 * the labels; screen-reader users need the names.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface ScreenFindings {
  axe: string[];
  smallTargets: string[];
  smallText: string[];
}

/** Runs in the page: the measurements, as text a failing test can print. */
const MEASURE = `(() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const describe = (el) => {
    const text = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').trim().replace(/\\s+/g, ' ').slice(0, 24);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '') + (text ? ' "' + text + '"' : '');
  };
  const smallTargets = [];
  const seen = new Set();
  const selector = 'button, a[href], select, [role=button], .van-cell--clickable, .van-radio, .van-checkbox, .van-tab, .van-dropdown-menu__item, .van-switch, .van-field input, .van-field textarea, .van-search__field input';
  for (const el of document.querySelectorAll(selector)) {
    // The row a control sits in is the target: a radio inside a tappable row, an input in its field.
    const target = el.closest('.van-cell--clickable') && !el.matches('.van-cell--clickable') ? el.closest('.van-cell--clickable')
      : el.matches('input, textarea') ? (el.closest('.van-field') || el.closest('.van-search__content') || el) : el;
    if (seen.has(target) || !visible(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width < 44 || r.height < 43.5) smallTargets.push(describe(target) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  const smallText = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const reported = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || reported.has(el) || !visible(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 14) {
      reported.add(el);
      smallText.push(describe(el) + ' ' + size + 'px');
    }
  }
  return { smallTargets, smallText };
})()`;

async function examine(page: Page): Promise<ScreenFindings> {
  await page.waitForLoadState('networkidle');
  await page.locator('.van-loading:visible').first().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const axe = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`)) as string[];
  const m = (await page.evaluate(MEASURE)) as { smallTargets: string[]; smallText: string[] };
  return { axe, ...m };
}

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
  it.each(ROLES)('%s: no serious or critical axe violation, tap targets ≥ 44 px, text ≥ 14 px', async (role, division) => {
    const u = await t.given.user(role, division);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    const findings: Record<string, ScreenFindings> = {};
    await page.goto('/login');
    findings['/login'] = await examine(page);
    await loginThroughUi(page, u.phone, u.password);
    const screens = ['/', '/me', ...MENU.filter((m) => roleHas(role, m.permission) && (!m.levels || m.levels.includes(division.length))).map((m) => m.to)];
    for (const path of screens) {
      if (path !== '/') await page.goto(path);
      findings[path] = await examine(page);
    }
    const failures = Object.entries(findings).flatMap(([path, f]) => [
      ...f.axe.map((x) => `${path} axe ${x}`),
      ...f.smallTargets.map((x) => `${path} target ${x}`),
      ...f.smallText.map((x) => `${path} text ${x}`),
    ]);
    expect(Object.keys(findings).length).toBeGreaterThan(3);
    expect(failures).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 180_000);
});
