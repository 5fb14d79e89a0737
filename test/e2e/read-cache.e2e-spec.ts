import { ReadCache } from '#platform';
import { type GivenUser, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { fileDraft, ok, officials, type Officials } from './deliberation-support.js';
import { readsSettled, within } from '../support/wait.js';

// The read cache (docs/decisions/062-read-cache.md): a village's proposals and notices, a proposal's detail
// and a profile are served from memory, and every change reaches it: in the writing process before its
// answer leaves, in other processes and from SQL outside the app by the triggers' NOTIFY.

let t: TestApp;
let cache: ReadCache;
let o: Officials;
beforeAll(async () => {
  t = await startTestApp();
  cache = t.app.get(ReadCache);
  o = await officials(t, VILLAGE_A);
});
afterAll(async () => {
  await t.close();
});

/** A change the triggers do not see (as if its notification were lost): only the age limit can bring it. */
async function silently(sql: string, params: unknown[]): Promise<void> {
  await t.db.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query(sql, params);
  });
}

const titleOf = async (api: TestApp['api'], id: string, u: GivenUser) =>
  ok(await api.get(`/api/v1/proposals/${id}`, u.token)).title as string;
const listed = async (api: TestApp['api'], u: GivenUser) =>
  (ok(await api.get(`/api/v1/proposals?divisionCode=${VILLAGE_A}&pageSize=100`, u.token)).items as { id: string; title: string }[]).map(
    (p) => `${p.id}:${p.title}`,
  );

describe('read cache', () => {
  it('serves a proposal from memory: a change nobody is told of shows only after READ_CACHE_SECONDS; a notified one within a second', async () => {
    expect(cache.active).toBe(true);
    const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试一号' });
    await readsSettled(t.app, t.db);
    expect(await titleOf(t.api, id, o.committee)).toBe('缓存测试一号');
    await silently(`UPDATE proposal SET title = '悄悄改过的标题' WHERE id = $1`, [id]);
    expect(await titleOf(t.api, id, o.committee)).toBe('缓存测试一号');
    t.clock.advance(6000);
    expect(await titleOf(t.api, id, o.committee)).toBe('悄悄改过的标题');
    await queryRows(t.db, `UPDATE proposal SET title = '库里直接改的标题' WHERE id = $1`, [id]);
    expect(await within(1000, async () => (await titleOf(t.api, id, o.committee)) === '库里直接改的标题')).toBeLessThan(1000);
  });

  it('the writing process reads its own write on the very next request (detail and list)', async () => {
    const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试二号' });
    expect(await titleOf(t.api, id, o.committee)).toBe('缓存测试二号');
    expect(await listed(t.api, o.committee)).toContain(`${id}:缓存测试二号`);
    for (let i = 1; i <= 5; i++) {
      ok(await t.api.patch(`/api/v1/proposals/${id}`, { title: `改名第${i}次` }, o.committee.token));
      expect(await titleOf(t.api, id, o.committee)).toBe(`改名第${i}次`);
      expect(await listed(t.api, o.committee)).toContain(`${id}:改名第${i}次`);
    }
  });

  it('another process drops its copy when the first one writes', async () => {
    const other = await t.sibling({});
    try {
      const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试三号' });
      expect(await titleOf(other.api, id, o.committee)).toBe('缓存测试三号');
      expect(await listed(other.api, o.committee)).toContain(`${id}:缓存测试三号`);
      ok(await t.api.patch(`/api/v1/proposals/${id}`, { title: '另一进程改的' }, o.committee.token));
      expect(await within(1000, async () => (await titleOf(other.api, id, o.committee)) === '另一进程改的')).toBeLessThan(1000);
      expect(await within(1000, async () => (await listed(other.api, o.committee)).includes(`${id}:另一进程改的`))).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });

  it('a profile: a change of the person reaches /me within a second', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const before = ok(await t.api.get('/api/v1/me', u.token)).realName as string;
    await silently(`UPDATE person SET phone_masked = '139****0000' WHERE id = $1`, [u.personId]);
    expect(ok(await t.api.get('/api/v1/me', u.token)).phoneMasked).not.toBe('139****0000');
    await queryRows(t.db, `UPDATE person SET real_name = $2 WHERE id = $1`, [u.personId, `${before}改`]);
    expect(await within(1000, async () => ok(await t.api.get('/api/v1/me', u.token)).realName === `${before}改`)).toBeLessThan(1000);
    expect(ok(await t.api.get('/api/v1/me', u.token)).phoneMasked).toBe('139****0000');
  });

  it('a change in a village reaches the township list (filed under the township scope)', async () => {
    const township = o.township;
    const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试四号' });
    const townList = async () =>
      (
        ok(await t.api.get(`/api/v1/proposals?divisionCode=${VILLAGE_A.slice(0, 9)}&pageSize=100`, township.token)).items as {
          id: string;
          title: string;
        }[]
      )
        .filter((p) => p.id === id)
        .map((p) => p.title);
    expect(await townList()).toEqual(['缓存测试四号']);
    await queryRows(t.db, `UPDATE proposal SET title = '乡镇列表应当看到' WHERE id = $1`, [id]);
    expect(await within(1000, async () => (await townList())[0] === '乡镇列表应当看到')).toBeLessThan(1000);
  });

  it('without its LISTEN connection nothing is served from memory, and it comes back', async () => {
    const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试五号' });
    expect(await titleOf(t.api, id, o.committee)).toBe('缓存测试五号');
    const killed = await queryRows<{ ok: boolean }>(
      t.db,
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sangong-read-cache' AND pid <> pg_backend_pid()`,
    );
    expect(killed.length).toBeGreaterThanOrEqual(1);
    await within(2000, () => !cache.active);
    expect(cache.size).toBe(0);
    await silently(`UPDATE proposal SET title = '无人通知也读得到' WHERE id = $1`, [id]);
    expect(await titleOf(t.api, id, o.committee)).toBe('无人通知也读得到');
    await within(3000, () => cache.active);
    expect(await titleOf(t.api, id, o.committee)).toBe('无人通知也读得到');
    expect(cache.size).toBeGreaterThan(0);
  });

  it('READ_CACHE_SECONDS=0 turns it off', async () => {
    const off = await t.sibling({ READ_CACHE_SECONDS: '0' });
    try {
      const offCache = off.app.get(ReadCache);
      const id = await fileDraft(t, o, VILLAGE_A, { title: '缓存测试六号' });
      expect(await titleOf(off.api, id, o.committee)).toBe('缓存测试六号');
      expect(offCache.active).toBe(false);
      expect(offCache.size).toBe(0);
      await silently(`UPDATE proposal SET title = '关掉缓存就读库' WHERE id = $1`, [id]);
      expect(await titleOf(off.api, id, o.committee)).toBe('关掉缓存就读库');
    } finally {
      await off.close();
    }
  });
});
