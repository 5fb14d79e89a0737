import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '#platform';

// A browser flow (launch, several pages, the API behind them) takes longer than Jest's 5 s default.
jest.setTimeout(120_000);

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(projectRoot(), 'test/browser/screenshots');
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };

/** Fails early, with the fix, when the UI has not been built. */
export function assertWebBuilt(): void {
  const index = path.join(process.env.WEB_DIST_DIR ?? path.join(projectRoot(), 'apps/web/dist'), 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: run "npm run build:web" before the browser tests`);
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and 5xx answers seen so far. */
  problems: string[];
  shot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile directory per session. Every console error,
 * uncaught page error, 5xx response and Content-Security-Policy violation is collected; tests assert
 * the list is empty. The browser's own "Failed to load resource … 4xx" line for an /api call is not
 * an app error (the app expects and shows those answers), so only that exact line is let through.
 * CSP violations are caught on every page of the context from the document's `securitypolicyviolation`
 * event and from the console line Chromium writes (the only one seen in a blob: popup such as a printable
 * page, where the event may fire before the listener is in place).
 */
export async function openBrowser(baseUrl: string, viewport = PHONE): Promise<BrowserSession> {
  const profile = await mkdtemp(path.join(tmpdir(), 'sangong-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: baseUrl,
    acceptDownloads: true,
  });
  const problems: string[] = [];
  await watchCsp(context, problems);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (msg) => {
    if (msg.type() !== 'error' || /Content Security Policy|Permissions-Policy/i.test(msg.text())) return;
    const url = msg.location().url ?? '';
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && url.startsWith(`${baseUrl}/api/`))
      return;
    problems.push(`console: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    problems,
    shot: async (name) => {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      // Let popups and toasts finish their animations; start the full-page shot from the top.
      await page
        .locator('.van-popup:visible, .van-toast:visible')
        .first()
        .waitFor({ state: 'hidden', timeout: 5_000 })
        .catch(() => undefined);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

interface CspViolation {
  directive: string;
  blocked: string;
  sample: string;
  url: string;
}

/**
 * Reports every CSP violation of every document in the context into `problems`. The listener is
 * installed through the DevTools protocol (an init script and a binding), which the page's own CSP
 * does not govern, so it sees the violations the policy causes without being one.
 */
async function watchCsp(context: BrowserContext, problems: string[]): Promise<void> {
  await context.exposeBinding('__sangongCspViolation', (_source, v: CspViolation) => {
    problems.push(`csp: ${v.directive} blocked ${v.blocked} on ${v.url}${v.sample ? ` — ${v.sample}` : ''}`);
  });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    window.__sangongCspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, url: e.documentURI });
  });`);
  context.on('console', (msg) => {
    if (/Content Security Policy|Permissions-Policy/i.test(msg.text())) problems.push(`console (${msg.type()}): ${msg.text()}`);
  });
}

/**
 * Waits until `expression` is truthy in the page and answers its value. page.waitForFunction cannot be
 * used: it runs its predicate through eval() inside the page, which the app's CSP forbids (and reports).
 * page.evaluate goes through the DevTools protocol, which the page's CSP does not govern.
 */
export async function waitInPage<T>(page: Page, expression: string, timeout = 15_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate<T>(expression);
    if (value) return value;
    if (Date.now() > until) throw new Error(`waitInPage: still false after ${timeout} ms: ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Logs in through the login form and waits for the home page. */
export async function loginThroughUi(page: Page, phone: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('[data-test=login-phone] input').fill(phone);
  await page.locator('[data-test=login-password] input').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=acting]').waitFor();
}
