import { jest } from '@jest/globals';
import { PeopleService } from '#identity';
import { queryRows } from '#platform';
import { seedDemoPeople } from '../../seeds/demo-people.seed.js';
import { seedDemoProposals } from '../../seeds/demo-proposals.seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
});
afterAll(async () => {
  await t.close();
});

describe('demo proposals seed', () => {
  it('creates demo proposals in several states, consistent with the rules, and a second run changes nothing', async () => {
    await seedDemoPeople(t.db, t.app.get(PeopleService));
    expect(await seedDemoProposals(t.db)).toBe(7);
    const snapshot = () =>
      queryRows<{ t: string; n: number }>(
        t.db,
        `SELECT 'proposal:' || status AS t, count(*)::int AS n FROM proposal WHERE is_demo GROUP BY status
         UNION ALL SELECT 'notice', count(*)::int FROM notice WHERE is_demo
         UNION ALL SELECT 'vote:' || status, count(*)::int FROM vote GROUP BY status
         UNION ALL SELECT 'choice', count(*)::int FROM ballot_choice
         UNION ALL SELECT 'event', count(*)::int FROM proposal_event ORDER BY 1`,
      );
    const first = await snapshot();
    expect(first.filter((r) => r.t.startsWith('proposal:')).map((r) => r.t)).toEqual(
      ['proposal:announced', 'proposal:closed', 'proposal:deliberation', 'proposal:draft', 'proposal:pending_review', 'proposal:voting'],
    );
    expect(await seedDemoProposals(t.db)).toBe(0);
    expect(await snapshot()).toEqual(first);
    // Closed demo votes satisfy the tally invariant the database enforces; open ones have a frozen electorate.
    const votes = await queryRows<{ status: string; electorate: number; participants: number | null; outcome: string | null }>(t.db, `SELECT status, electorate, participants, outcome FROM vote`);
    for (const v of votes) {
      expect(v.electorate).toBeGreaterThan(0);
      if (v.status === 'closed') expect(v.outcome).toBe('passed');
    }
    // Every demo proposal's page shows the rule of its matter at its body (none is refused).
    const admin = await t.given.user('county_admin', '140428');
    const demo = await queryRows<{ id: string }>(t.db, `SELECT id FROM proposal WHERE is_demo`);
    expect(demo).toHaveLength(7);
    for (const { id } of demo) {
      const page = await t.api.get(`/api/v1/proposals/${id}`, admin.token);
      expect(page.status).toBe(200);
      expect(page.body.matterRule).toMatchObject({ allowed: true });
      expect(page.body.matterRule.text).toMatch(/^本事项依据《/);
    }
  });
});
