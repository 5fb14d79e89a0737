import { createHash } from 'node:crypto';
import { PiiCipher } from '#platform';
import { seedDemoMediation } from '../../seeds/demo-mediation.seed.js';
import { COUNTY } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(async () => {
  await t.close();
});

const STATES = ['applied', 'accepted', 'declined', 'mediating', 'agreed', 'terminated', 'follow_up', 'closed'];

async function digest(app: TestApp): Promise<string> {
  const rows = await queryRows<Record<string, unknown>>(
    app.db,
    `SELECT case_no, status, committee_code, origin_committee_code, dispute_type, applied_at, due_at, concluded_at,
            (SELECT string_agg(name || id_number_masked, ',' ORDER BY ord) FROM mediation_party p WHERE p.case_id = c.id) AS parties
       FROM mediation_case c WHERE is_demo ORDER BY case_no`,
  );
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

describe('mediation demo seed', () => {
  it('covers every township and village of 长子县, every state, escalations, all marked demo', async () => {
    const n = await seedDemoMediation(t.db, t.app.get(PiiCipher));
    const [{ townships, villages }] = await queryRows<{ townships: number; villages: number }>(
      t.db,
      `SELECT count(*) FILTER (WHERE level = 'township')::int AS townships, count(*) FILTER (WHERE level = 'village')::int AS villages FROM division WHERE code LIKE '140428%'`,
    );
    expect(n).toBe(townships * STATES.length + villages);
    const perTownship = await queryRows<{ code: string; states: string[] }>(
      t.db,
      `SELECT committee_code AS code, array_agg(DISTINCT status ORDER BY status) AS states FROM mediation_case WHERE is_demo AND length(committee_code) = 9 AND escalation_count = 0 GROUP BY 1`,
    );
    expect(perTownship).toHaveLength(townships);
    for (const tw of perTownship) expect([...tw.states].sort()).toEqual([...STATES].sort());
    const origins = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(DISTINCT origin_committee_code)::int AS n FROM mediation_case WHERE length(origin_committee_code) = 12`,
    );
    expect(origins[0].n).toBe(villages);
    const esc = await queryRows<{ escalation_count: number; n: number }>(
      t.db,
      `SELECT escalation_count, count(*)::int AS n FROM mediation_case GROUP BY 1 ORDER BY 1`,
    );
    expect(esc.map((e) => e.escalation_count)).toEqual([0, 1, 2]);
    const notDemo = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM mediation_case WHERE NOT is_demo`);
    expect(notDemo[0].n).toBe(0);
    // Numbers came from the counters: real cases continue after the demo ones.
    const [gap] = await queryRows<{ bad: number }>(
      t.db,
      `SELECT count(*)::int AS bad FROM mediation_case_counter k
        WHERE k.last_seq <> (SELECT count(*) FROM mediation_case c WHERE c.origin_committee_code = k.committee_code AND c.year = k.year)`,
    );
    expect(gap.bad).toBe(0);
    // The case list marks them too (the web tags them 演示).
    const county = await t.given.user('county_admin', COUNTY);
    const list = await t.api.get<{ items: { isDemo: boolean }[] }>('/api/v1/mediation/cases?pageSize=5', county.token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.isDemo)).toEqual([true, true, true, true, true]);
  });

  it('a second run changes nothing, and a fresh database gets exactly the same cases', async () => {
    const before = await digest(t);
    expect(await seedDemoMediation(t.db, t.app.get(PiiCipher))).toBe(0);
    expect(await digest(t)).toBe(before);
    const other = await startTestApp();
    try {
      await seedDemoMediation(other.db, other.app.get(PiiCipher));
      expect(await digest(other)).toBe(before);
    } finally {
      await other.close();
    }
  }, 60_000);
});
