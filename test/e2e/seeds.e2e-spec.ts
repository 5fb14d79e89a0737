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

it('the demo shows 人民调解法 and issue 11’s economy items: ID-less intake, oral and thumb-printed agreements, an extension, 司法确认, an old code, 未填报', async () => {
  // Runs after the first test's seeding (same database).
  const [m] = await queryRows<Record<string, number>>(
    t.db,
    `SELECT (SELECT count(*)::int FROM mediation_party WHERE kind = 'person' AND id_number_hash IS NULL) AS no_id,
            (SELECT count(*)::int FROM mediation_agreement WHERE form = 'oral') AS oral,
            (SELECT count(*)::int FROM mediation_agreement_execution WHERE mode = 'thumbprint') AS thumb,
            (SELECT count(*)::int FROM mediation_extension) AS ext,
            (SELECT count(*)::int FROM mediation_confirmation WHERE outcome = 'confirmed') AS confirmed,
            (SELECT count(*)::int FROM mediation_confirmation WHERE outcome IS NULL) AS pending,
            (SELECT count(*)::int FROM collective_org WHERE substr(credit_code, 3, 6) <> left(division_code, 6)) AS old_code,
            (SELECT count(*)::int FROM collective_org o WHERE o.level = 'village'
                AND NOT EXISTS (SELECT 1 FROM org_year_figures f WHERE f.org_id = o.id AND f.year = 2025)) AS unreported,
            (SELECT count(*)::int FROM mediation_agreement a WHERE a.form = 'written'
                AND NOT EXISTS (SELECT 1 FROM mediation_agreement_execution e WHERE e.case_id = a.case_id)) AS unexecuted`,
  );
  for (const k of ['no_id', 'oral', 'thumb', 'ext', 'confirmed', 'pending']) expect([k, m[k] > 0]).toEqual([k, true]);
  expect({ old_code: m.old_code, unreported: m.unreported, unexecuted: m.unexecuted }).toEqual({ old_code: 1, unreported: 2, unexecuted: 0 });
});
