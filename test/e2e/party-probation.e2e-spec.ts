import { jest } from '@jest/globals';
import type { GivenUser } from '../support/factories.js';
import { makeIdNumber, TEST_PASSWORD } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { closeVotes, createDraft, DAY, type Officials, officials, ok, Villages, vote } from './deliberation-support.js';

// 留党察看: no vote in the 党员大会 while the sanction lasts (党章 Art. 40; 支部工作条例 Art. 11), and nobody but
// those who may grant it sees it on another person (docs/decisions/065-party-probation-no-vote.md).
jest.setTimeout(180_000);

const PROBATION = 'party_member_under_probation';

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

async function users(n: number, role: Parameters<TestApp['given']['user']>[0], village: string): Promise<GivenUser[]> {
  const out: GivenUser[] = [];
  for (let i = 0; i < n; i++) out.push(await t.given.user(role, village));
  return out;
}

/** A draft through the merged meeting, ready for the 审议. */
async function draftForReview(o: Officials, village: string, title: string): Promise<string> {
  const id = await createDraft(t, o, village, { ballotType: 'open', title });
  ok(
    await t.api.post(
      `/api/v1/proposals/${id}/merged-meeting`,
      { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
      o.committee.token,
    ),
  );
  return id;
}

/** A proposal in its online 党员大会 审议, open for two days. */
async function partyVote(o: Officials, village: string, title: string): Promise<string> {
  const id = await draftForReview(o, village, title);
  ok(
    await t.api.post(
      `/api/v1/proposals/${id}/party-vote`,
      { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
      o.committee.token,
    ),
  );
  return id;
}

const results = async (id: string, token: string) => ok(await t.api.get(`/api/v1/proposals/${id}/results?purpose=party_review`, token));

const ballotsOf = async (id: string, personId?: string) => {
  const [r] = await queryRows<{ participations: number; choices: number }>(
    t.db,
    `SELECT (SELECT count(*)::int FROM ballot_participation b WHERE b.vote_id = v.id AND ($2::uuid IS NULL OR b.person_id = $2)) AS participations,
            (SELECT count(*)::int FROM ballot_choice c WHERE c.vote_id = v.id) AS choices
       FROM vote v WHERE v.proposal_id = $1 AND v.purpose = 'party_review'`,
    [id, personId ?? null],
  );
  return r;
};

describe('党员大会: a member under 留党察看 has no vote', () => {
  let village: string;
  let o: Officials;
  let branch: GivenUser[];
  let sanctioned: GivenUser;
  let grantId: string;

  beforeAll(async () => {
    village = villages.inA();
    o = await officials(t, village);
    // A branch of 10 full members; they are villagers too, so each holds ballot.cast: a refusal comes from the roll.
    branch = await users(10, 'party_member', village);
    sanctioned = branch[0];
  });

  it('only a party member of the village can be put under 留党察看; the committee grants it beside 党员', async () => {
    const villager = await t.given.user('resident', village);
    const refused = await t.api.post(
      '/api/v1/grants',
      { personId: villager.personId, role: PROBATION, divisionCode: village },
      o.committee.token,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PARTY_PROBATION_WITHOUT_MEMBERSHIP');
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM role_grant WHERE person_id = $1 AND role = $2`, [
      villager.personId,
      PROBATION,
    ]);
    expect(n).toBe(0);

    const granted = ok(
      await t.api.post('/api/v1/grants', { personId: sanctioned.personId, role: PROBATION, divisionCode: village }, o.committee.token),
      201,
    );
    expect(granted).toMatchObject({ personId: sanctioned.personId, role: PROBATION, divisionCode: village });
    grantId = granted.id;
    // The member themself sees the sanction among their own grants.
    const me = ok(await t.api.get('/api/v1/me', sanctioned.token));
    expect(me.grants.map((g: { role: string; roleName: string }) => [g.role, g.roleName])).toContainEqual([PROBATION, '留党察看党员']);
  });

  it('the roll is the 9 others: 5 yes passes, 4 yes does not; the sanctioned ballot is refused and leaves no ballot', async () => {
    const five = await partyVote(o, village, '村集体果园承包');
    const four = await partyVote(o, village, '村集体林地流转');
    // The member attends: sees the 审议 and its turnout, but is not on the roll.
    expect(ok(await t.api.get(`/api/v1/proposals/${five}`, sanctioned.token)).status).toBe('party_voting');
    expect(ok(await t.api.get(`/api/v1/proposals/${five}/turnout`, sanctioned.token))).toMatchObject({ electorate: 9, mayVote: false });
    expect(ok(await t.api.get(`/api/v1/proposals/${five}/turnout`, branch[1].token))).toMatchObject({ electorate: 9, mayVote: true });

    const refused = await vote(t, five, sanctioned.token, 'yes');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PARTY_PROBATION_NO_VOTE');
    expect(refused.body.message).toContain('《中国共产党章程》第四十条');
    expect(refused.body.message).toContain('受留党察看处分期间没有表决权');
    expect(await ballotsOf(five)).toEqual({ participations: 0, choices: 0 });

    const others = branch.slice(1);
    for (const u of others.slice(0, 5)) ok(await vote(t, five, u.token, 'yes'), 201);
    for (const [i, u] of others.entries()) ok(await vote(t, four, u.token, i < 4 ? 'yes' : 'no'), 201);

    // The sanction ends while both votes are open: their rolls were frozen with it, so the member still has no vote there.
    t.clock.advance(3_600_000);
    ok(await t.api.post(`/api/v1/grants/${grantId}/revoke`, {}, o.committee.token), 204);
    const stillRefused = await vote(t, four, sanctioned.token, 'yes');
    expect(stillRefused.status).toBe(403);
    expect(stillRefused.body.code).toBe('PARTY_PROBATION_NO_VOTE');
    expect(await ballotsOf(four, sanctioned.personId)).toEqual({ participations: 0, choices: 9 });

    await closeVotes(t, new Date(t.clock.now().getTime() + 2 * DAY));
    // 5 of 9 attend (半数以上) and 5 yes is more than half of the 9 with a vote; with the sanctioned member counted it would be 5 of 10.
    expect(await results(five, o.committee.token)).toMatchObject({
      body: 'party_meeting',
      electorate: 9,
      participants: 5,
      yes: 5,
      outcome: 'passed',
    });
    // All 9 attend, 4 yes: not more than half of 9.
    expect(await results(four, o.committee.token)).toMatchObject({ electorate: 9, participants: 9, yes: 4, no: 5, outcome: 'rejected' });
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = ANY($1::uuid[]) AND e.person_id = $2`,
      [[five, four], sanctioned.personId],
    );
    expect(n).toBe(0);
  });

  it('after the sanction ends, a later 党员大会 has all 10 on its roll and takes the member’s ballot', async () => {
    const later = await partyVote(o, village, '村集体鱼塘承包');
    expect(ok(await t.api.get(`/api/v1/proposals/${later}/turnout`, sanctioned.token))).toMatchObject({ electorate: 10, mayVote: true });
    ok(await vote(t, later, sanctioned.token, 'yes'), 201);
    expect(await ballotsOf(later, sanctioned.personId)).toEqual({ participations: 1, choices: 1 });
    const [grant] = await queryRows<{ granted_at: Date; revoked_at: Date | null }>(
      t.db,
      `SELECT granted_at, revoked_at FROM role_grant WHERE id = $1`,
      [grantId],
    );
    // The grant's dates are the sanction's record.
    expect(grant.revoked_at).not.toBeNull();
    expect(grant.revoked_at!.getTime()).toBeGreaterThan(grant.granted_at.getTime());
  });

  it('the recorded 党员大会 form counts only the members with a vote: 10 of 11 while one is under 留党察看', async () => {
    const again = await t.given.user('party_member', village);
    ok(await t.api.post('/api/v1/grants', { personId: again.personId, role: PROBATION, divisionCode: village }, o.committee.token), 201);
    // 11 full members now, one of them under 留党察看: 10 with a vote.
    const id = await draftForReview(o, village, '村委会办公楼维修');
    const p = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(p.partyMeeting).toMatchObject({ members: 10, minAttendees: 5, minYes: 6 });
    const wrong = await t.api.post(
      `/api/v1/proposals/${id}/party-review`,
      { date: '2026-11-21', attendees: 11, yes: 6, no: 0 },
      o.committee.token,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('PARTY_REVIEW_COUNTS_INVALID');
    expect(wrong.body.message).toBe(
      '党员大会审议的人数有误：到会人数 11 超过本村有表决权的党员人数 10（预备党员、受留党察看处分的党员不计）',
    );
    const r = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-21', attendees: 6, yes: 6, no: 0 }, o.committee.token),
    );
    expect(r.status).toBe('pending_review');
    expect(r.history.at(-1).details).toMatchObject({ members: 10 });
  });
});

describe('留党察看 is seen only by those who may grant it', () => {
  let village: string;
  let o: Officials;
  let member: GivenUser;
  let grantId: string;

  beforeAll(async () => {
    village = villages.inA();
    o = await officials(t, village);
    member = await t.given.user('party_member', village, { extraRoles: ['resident'] });
    grantId = ok(
      await t.api.post('/api/v1/grants', { personId: member.personId, role: PROBATION, divisionCode: village }, o.committee.token),
      201,
    ).id;
  });

  it('a villager reads no one’s roles; the 村务监督委员会 reads the register without the sanction; the committee sees it', async () => {
    const villager = await t.given.user('resident', village);
    expect((await t.api.get(`/api/v1/people/${member.personId}`, villager.token)).status).toBe(403);
    expect((await t.api.get(`/api/v1/people?divisionCode=${village}&role=${PROBATION}`, villager.token)).status).toBe(403);
    expect((await t.api.get(`/api/v1/grants?personId=${member.personId}`, villager.token)).status).toBe(403);

    const supervisor = await t.given.user('supervision_committee', village);
    const seen = ok(await t.api.get(`/api/v1/people/${member.personId}`, supervisor.token));
    expect(seen.roles).toEqual(['party_member', 'resident']);
    const listed = ok(await t.api.get(`/api/v1/people?divisionCode=${village}&pageSize=100`, supervisor.token));
    expect(listed.items.find((p: { id: string }) => p.id === member.personId).roles).toEqual(['party_member', 'resident']);
    expect(listed.items.some((p: { roles: string[] }) => p.roles.includes(PROBATION))).toBe(false);
    // Asking for the role's holders does not reveal them either.
    expect(ok(await t.api.get(`/api/v1/people?divisionCode=${village}&role=${PROBATION}`, supervisor.token))).toMatchObject({
      total: 0,
      items: [],
    });

    expect(ok(await t.api.get(`/api/v1/people/${member.personId}`, o.committee.token)).roles).toEqual([
      'party_member',
      PROBATION,
      'resident',
    ]);
    const holders = ok(await t.api.get(`/api/v1/people?divisionCode=${village}&role=${PROBATION}`, o.committee.token));
    expect(holders.items.map((p: { id: string }) => p.id)).toEqual([member.personId]);
    expect(ok(await t.api.get(`/api/v1/people/${member.personId}`, o.township.token)).roles).toContain(PROBATION);
  });

  it('the audit log lists the grant to the township, not to the 村务监督委员会; the member’s own acts never name it', async () => {
    // The member acts while under the sanction: a second session, logged out (an audited act with the member's roles).
    const login = ok(await t.api.post('/api/v1/auth/login', { phone: member.phone, password: TEST_PASSWORD }));
    ok(await t.api.post('/api/v1/auth/logout', {}, login.accessToken), 204);
    const rows = await queryRows<{ actor_roles: string | null; restricted: string | null }>(
      t.db,
      `SELECT actor_roles, details->>'restricted' AS restricted FROM audit_log WHERE account_id = $1 AND action = 'auth.logout'`,
      [member.accountId],
    );
    expect(rows).toEqual([{ actor_roles: 'party_member,resident', restricted: null }]);

    const supervisor = await t.given.user('supervision_committee', village);
    const hidden = ok(await t.api.get(`/api/v1/audit?targetId=${grantId}`, supervisor.token));
    expect(hidden.total).toBe(0);
    const all = ok(await t.api.get(`/api/v1/audit?pageSize=100`, supervisor.token));
    expect(all.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(all.items)).not.toContain(PROBATION);

    const shown = ok(await t.api.get(`/api/v1/audit?targetId=${grantId}`, o.township.token));
    expect(shown.total).toBe(1);
    expect(shown.items[0]).toMatchObject({
      action: 'grant.create',
      details: { personId: member.personId, role: PROBATION, restricted: true },
    });
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log WHERE actor_roles LIKE $1`, [
      `%${PROBATION}%`,
    ]);
    expect(n).toBe(0);
  });

  it('the register form and the CSV take 留党察看 only with 党员; the import’s audit row is restricted', async () => {
    const form = await t.api.post(
      `/api/v1/villages/${village}/residents`,
      { realName: '察看甲', idNumber: makeIdNumber('1975-03-04'), extraRoles: [PROBATION] },
      o.committee.token,
    );
    expect(form.status).toBe(400);
    expect(form.body.code).toBe('PARTY_PROBATION_WITHOUT_MEMBERSHIP');

    const header = '姓名,身份证号,手机号,户号,党员,留党察看';
    const alone = makeIdNumber('1966-05-06');
    const withMembership = makeIdNumber('1967-07-08');
    const bad = await t.api.post(
      `/api/v1/villages/${village}/residents/import`,
      { csv: [header, `察看乙,${alone},,H1,,是`, `察看丙,${withMembership},,H2,是,是`].join('\n') },
      o.committee.token,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CSV_ROWS_INVALID');
    expect(bad.body.details.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [2, '留党察看', 'PARTY_PROBATION_WITHOUT_MEMBERSHIP'],
    ]);
    expect(await queryRows(t.db, `SELECT 1 FROM person WHERE real_name LIKE '察看%'`)).toEqual([]);

    ok(
      await t.api.post(
        `/api/v1/villages/${village}/residents/import`,
        { csv: [header, `察看丙,${withMembership},,H2,是,是`].join('\n') },
        o.committee.token,
      ),
    );
    const roles = await queryRows<{ role: string }>(
      t.db,
      `SELECT g.role FROM role_grant g JOIN person p ON p.id = g.person_id WHERE p.real_name = '察看丙' AND g.revoked_at IS NULL ORDER BY g.role`,
    );
    expect(roles.map((r) => r.role)).toEqual(['party_member', PROBATION, 'resident']);
    const [audit] = await queryRows<{ restricted: string | null }>(
      t.db,
      `SELECT a.details->>'restricted' AS restricted FROM audit_log a JOIN person p ON a.target_id = p.id::text
        WHERE p.real_name = '察看丙' AND a.action = 'register.person_create'`,
    );
    expect(audit).toEqual({ restricted: 'true' });
  });
});
