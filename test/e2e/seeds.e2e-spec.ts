import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { queryRows } from '#platform';
import { DEMO_PASSWORD, runSeeds } from '../../seeds/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Row counts of every table in the public schema, plus a checksum of each table's contents. */
async function snapshot(db: DataSource): Promise<Record<string, string>> {
  const tables = await queryRows<{ t: string }>(db, `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { t: name } of tables) {
    const [{ n, h }] = await queryRows<{ n: number; h: string | null }>(db, `SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))) AS h FROM "${name}" x`);
    out[name] = `${n}:${h}`;
  }
  return out;
}

it('demo seeds are idempotent: a second run changes no row in any table', async () => {
  const services = { people: t.app.get(PeopleService) };
  const first = await runSeeds(t.db, services, { demo: true });
  expect(first.demoLogins.length).toBeGreaterThan(10);
  const before = await snapshot(t.db);
  const second = await runSeeds(t.db, services, { demo: true });
  expect(second.divisionsChanged).toBe(0);
  const after = await snapshot(t.db);
  expect(after).toEqual(before);
});

it('demo people are marked as demo and the demo logins work', async () => {
  const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM person WHERE is_demo`);
  expect(n).toBeGreaterThanOrEqual(90);
  const login = await t.api.post('/api/v1/auth/login', { phone: '13904281001', password: DEMO_PASSWORD });
  expect(login.status).toBe(200);
  const me = await t.api.get('/api/v1/me', login.body.accessToken);
  expect(me.body.grants.map((g: { role: string }) => g.role)).toContain('village_committee');
});
