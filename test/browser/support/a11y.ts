import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * The accessibility measurements of one screen: axe-core's serious and critical violations, visible
 * tap targets under 44 × 44 px and visible text under 14 px. Shared by the every-menu-screen sweep
 * (accessibility.browser-spec.ts) and the journeys that reach screens no menu lists (a case's page).
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ScreenFindings {
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

export async function examine(page: Page): Promise<ScreenFindings> {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.van-loading:visible')
    .first()
    .waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => undefined);
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const axe = await page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`);
  const m = await page.evaluate<{ smallTargets: string[]; smallText: string[] }>(MEASURE);
  return { axe, ...m };
}

/** The findings as one list of lines, empty when the screen passes. */
export function failuresOf(findings: Record<string, ScreenFindings>): string[] {
  return Object.entries(findings).flatMap(([path, f]) => [
    ...f.axe.map((x) => `${path} axe ${x}`),
    ...f.smallTargets.map((x) => `${path} target ${x}`),
    ...f.smallText.map((x) => `${path} text ${x}`),
  ]);
}

/** One screen's findings as one list of lines, empty when the screen passes. */
export async function a11yFailures(page: Page, name: string): Promise<string[]> {
  return failuresOf({ [name]: await examine(page) });
}
