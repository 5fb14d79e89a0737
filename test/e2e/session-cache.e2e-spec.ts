import pg from 'pg';
import { SessionCache } from '#identity';
import { COUNTY, TEST_PASSWORD, TOWNSHIP_A, VILLAGE_A, type GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { within } from '../support/wait.js';

// The guard's session cache (docs/decisions/005-session-cache.md): a known session costs no database
// read, and every change that must refuse the next request does so, in this process at once and in
// every other process as soon as the trigger's NOTIFY arrives.

let t: TestApp;
let cache: SessionCache;
beforeAll(async () => {
  t = await startTestApp();
  cache = t.app.get(SessionCache);
});
afterAll(async () => {
  await t.close();
});

const claims = (u: GivenUser): { sid: string; sub: string } => JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString());
const cached = (c: SessionCache, u: GivenUser) => c.get(claims(u).sid, u.accountId) !== null;

describe('session cache', () => {
  it('is listening, and after the first request a session is served from memory without reading the database', async () => {
    expect(cache.active).toBe(true);
    const u = await t.given.user('resident', VILLAGE_A);
    expect(cached(cache, u)).toBe(false);
    expect((await t.api.get('/api/v1/me', u.token)).status).toBe(200);
    expect(cached(cache, u)).toBe(true);
    // Revoke the session in the database with its notification switched off: a guard that read the
    // database would now refuse; the cached session is still accepted, so nothing was read.
    await t.db.query('ALTER TABLE auth_session DISABLE TRIGGER auth_session_cache_notify_update');
    try {
      await t.db.query(`UPDATE auth_session SET revoked_at = now(), revoke_reason = 'logout' WHERE id = $1`, [claims(u).sid]);
      await new Promise((r) => setTimeout(r, 100));
      expect((await t.api.get('/api/v1/notifications', u.token)).status).toBe(200);
    } finally {
      await t.db.query('ALTER TABLE auth_session ENABLE TRIGGER auth_session_cache_notify_update');
    }
    // Once the entry goes (here by the process's own invalidation), the database decides again.
    cache.invalidateSession(claims(u).sid);
    expect((await t.api.get('/api/v1/notifications', u.token)).body.code).toBe('SESSION_REVOKED');
  });

  it('logout, disabling, a password change and a revoked grant refuse the very next request, with the entry cached', async () => {
    const admin = await t.given.user('county_admin', COUNTY);

    const a = await t.given.user('resident', VILLAGE_A);
    await t.api.get('/api/v1/me', a.token);
    expect(cached(cache, a)).toBe(true);
    expect((await t.api.post('/api/v1/auth/logout', {}, a.token)).status).toBe(204);
    expect((await t.api.get('/api/v1/me', a.token)).body.code).toBe('SESSION_REVOKED');

    const b = await t.given.user('resident', VILLAGE_A);
    await t.api.get('/api/v1/me', b.token);
    expect(cached(cache, b)).toBe(true);
    expect((await t.api.patch(`/api/v1/accounts/${b.accountId}/status`, { status: 'disabled' }, admin.token)).status).toBe(200);
    expect((await t.api.get('/api/v1/me', b.token)).body.code).toBe('ACCOUNT_DISABLED');

    const c = await t.given.user('resident', VILLAGE_A);
    await t.api.get('/api/v1/me', c.token);
    expect(cached(cache, c)).toBe(true);
    expect(
      (await t.api.post('/api/v1/auth/password', { oldPassword: TEST_PASSWORD, newPassword: 'Another#Pass2026' }, c.token)).status,
    ).toBe(204);
    expect((await t.api.get('/api/v1/me', c.token)).body.code).toBe('SESSION_REVOKED');

    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    expect((await t.api.get('/api/v1/people', staff.token)).status).toBe(200);
    expect(cached(cache, staff)).toBe(true);
    const [g] = await queryRows<{ id: string }>(t.db, `SELECT id FROM role_grant WHERE person_id = $1 AND role = 'township_staff'`, [
      staff.personId,
    ]);
    expect((await t.api.post(`/api/v1/grants/${g.id}/revoke`, {}, admin.token)).status).toBe(204);
    const next = await t.api.get('/api/v1/people', staff.token);
    expect(next.status).toBe(403);
    expect(next.body.code).toBe('PERMISSION_DENIED');
  });

  it('a change made by SQL outside the app reaches the cache by NOTIFY, within a second', async () => {
    const u = await t.given.user('township_staff', TOWNSHIP_A);
    await t.api.get('/api/v1/people', u.token);
    expect(cached(cache, u)).toBe(true);
    const outside = new pg.Client({ connectionString: t.databaseUrl });
    await outside.connect();
    try {
      await outside.query(`UPDATE role_grant SET revoked_at = now() WHERE person_id = $1`, [u.personId]);
      const ms = await within(1000, () => !cached(cache, u));
      expect(ms).toBeLessThan(1000);
      expect((await t.api.get('/api/v1/people', u.token)).status).toBe(403);

      const v = await t.given.user('resident', VILLAGE_A);
      await t.api.get('/api/v1/me', v.token);
      expect(cached(cache, v)).toBe(true);
      await outside.query(`UPDATE account SET status = 'disabled' WHERE id = $1`, [v.accountId]);
      await within(1000, () => !cached(cache, v));
      expect((await t.api.get('/api/v1/me', v.token)).body.code).toBe('ACCOUNT_DISABLED');

      // A change the guard does not read (the last login time) sends nothing and keeps the entry.
      const w = await t.given.user('resident', VILLAGE_A);
      await t.api.get('/api/v1/me', w.token);
      await outside.query(`UPDATE account SET last_login_at = now() WHERE id = $1`, [w.accountId]);
      await new Promise((r) => setTimeout(r, 200));
      expect(cached(cache, w)).toBe(true);
    } finally {
      await outside.end();
    }
  });

  it('a second app process on the same database drops its entry when the first one disables the account', async () => {
    const other = await t.sibling();
    try {
      const otherCache = other.app.get(SessionCache);
      await within(2000, () => otherCache.active);
      const admin = await t.given.user('county_admin', COUNTY);
      const u = await t.given.user('resident', VILLAGE_A);
      // The account's own creation may still be on its way to this process as a change notice (a loaded
      // machine delivers it late) and drop the entry once: ask again until the entry stands.
      await within(2000, async () => (await other.api.get('/api/v1/me', u.token)).status === 200 && cached(otherCache, u));
      expect((await t.api.patch(`/api/v1/accounts/${u.accountId}/status`, { status: 'disabled' }, admin.token)).status).toBe(200);
      const ms = await within(1000, () => !cached(otherCache, u));
      expect(ms).toBeLessThan(1000);
      expect((await other.api.get('/api/v1/me', u.token)).body.code).toBe('ACCOUNT_DISABLED');
    } finally {
      await other.close();
    }
  });

  it('a revoke, a disabled account and a logout answered by one process are refused by another on the very next request', async () => {
    const other = await t.sibling({});
    try {
      const otherCache = other.app.get(SessionCache);
      const admin = await t.given.user('county_admin', COUNTY);
      for (let i = 0; i < 10; i++) {
        const u = await t.given.user('resident', VILLAGE_A);
        const granted = await t.api.post(
          '/api/v1/grants',
          { personId: u.personId, role: 'village_committee', divisionCode: VILLAGE_A },
          admin.token,
        );
        expect(granted.status).toBe(201);
        const grants = `/api/v1/grants?divisionCode=${VILLAGE_A}`;
        await within(2000, async () => (await other.api.get(grants, u.token)).status === 200 && cached(otherCache, u));
        expect((await t.api.post(`/api/v1/grants/${granted.body.id}/revoke`, {}, admin.token)).status).toBe(204);
        expect((await other.api.get(grants, u.token)).status).toBe(403);
        expect((await t.api.patch(`/api/v1/accounts/${u.accountId}/status`, { status: 'disabled' }, admin.token)).status).toBe(200);
        expect((await other.api.get('/api/v1/me', u.token)).body.code).toBe('ACCOUNT_DISABLED');
      }
      const v = await t.given.user('resident', VILLAGE_A);
      expect((await other.api.get('/api/v1/me', v.token)).status).toBe(200);
      expect((await t.api.post('/api/v1/auth/logout', {}, v.token)).status).toBe(204);
      expect((await other.api.get('/api/v1/me', v.token)).status).toBe(401);
      // Both processes answered the sync: nothing was left to time.
      expect(await t.app.get(SessionCache).reachEveryProcess(500)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('without its LISTEN connection the cache is emptied and unused, changes meanwhile are seen, and it comes back', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    await t.api.get('/api/v1/me', u.token);
    expect(cached(cache, u)).toBe(true);
    const killed = await queryRows<{ ok: boolean }>(
      t.db,
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sangong-session-cache' AND pid <> pg_backend_pid()`,
    );
    expect(killed.length).toBeGreaterThanOrEqual(1);
    await within(2000, () => !cache.active);
    expect(cache.size).toBe(0);
    // Disabled while nobody listens: the request reads the database and is refused.
    await t.db.query(`UPDATE account SET status = 'disabled' WHERE id = $1`, [u.accountId]);
    expect((await t.api.get('/api/v1/me', u.token)).body.code).toBe('ACCOUNT_DISABLED');
    const other = await t.given.user('resident', VILLAGE_A);
    expect((await t.api.get('/api/v1/me', other.token)).status).toBe(200);
    expect(cached(cache, other)).toBe(false);
    await within(3000, () => cache.active);
    expect((await t.api.get('/api/v1/me', other.token)).status).toBe(200);
    expect(cached(cache, other)).toBe(true);
  });

  it('SESSION_CACHE_SECONDS=0 turns it off: every request reads the database', async () => {
    const off = await t.sibling({ SESSION_CACHE_SECONDS: '0' });
    try {
      const offCache = off.app.get(SessionCache);
      expect(offCache.enabled).toBe(false);
      const u = await t.given.user('resident', VILLAGE_A);
      expect((await off.api.get('/api/v1/me', u.token)).status).toBe(200);
      expect(offCache.size).toBe(0);
    } finally {
      await off.close();
    }
  });
});
