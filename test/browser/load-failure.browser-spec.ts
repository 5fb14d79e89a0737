import type { Page } from 'playwright-core';
import { VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

let t: TestApp;
let b: BrowserSession | undefined;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await b?.close();
  b = undefined;
});

/** Makes every request for the chunk fail as on a dropped connection; answers the URLs it refused. */
async function dropChunk(page: Page, chunk: string): Promise<{ refused: string[]; restore: () => Promise<void> }> {
  const pattern = `**/assets/${chunk}-*.js`;
  const refused: string[] = [];
  await page.route(pattern, (route) => {
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return { refused, restore: () => page.unroute(pattern) };
}

/** The problems the browser suite collects, less Chromium's own line for each request the test refused. */
function unexpected(problems: string[], refused: string[]): string[] {
  return problems.filter(
    (p) => !(p.startsWith('console: Failed to load resource: net::ERR_INTERNET_DISCONNECTED') && refused.some((u) => p.includes(u))),
  );
}

describe('the first paint', () => {
  it('while the script is on its way the splash shows, and the first page replaces it', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/assets/index-*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/login', { waitUntil: 'commit' });
    const splash = page.locator('.splash');
    await splash.waitFor();
    expect(await splash.textContent()).toContain('正在加载');
    // The hint to reload appears only after 20 s without the script.
    expect(await page.locator('.splash-slow').isVisible()).toBe(false);
    await b.shot('splash');
    release();
    await page.locator('[data-test=login-submit]').waitFor();
    expect(await splash.count()).toBe(0);
    expect(b.problems).toEqual([]);
  });
});

describe('a page whose code cannot be fetched', () => {
  it('on the first visit: the message and 重试, which loads the page once the network is back', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    const drop = await dropChunk(page, 'ActivateView');
    await page.goto('/activate');
    const failure = page.locator('[data-test=load-failure]');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('网络不畅，页面加载失败');
    expect(drop.refused.length).toBeGreaterThan(0);
    await b.shot('load-failure-first-visit');

    await drop.restore();
    await page.locator('[data-test=load-retry]').click();
    await page.getByText('请输入村委会给您的 8 位激活码').waitFor();
    expect(await failure.count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/activate');
    expect(unexpected(b.problems, drop.refused)).toEqual([]);
  });

  it('on a tap in the app: the message instead of a dead tap, and 重试 opens the page that was asked for', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, u.phone, u.password);
    const drop = await dropChunk(page, 'NoticeBoardView');
    await page.locator('.van-grid-item').filter({ hasText: '村务公开栏' }).click();
    const failure = page.locator('[data-test=load-failure]');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('网络不畅，页面加载失败');
    expect(new URL(page.url()).pathname).toBe('/');

    await drop.restore();
    await page.locator('[data-test=load-retry]').click();
    await page.waitForURL('**/notices');
    await page.locator('.van-nav-bar__title').filter({ hasText: '村务公开' }).waitFor();
    expect(await failure.count()).toBe(0);
    expect(unexpected(b.problems, drop.refused)).toEqual([]);
  });
});
