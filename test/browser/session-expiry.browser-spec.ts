import { VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

/**
 * A phone left on a page past the access token's life: the next tap renews the session silently (the
 * refresh token rotates) and the page loads. A stolen, already used refresh token is refused: the
 * session is ended everywhere and the person is sent to log in again with a plain message.
 * Access tokens live 30 s here (ACCESS_TOKEN_TTL_SECONDS, the lowest allowed), so the test waits 31 s.
 */
let t: TestApp;
let b: BrowserSession;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '30' });
});
afterAll(async () => {
  await b?.close();
  await t?.close();
});

const TOKENS = `localStorage.getItem('sangong.tokens')`;

it('an expired access token is renewed on the next tap; a reused refresh token ends the session', async () => {
  const u = await t.given.user('resident', VILLAGE_A);
  b = await openBrowser(t.baseUrl, PHONE);
  const { page } = b;
  await loginThroughUi(page, u.phone, u.password);
  const first = JSON.parse(await page.evaluate<string>(TOKENS)) as { accessToken: string; refreshToken: string };
  expect((await t.api.get('/api/v1/me', first.accessToken)).status).toBe(200);

  await new Promise((r) => setTimeout(r, 31_000));
  const expired = await t.api.get('/api/v1/me', first.accessToken);
  expect([expired.status, expired.body.code]).toEqual([401, 'TOKEN_EXPIRED']);

  // The next page works without a login: the client renewed the pair.
  await page.goto('/proposals');
  await page.getByText('全部议题').first().waitFor();
  expect(page.url()).toContain('/proposals');
  const second = JSON.parse(await page.evaluate<string>(TOKENS)) as { accessToken: string; refreshToken: string };
  expect(second.refreshToken).not.toBe(first.refreshToken);
  expect((await t.api.get('/api/v1/me', second.accessToken)).status).toBe(200);
  const refreshes = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh' AND account_id = $1`,
    [u.accountId],
  );
  expect(refreshes[0].n).toBe(1);
  await b.shot('session-renewed');

  // Someone replays the old, already used pair: the refresh is refused as reuse, the session ends,
  // and this phone is sent to the login page with a message, not an error.
  await page.evaluate(`localStorage.setItem('sangong.tokens', ${JSON.stringify(JSON.stringify(first))})`);
  await page.goto('/notifications');
  await page.waitForURL('**/login**');
  await page.getByText('登录已过期，请重新登录').waitFor();
  await b.shot('session-reuse-login');
  const after = await t.api.get('/api/v1/me', second.accessToken);
  expect([after.status, after.body.code]).toEqual([401, 'SESSION_REVOKED']);
  const reuse = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh_reuse' AND result = 'denied'`,
  );
  expect(reuse[0].n).toBe(1);
  expect(b.problems).toEqual([]);
}, 90_000);
