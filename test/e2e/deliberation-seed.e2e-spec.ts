import { jest } from '@jest/globals';
import { PeopleService } from '#identity';
import { queryRows } from '#platform';
import { seedDemoPeople } from '../../seeds/demo-people.seed.js';
import { seedDemoEconomy } from '../../seeds/demo-economy.seed.js';
import { DEMO_VILLAGES } from '../../seeds/demo-people.seed.js';
import { seedDemoProposals } from '../../seeds/demo-proposals.seed.js';
import { DEMO_MEMBER_REPRESENTATIVES, seedDemoRegisters } from '../../seeds/demo-registers.seed.js';
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
    // In runSeeds' order: the organizations and the seats before the proposals whose votes freeze them.
    await seedDemoPeople(t.db, t.app.get(PeopleService));
    await seedDemoEconomy(t.db);
    await seedDemoRegisters(t.db);
    expect(await seedDemoProposals(t.db)).toBe(7);
    const snapshot = () =>
      queryRows<{ t: string; n: number }>(
        t.db,
        `SELECT 'proposal:' || status AS t, count(*)::int AS n FROM proposal WHERE is_demo GROUP BY status
         UNION ALL SELECT 'notice', count(*)::int FROM notice WHERE is_demo
         UNION ALL SELECT 'vote:' || status, count(*)::int FROM vote GROUP BY status
         UNION ALL SELECT 'choice', count(*)::int FROM ballot_choice
         UNION ALL SELECT 'event', count(*)::int FROM proposal_event
         UNION ALL SELECT 'meeting_notice', count(*)::int FROM proposal_notice
         UNION ALL SELECT 'authorisation', count(*)::int FROM representatives_authorisation ORDER BY 1`,
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
    // The 成员大会 demo vote froze the member register: the adult demo residents of that village.
    const [mra] = await queryRows<{ electorate: number; register: number }>(
      t.db,
      `SELECT v.electorate, (SELECT count(*)::int FROM collective_member m JOIN collective_org o ON o.id = m.org_id
                              WHERE o.division_code = p.village_code AND m.left_on IS NULL) AS register
         FROM vote v JOIN proposal p ON p.id = v.proposal_id WHERE p.is_demo AND v.body = 'members_assembly' AND v.status = 'closed'`,
    );
    expect(mra.electorate).toBe(28);
    expect(mra.register).toBe(28);
    await seedDemoRegisters(t.db);
    // The seats: two committee members and one 预备党员 per village, lawful representatives' meetings, 21 成员代表 in office.
    const seats = await queryRows<{ division_code: string; role: string; n: number }>(
      t.db,
      `SELECT division_code, role, count(*)::int AS n FROM role_grant WHERE role IN ('committee_member', 'probationary_party_member') AND revoked_at IS NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(seats).toEqual(DEMO_VILLAGES.flatMap((v) => [{ division_code: v, role: 'committee_member', n: 2 }, { division_code: v, role: 'probationary_party_member', n: 1 }]));
    const committee = await t.given.user('village_committee', DEMO_VILLAGES[0]);
    const c = await t.api.get(`/api/v1/villages/${DEMO_VILLAGES[0]}/representatives-meeting`, committee.token);
    expect(c.body).toMatchObject({ committeeMembers: 2, representatives: 10, members: 12, warnings: [] });
    const [{ id: orgId }] = await queryRows<{ id: string }>(t.db, `SELECT id FROM collective_org WHERE division_code = $1`, [DEMO_VILLAGES[0]]);
    const roster = await t.api.get(`/api/v1/economy/orgs/${orgId}/member-representatives`, committee.token);
    expect(roster.body).toMatchObject({ seated: DEMO_MEMBER_REPRESENTATIVES });
    expect(roster.body.warnings.filter((w: string) => w.includes('多于二十人'))).toEqual([]);
    // Every approved demo proposal had its notice; its votes opened no earlier than the statutory 10 days after it
    // (村民会议 Art. 21, 成员大会 Art. 27), and lasted at least 24 hours.
    const noticed = await queryRows<{ deciding_body: string; started: Date; issued_at: Date | null; statutory_days: number | null; opens_at: Date | null; closes_at: Date | null; reports: number }>(
      t.db,
      `SELECT p.deciding_body, p.deliberation_started_at AS started, n.issued_at, n.statutory_days, v.opens_at, v.closes_at,
              (SELECT count(*)::int FROM proposal_attachment a WHERE a.proposal_id = p.id AND a.report_kind IS NOT NULL AND a.created_at <= n.issued_at) AS reports
         FROM proposal p LEFT JOIN proposal_notice n ON n.proposal_id = p.id LEFT JOIN vote v ON v.proposal_id = p.id AND v.purpose = 'decision'
        WHERE p.is_demo AND p.deliberation_started_at IS NOT NULL`,
    );
    expect(noticed.length).toBe(5);
    for (const n of noticed) {
      expect(n.issued_at?.getTime()).toBe(n.started.getTime());
      const statutory = ['villagers_meeting', 'members_assembly'].includes(n.deciding_body);
      expect(n.statutory_days).toBe(statutory ? 10 : null);
      if (n.deciding_body === 'members_assembly') expect(n.reports).toBe(3);
      if (n.opens_at) {
        expect(n.opens_at.getTime() - n.started.getTime()).toBeGreaterThanOrEqual((statutory ? 10 : 7) * 86_400_000);
        expect(n.closes_at!.getTime() - n.opens_at.getTime()).toBeGreaterThanOrEqual(24 * 3_600_000);
      }
    }
    expect(noticed.filter((n) => n.opens_at).length).toBe(4);
    // The demo 村民代表会议 matter (误工补贴) stands on a recorded authorisation valid today.
    const [auth] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM representatives_authorisation WHERE is_demo AND 'work_subsidy' = ANY(categories) AND valid_from <= current_date AND valid_to >= current_date`,
    );
    expect(auth.n).toBe(1);
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
