import { jest } from '@jest/globals';
import { PeopleService } from '#identity';
import { seedDemoPeople } from '../../seeds/demo-people.seed.js';
import { seedDemoEconomy } from '../../seeds/demo-economy.seed.js';
import { DEMO_VILLAGES } from '../../seeds/demo-people.seed.js';
import { seedDemoProposals } from '../../seeds/demo-proposals.seed.js';
import { DEMO_MEMBER_REPRESENTATIVES, seedDemoRegisters } from '../../seeds/demo-registers.seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ok } from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

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
    expect(await seedDemoProposals(t.db)).toBe(14);
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
    expect(first.filter((r) => r.t.startsWith('proposal:')).map((r) => r.t)).toEqual([
      'proposal:announced',
      'proposal:awaiting_approval',
      'proposal:closed',
      'proposal:deliberation',
      'proposal:draft',
      'proposal:pending_review',
      'proposal:voting',
    ]);
    expect(await seedDemoProposals(t.db)).toBe(0);
    expect(await snapshot()).toEqual(first);
    // Closed demo votes satisfy the tally invariant the database enforces; open ones have a frozen electorate.
    // Every closed demo vote passed except the land-contracting plan that missed 2/3 of all members.
    const votes = await queryRows<{
      status: string;
      electorate: number;
      participants: number | null;
      outcome: string | null;
      category: string;
    }>(t.db, `SELECT v.status, v.electorate, v.participants, v.outcome, p.category FROM vote v JOIN proposal p ON p.id = v.proposal_id`);
    for (const v of votes) {
      expect(v.electorate).toBeGreaterThan(0);
      if (v.status === 'closed')
        expect([v.category, v.outcome]).toEqual([v.category, v.category === 'land_contracting' ? 'rejected' : 'passed']);
    }
    // The 成员大会 demo vote froze the member register: the 28 adult demo residents of that village and its three
    // village officials (村委会主任, 监委会主任, 村调解员).
    const [mra] = await queryRows<{ electorate: number; register: number }>(
      t.db,
      `SELECT v.electorate, (SELECT count(*)::int FROM collective_member m JOIN collective_org o ON o.id = m.org_id
                              WHERE o.division_code = p.village_code AND m.left_on IS NULL) AS register
         FROM vote v JOIN proposal p ON p.id = v.proposal_id WHERE p.is_demo AND v.body = 'members_assembly' AND v.status = 'closed'`,
    );
    expect(mra.electorate).toBe(31);
    expect(mra.register).toBe(31);
    // The demo land matters decided at a 村民会议 froze the village organization's members 18 or over on the
    // reference day (decision 064). The adult residents who are not members are exactly the officials of a
    // township, county or city who live there; in V3 two township officials are residents but not electors.
    const land = await queryRows<{
      village: string;
      electors: string[];
      members: string[];
      nonMembers: string[] | null;
      above: string[] | null;
    }>(
      t.db,
      `WITH l AS (
         SELECT v.id, v.reference_date AS day, p.village_code FROM vote v JOIN proposal p ON p.id = v.proposal_id
          WHERE p.is_demo AND v.body = 'villagers_meeting' AND v.purpose = 'decision'
            AND p.category IN ('land_contracting', 'land_adjustment', 'land_outsider_contracting', 'construction_land')),
       r AS (
         SELECT l.id, g.person_id FROM l JOIN role_grant g ON g.division_code = l.village_code AND g.role = 'resident' AND g.revoked_at IS NULL
           JOIN person pe ON pe.id = g.person_id WHERE pe.birth_date <= l.day - interval '18 years'),
       m AS (
         SELECT l.id, cm.person_id FROM l JOIN collective_org o ON o.division_code = l.village_code AND o.level = 'village'
           JOIN collective_member cm ON cm.org_id = o.id JOIN person pe ON pe.id = cm.person_id
          WHERE cm.joined_on <= l.day AND (cm.left_on IS NULL OR cm.left_on > l.day) AND pe.birth_date <= l.day - interval '18 years')
       SELECT l.village_code AS village,
              (SELECT array_agg(e.person_id::text ORDER BY e.person_id) FROM vote_elector e WHERE e.vote_id = l.id) AS electors,
              (SELECT array_agg(m.person_id::text ORDER BY m.person_id) FROM m WHERE m.id = l.id) AS members,
              (SELECT array_agg(r.person_id::text ORDER BY r.person_id) FROM r WHERE r.id = l.id
                  AND NOT EXISTS (SELECT 1 FROM m WHERE m.id = r.id AND m.person_id = r.person_id)) AS "nonMembers",
              (SELECT array_agg(r.person_id::text ORDER BY r.person_id) FROM r WHERE r.id = l.id
                  AND EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = r.person_id AND g.revoked_at IS NULL AND g.division_code <> l.village_code)) AS above
         FROM l ORDER BY l.village_code`,
    );
    expect(land.map((l) => l.village)).toEqual([DEMO_VILLAGES[1], DEMO_VILLAGES[2]]);
    for (const l of land) {
      expect(l.electors).toHaveLength(31);
      expect(l.electors).toEqual(l.members);
      expect(l.nonMembers).toEqual(l.above);
    }
    expect(land[1].nonMembers).toHaveLength(2);
    await seedDemoRegisters(t.db);
    // The seats: two committee members and one 预备党员 per village, lawful representatives' meetings, 21 成员代表 in office.
    const seats = await queryRows<{ division_code: string; role: string; n: number }>(
      t.db,
      `SELECT division_code, role, count(*)::int AS n FROM role_grant WHERE role IN ('committee_member', 'probationary_party_member') AND revoked_at IS NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(seats).toEqual(
      DEMO_VILLAGES.flatMap((v) => [
        { division_code: v, role: 'committee_member', n: 2 },
        { division_code: v, role: 'probationary_party_member', n: 1 },
      ]),
    );
    const committee = await t.given.user('village_committee', DEMO_VILLAGES[0]);
    const c = await t.api.get(`/api/v1/villages/${DEMO_VILLAGES[0]}/representatives-meeting`, committee.token);
    expect(c.body).toMatchObject({ committeeMembers: 2, representatives: 10, members: 12, warnings: [] });
    const [{ id: orgId }] = await queryRows<{ id: string }>(t.db, `SELECT id FROM collective_org WHERE division_code = $1`, [
      DEMO_VILLAGES[0],
    ]);
    const roster = await t.api.get(`/api/v1/economy/orgs/${orgId}/member-representatives`, committee.token);
    expect(roster.body).toMatchObject({ seated: DEMO_MEMBER_REPRESENTATIVES });
    expect(roster.body.warnings.filter((w: string) => w.includes('多于二十人'))).toEqual([]);
    // Every approved demo proposal had its notice; its votes opened no earlier than the statutory 10 days after it
    // (村民会议 Art. 21, 成员大会 Art. 27), and lasted at least 24 hours.
    const noticed = await queryRows<{
      deciding_body: string;
      started: Date;
      issued_at: Date | null;
      statutory_days: number | null;
      opens_at: Date | null;
      closes_at: Date | null;
      reports: number;
    }>(
      t.db,
      `SELECT p.deciding_body, p.deliberation_started_at AS started, n.issued_at, n.statutory_days, v.opens_at, v.closes_at,
              (SELECT count(*)::int FROM proposal_attachment a WHERE a.proposal_id = p.id AND a.report_kind IS NOT NULL AND a.created_at <= n.issued_at) AS reports
         FROM proposal p LEFT JOIN proposal_notice n ON n.proposal_id = p.id LEFT JOIN vote v ON v.proposal_id = p.id AND v.purpose = 'decision'
        WHERE p.is_demo AND p.deliberation_started_at IS NOT NULL`,
    );
    expect(noticed.length).toBe(10);
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
    expect(noticed.filter((n) => n.opens_at).length).toBe(8);
    // The demo 村民代表会议 matter (误工补贴) stands on a recorded authorisation valid today.
    const [auth] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM representatives_authorisation WHERE is_demo AND 'work_subsidy' = ANY(categories) AND valid_from <= current_date AND valid_to >= current_date`,
    );
    expect(auth.n).toBe(2);
    // Every demo proposal's page shows the rule of its matter at its body (none is refused).
    const admin = await t.given.user('county_admin', '140428');
    const demo = await queryRows<{ id: string }>(t.db, `SELECT id FROM proposal WHERE is_demo`);
    expect(demo).toHaveLength(14);
    for (const { id } of demo) {
      const page = await t.api.get(`/api/v1/proposals/${id}`, admin.token);
      expect(page.status).toBe(200);
      expect(page.body.matterRule).toMatchObject({ allowed: true });
      expect(page.body.matterRule.text).toMatch(/^本事项依据《/);
    }
  });

  // Issue 11: the demo shows one of each (runs on the first test's seeding, same database).
  const byTitle = async (title: string) => {
    const [p] = await queryRows<{
      id: string;
      village_code: string;
      status: string;
      origin: string;
      joint_request_id: string | null;
      deliberation_started_at: Date | null;
    }>(
      t.db,
      `SELECT id, village_code, status, origin, joint_request_id, deliberation_started_at FROM proposal WHERE is_demo AND title = $1`,
      [title],
    );
    expect(p).toBeDefined();
    return p;
  };
  const decisionVote = async (proposalId: string) => {
    const [v] = await queryRows<{
      id: string;
      electorate: number;
      participants: number;
      yes_count: number;
      no_count: number;
      outcome: string;
      threshold: string;
      representatives: number | null;
      representatives_yes: number | null;
    }>(
      t.db,
      `SELECT id, electorate, participants, yes_count, no_count, outcome, threshold, representatives, representatives_yes FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [proposalId],
    );
    return v;
  };

  it('a land-contracting plan with a majority of attendees but under 2/3 of all members: closed, not passed, and the page says why', async () => {
    const p = await byTitle('第二轮土地承包到期后延包方案（演示）');
    expect(p.status).toBe('closed');
    const v = await decisionVote(p.id);
    // Quorum held (more than half took part) and a majority of attendees said yes, yet under 2/3 of ALL members.
    expect(2 * v.participants).toBeGreaterThan(v.electorate);
    expect(2 * v.yes_count).toBeGreaterThan(v.participants);
    expect(3 * v.yes_count).toBeLessThan(2 * v.electorate);
    expect({ outcome: v.outcome, threshold: v.threshold }).toEqual({ outcome: 'rejected', threshold: 'two_thirds_of_all_members' });
    const admin = await t.given.user('county_admin', '140428');
    const page = ok(await t.api.get(`/api/v1/proposals/${p.id}`, admin.token));
    expect(page.matterRule.text).toContain(
      '本集体经济组织成员的村民会议三分之二以上成员同意（以村民会议全体成员计，不以到会人数计；村民会议成员为本集体经济组织年满十八周岁的成员',
    );
    const result = ok(await t.api.get(`/api/v1/proposals/${p.id}/results`, admin.token));
    expect(result).toMatchObject({
      outcome: 'rejected',
      threshold: 'two_thirds_of_all_members',
      yes: v.yes_count,
      electorate: v.electorate,
    });
    const [notice] = await queryRows<{ body: string }>(t.db, `SELECT body FROM notice WHERE proposal_id = $1 AND kind = 'resolution'`, [
      p.id,
    ]);
    expect(notice.body).toContain(
      `赞成 ${v.yes_count} 票，虽超过参加人数的一半，但未达到村民会议全体成员 ${v.electorate} 人的三分之二（至少 ${Math.ceil((2 * v.electorate) / 3)} 票）`,
    );
  });

  it('a 村民代表会议 whose quorum the committee members made: 6 representatives alone are under 2/3 of 12, with the 2 committee members 8 are not', async () => {
    const p = await byTitle('2026 年护林员、保洁员误工补贴标准（演示）');
    expect(p.status).toBe('announced');
    const v = await decisionVote(p.id);
    const bySeat = await queryRows<{ seat: string; n: number }>(
      t.db,
      `SELECT e.seat, count(*)::int AS n FROM ballot_participation b JOIN vote_elector e ON e.vote_id = b.vote_id AND e.person_id = b.person_id
        WHERE b.vote_id = $1 GROUP BY 1 ORDER BY 1`,
      [v.id],
    );
    expect(bySeat).toEqual([
      { seat: 'committee', n: 2 },
      { seat: 'representative', n: 6 },
    ]);
    expect({
      electorate: v.electorate,
      participants: v.participants,
      yes: v.yes_count,
      representatives: v.representatives,
      representativesYes: v.representatives_yes,
      outcome: v.outcome,
    }).toEqual({ electorate: 12, participants: 8, yes: 5, representatives: 10, representativesYes: 3, outcome: 'passed' });
    expect(3 * 6).toBeLessThan(2 * v.electorate);
    expect(3 * v.participants).toBeGreaterThanOrEqual(2 * v.electorate);
  });

  it('a 党员大会 审议 with the 预备党员 present: only full members are counted', async () => {
    const p = await byTitle('村集体光伏电站收益使用方案（演示）');
    expect(p.status).toBe('pending_review');
    const [e] = await queryRows<{
      details: { members: number; attendees: number; yes: number; probationaryPresent: number; outcome: string; summary: string };
    }>(t.db, `SELECT details FROM proposal_event WHERE proposal_id = $1 AND action = 'party_review_passed'`, [p.id]);
    const [{ full, probationary }] = await queryRows<{ full: number; probationary: number }>(
      t.db,
      `SELECT count(*) FILTER (WHERE role = 'party_member' AND NOT EXISTS (SELECT 1 FROM role_grant x WHERE x.person_id = g.person_id
                AND x.role = 'probationary_party_member' AND x.division_code = g.division_code AND x.revoked_at IS NULL))::int AS full,
              count(*) FILTER (WHERE role = 'probationary_party_member')::int AS probationary
         FROM role_grant g WHERE division_code = $1 AND revoked_at IS NULL`,
      [p.village_code],
    );
    expect(probationary).toBe(1);
    expect(e.details).toMatchObject({ members: full, attendees: full, probationaryPresent: 1, outcome: 'passed' });
    expect(2 * e.details.yes).toBeGreaterThan(full);
    expect(e.details.summary).toContain('预备党员 1 名列席');
  });

  it('a 成员代表大会 of the elected roster: 21 成员代表, passed by 2/3 of all of them', async () => {
    const p = await byTitle('入股县农业产业平台公司方案（演示）');
    const v = await decisionVote(p.id);
    expect(v.electorate).toBe(DEMO_MEMBER_REPRESENTATIVES);
    const [{ outside }] = await queryRows<{ outside: number }>(
      t.db,
      `SELECT count(*)::int AS outside FROM vote_elector e WHERE e.vote_id = $1 AND NOT EXISTS (
         SELECT 1 FROM collective_member_representative r JOIN collective_member m ON m.id = r.member_id WHERE m.person_id = e.person_id AND r.ended_on IS NULL)`,
      [v.id],
    );
    expect(outside).toBe(0);
    expect(v.outcome).toBe('passed');
    expect(3 * v.yes_count).toBeGreaterThanOrEqual(2 * DEMO_MEMBER_REPRESENTATIVES);
  });

  it('a joint proposal from a request that reached 1/10 of the villagers cannot be withdrawn', async () => {
    const p = await byTitle('关于修缮村南灌溉水渠的联名提议（演示）');
    expect({ status: p.status, origin: p.origin }).toEqual({ status: 'draft', origin: 'joint' });
    const [r] = await queryRows<{ status: string; base: number; threshold: number; signatures: number }>(
      t.db,
      `SELECT status, base, threshold, (SELECT count(*)::int FROM joint_signature s WHERE s.request_id = j.id) AS signatures FROM joint_request j WHERE id = $1`,
      [p.joint_request_id],
    );
    expect(r.status).toBe('reached');
    expect(r.base).toBeGreaterThan(0);
    expect(10 * r.signatures).toBeGreaterThanOrEqual(r.base);
    expect(r.signatures).toBe(r.threshold);
    const committee = await t.given.user('village_committee', p.village_code);
    const w = await t.api.post(`/api/v1/proposals/${p.id}/withdraw`, { reason: '演示：试图撤回' }, committee.token);
    expect(w.status).toBe(409);
    expect(w.body.code).toBe('JOINT_PROPOSAL_MUST_BE_CONVENED');
  });

  it('a 成员大会 within its 10 days of notice cannot open its vote yet', async () => {
    const p = await byTitle('出租村集体闲置厂房方案（演示）');
    expect(p.status).toBe('deliberation');
    const [n] = await queryRows<{ statutory_days: number; earliest_vote_at: Date; recipients: number }>(
      t.db,
      `SELECT statutory_days, earliest_vote_at, recipients FROM proposal_notice WHERE proposal_id = $1`,
      [p.id],
    );
    expect(n.statutory_days).toBe(10);
    expect(n.earliest_vote_at.getTime()).toBeGreaterThan(Date.now());
    expect(n.earliest_vote_at.getTime() - p.deliberation_started_at!.getTime()).toBeGreaterThanOrEqual(10 * 86_400_000);
    expect(n.recipients).toBeGreaterThan(0);
    const committee = await t.given.user('village_committee', p.village_code);
    const open = await t.api.post(
      `/api/v1/proposals/${p.id}/voting`,
      { closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString() },
      committee.token,
    );
    expect(open.status).toBe(409);
    expect(open.body.code).toBe('NOTICE_PERIOD_NOT_OVER');
  });

  it('a land-adjustment resolution published and waiting for its approvals: the township’s recorded, the county’s outstanding', async () => {
    const p = await byTitle('三组因修建乡村公路占地调整承包地方案（演示）');
    expect(p.status).toBe('awaiting_approval');
    const admin = await t.given.user('county_admin', '140428');
    const page = ok(await t.api.get(`/api/v1/proposals/${p.id}`, admin.token));
    expect(page.approvals).toMatchObject({ required: true, resolutionPassed: true, status: 'pending', inEffect: false });
    expect(page.approvals.items.map((i: any) => [i.authority, i.record?.decision ?? null, i.record?.documentNumber ?? null])).toEqual([
      ['township_government', 'approved', '演示镇政批〔2026〕8号'],
      ['county_agriculture', null, null],
    ]);
    const [notice] = await queryRows<{ body: string }>(t.db, `SELECT body FROM notice WHERE proposal_id = $1 AND kind = 'resolution'`, [
      p.id,
    ]);
    expect(notice.body).toContain('待批准，尚未生效');
    const committee = await t.given.user('village_committee', p.village_code);
    const impl = await t.api.post(`/api/v1/proposals/${p.id}/implementation-reports`, { body: '演示：试图公开实施结果' }, committee.token);
    expect(impl.status).toBe(409);
    expect(impl.body.code).toBe('APPROVALS_OUTSTANDING');
    expect(impl.body.details.missing).toEqual(['县级人民政府农业农村等主管部门']);
  });
});
