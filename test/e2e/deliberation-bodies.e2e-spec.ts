import { jest } from '@jest/globals';
import type { GivenPerson, GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  closeVotes,
  createDraft,
  DAY,
  type Officials,
  officials,
  ok,
  orgWithMembers,
  toVoting,
  Villages,
  vote,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

// Bodies with the right seats (issue 11 stage 2, docs/decisions/012-bodies-and-seats.md), through HTTP on PostgreSQL.
jest.setTimeout(180_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

const E = '/api/v1/economy';

async function users(
  n: number,
  role: Parameters<TestApp['given']['user']>[0],
  village: string,
  extraRoles: Parameters<TestApp['given']['user']>[2] = {},
): Promise<GivenUser[]> {
  const out: GivenUser[] = [];
  for (let i = 0; i < n; i++) out.push(await t.given.user(role, village, extraRoles));
  return out;
}

async function people(n: number, village: string, opts: Parameters<TestApp['given']['person']>[1] = {}): Promise<GivenPerson[]> {
  const out: GivenPerson[] = [];
  for (let i = 0; i < n; i++) out.push(await t.given.person(village, opts));
  return out;
}

async function results(id: string, token: string, purpose?: string) {
  return ok(await t.api.get(`/api/v1/proposals/${id}/results${purpose ? `?purpose=${purpose}` : ''}`, token));
}

describe('村民代表会议 = 村民委员会成员 + 村民代表 (村民委员会组织法 Art. 25–26)', () => {
  // 25 representatives and 5 committee members: 30 组成人员; 20 present is a quorum, 19 is not.
  let village: string;
  let o: Officials;
  let reps: GivenUser[];
  let committee: GivenUser[];
  async function runVote(id: string, voters: GivenUser[], choice: 'yes' | 'no', more: GivenUser[] = [], moreChoice: 'yes' | 'no' = 'no') {
    const { closesAt } = await toVoting(t, o, village, id);
    for (const u of voters) ok(await vote(t, id, u.token, choice), 201);
    for (const u of more) ok(await vote(t, id, u.token, moreChoice), 201);
    await closeVotes(t, closesAt);
  }
  beforeAll(async () => {
    village = villages.inA();
    o = await officials(t, village);
    reps = await users(17, 'village_representative', village);
    await people(8, village, { roles: ['village_representative'] });
    committee = await users(5, 'committee_member', village);
  });

  it('the register shows the 组成人员 and warns (not refuses) when representatives fall under 4/5', async () => {
    const c = ok(await t.api.get(`/api/v1/villages/${village}/representatives-meeting`, o.committee.token));
    expect(c).toMatchObject({ villageCode: village, committeeMembers: 5, representatives: 25, members: 30 });
    expect(c.warnings.some((w: string) => w.includes('五分之四'))).toBe(false);
    // A smaller village: 4 representatives and 1 committee member is exactly 4/5; a second committee member tips it under.
    const small = villages.inA();
    const so = await officials(t, small);
    await people(4, small, { roles: ['village_representative'] });
    await people(1, small, { roles: ['committee_member'] });
    expect(
      ok(await t.api.get(`/api/v1/villages/${small}/representatives-meeting`, so.committee.token)).warnings.filter((w: string) =>
        w.includes('五分之四'),
      ),
    ).toEqual([]);
    const sixth = await t.given.person(small);
    const granted = ok(
      await t.api.post('/api/v1/grants', { personId: sixth.personId, role: 'committee_member', divisionCode: small }, so.committee.token),
      201,
    );
    expect(granted.role).toBe('committee_member');
    expect(granted.warnings).toEqual(expect.arrayContaining([expect.stringContaining('村民代表应当占村民代表会议组成人员的五分之四以上')]));
    expect(granted.warnings.join()).toContain('现有村民代表 4 人，组成人员 6 人');
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM role_grant WHERE person_id = $1 AND role = 'committee_member' AND revoked_at IS NULL`,
      [sixth.personId],
    );
    expect(n).toBe(1);
  });

  it('committee members vote; their attendance makes the quorum: 20 of 30 present passes, 19 is no quorum', async () => {
    const quorate = await createDraft(t, o, village, {
      decidingBody: 'representatives_meeting',
      ballotType: 'open',
      title: '村委会办公楼维修',
    });
    const short = await createDraft(t, o, village, { decidingBody: 'representatives_meeting', ballotType: 'open', title: '村内路灯更换' });
    // 15 representatives alone would be 15 of 30: the 5 committee members carry it to 20.
    await runVote(quorate, [...reps.slice(0, 15), ...committee], 'yes');
    await runVote(short, [...reps.slice(0, 14), ...committee], 'yes');
    expect(await results(quorate, o.committee.token)).toMatchObject({
      body: 'representatives_meeting',
      electorate: 30,
      participants: 20,
      yes: 20,
      outcome: 'passed',
      threshold: 'body_default',
      representatives: 25,
      representativesYes: 15,
    });
    expect(await results(short, o.committee.token)).toMatchObject({ electorate: 30, participants: 19, outcome: 'no_quorum' });
    const [seats] = await queryRows<{ reps: number; committee: number }>(
      t.db,
      `SELECT count(*) FILTER (WHERE e.seat = 'representative')::int AS reps, count(*) FILTER (WHERE e.seat = 'committee')::int AS committee
         FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = $1`,
      [quorate],
    );
    expect(seats).toEqual({ reps: 25, committee: 5 });
  });

  it('a land matter counts only the representatives’ yes votes toward 2/3 of ALL representatives; the secret ballot carries the seat, not the voter', async () => {
    const sixteen = await createDraft(t, o, village, {
      decidingBody: 'representatives_meeting',
      category: 'land_contracting',
      title: '二轮延包土地承包方案',
    });
    const seventeen = await createDraft(t, o, village, {
      decidingBody: 'representatives_meeting',
      category: 'land_contracting',
      title: '机动地承包方案',
    });
    // 16 representatives + 5 committee members yes: 21 of 21 attendees, but 16 < 2/3 × 25.
    const { closesAt } = await toVoting(t, o, village, sixteen);
    for (const u of [...reps.slice(0, 16), ...committee]) ok(await vote(t, sixteen, u.token, 'yes'), 201);
    const [secret] = await queryRows<{ named: number; committee: number; reps: number }>(
      t.db,
      `SELECT count(c.voter_person_id)::int AS named, count(*) FILTER (WHERE c.seat = 'committee')::int AS committee, count(*) FILTER (WHERE c.seat = 'representative')::int AS reps
         FROM ballot_choice c JOIN vote v ON v.id = c.vote_id WHERE v.proposal_id = $1`,
      [sixteen],
    );
    expect(secret).toEqual({ named: 0, committee: 5, reps: 16 });
    await closeVotes(t, closesAt);
    // 17 representatives yes, the 5 committee members no: 17 ≥ 2/3 × 25 (3·17 = 51 ≥ 50).
    await runVote(seventeen, reps.slice(0, 17), 'yes', committee, 'no');
    expect(await results(sixteen, o.committee.token)).toMatchObject({
      electorate: 30,
      participants: 21,
      yes: 21,
      outcome: 'rejected',
      threshold: 'two_thirds_of_all_representatives',
      representatives: 25,
      representativesYes: 16,
    });
    expect(await results(seventeen, o.committee.token)).toMatchObject({
      electorate: 30,
      participants: 22,
      yes: 17,
      no: 5,
      outcome: 'passed',
      threshold: 'two_thirds_of_all_representatives',
      representatives: 25,
      representativesYes: 17,
    });
  });
});

describe('党员大会: 预备党员 have no vote (支部工作条例 Art. 11)', () => {
  it('30 voting members with probationary members present: 16 yes passes, 15 does not; probationary ballots are refused', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const full = await users(20, 'party_member', village);
    await people(10, village, { roles: ['party_member'] });
    // Villagers as well, so they hold ballot.cast: the refusal must come from the electorate, not the permission.
    const probationary = await users(3, 'resident', village, { extraRoles: ['probationary_party_member'] });
    const open = async (title: string) => {
      const id = await createDraft(t, o, village, { ballotType: 'open', title });
      ok(
        await t.api.post(
          `/api/v1/proposals/${id}/merged-meeting`,
          { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
          o.committee.token,
        ),
      );
      ok(
        await t.api.post(
          `/api/v1/proposals/${id}/party-vote`,
          { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
          o.committee.token,
        ),
      );
      return id;
    };
    const sixteen = await open('村集体果园承包');
    const fifteen = await open('村集体林地流转');
    // Probationary members attend: they see the 审议 (as full members do), but cast no counted vote.
    expect(ok(await t.api.get(`/api/v1/proposals/${sixteen}`, probationary[0].token)).status).toBe('party_voting');
    for (const p of probationary) {
      const refused = await vote(t, sixteen, p.token, 'yes');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('NOT_IN_ELECTORATE');
    }
    expect(ok(await t.api.get(`/api/v1/proposals/${sixteen}/turnout`, probationary[0].token))).toMatchObject({
      electorate: 30,
      mayVote: false,
    });
    for (const u of full.slice(0, 16)) ok(await vote(t, sixteen, u.token, 'yes'), 201);
    // 20 of 30 attend (a quorum), 15 yes: not more than half of ALL 30, however many attended.
    for (const [i, u] of full.slice(0, 20).entries()) ok(await vote(t, fifteen, u.token, i < 15 ? 'yes' : 'no'), 201);
    await closeVotes(t, new Date(t.clock.now().getTime() + 2 * DAY));
    expect(await results(sixteen, o.committee.token, 'party_review')).toMatchObject({
      body: 'party_meeting',
      electorate: 30,
      participants: 16,
      yes: 16,
      outcome: 'passed',
    });
    expect(await results(fifteen, o.committee.token, 'party_review')).toMatchObject({
      electorate: 30,
      participants: 20,
      yes: 15,
      no: 5,
      outcome: 'rejected',
    });
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = $1 AND e.person_id = ANY($2::uuid[])`,
      [sixteen, probationary.map((p) => p.personId)],
    );
    expect(n).toBe(0);
  });

  it('a recorded party meeting counts full members only', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    await people(4, village, { roles: ['party_member'] });
    await people(3, village, { roles: ['probationary_party_member'] });
    const id = await createDraft(t, o, village);
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
        o.committee.token,
      ),
    );
    // 3 yes of 4 voting members passes; with the 3 probationary counted it would be 3 of 7.
    const r = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-21', attendees: 3, yes: 3, no: 0 }, o.committee.token),
    );
    expect(r.status).toBe('pending_review');
    expect(r.history.at(-1).details).toMatchObject({ members: 4 });
  });
});

describe('成员大会: the electorate is the organization’s member register (农村集体经济组织法 Art. 26–27)', () => {
  it('a register member added gets a vote; a member without an account still counts; a role without a register row does not', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const online = await users(4, 'resident', village);
    const offline = await people(2, village);
    // Holds the old identity role but is not in the register: no vote.
    const roleOnly = await t.given.user('collective_member', village);
    const { orgId } = await orgWithMembers(t, o, village, [...online.slice(0, 3), ...offline]);
    // Added to the register before the vote opens: a vote, and the access role follows the register.
    ok(
      await t.api.post(
        `${E}/orgs/${orgId}/members`,
        { personId: online[3].personId, shares: '1', joinedOn: '2026-01-01' },
        o.committee.token,
      ),
      201,
    );
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM role_grant WHERE person_id = $1 AND role = 'collective_member' AND division_code = $2 AND revoked_at IS NULL`,
      [online[3].personId, village],
    );
    expect(n).toBe(1);
    const id = await createDraft(t, o, village, { decidingBody: 'members_assembly', category: 'collective_income', ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, id);
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/turnout`, online[3].token))).toMatchObject({ electorate: 6, mayVote: true });
    const refused = await vote(t, id, roleOnly.token, 'yes');
    expect(refused.body.code).toBe('NOT_IN_ELECTORATE');
    // Added after the vote opened: the frozen electorate does not move.
    const late = await t.given.user('resident', village);
    ok(
      await t.api.post(`${E}/orgs/${orgId}/members`, { personId: late.personId, shares: '1', joinedOn: '2026-01-01' }, o.committee.token),
      201,
    );
    expect((await vote(t, id, late.token, 'yes')).body.code).toBe('NOT_IN_ELECTORATE');
    for (const u of online) ok(await vote(t, id, u.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    // 4 yes of 6 members (the 2 offline members counted): exactly 2/3 of all, passes.
    expect(await results(id, o.committee.token)).toMatchObject({
      body: 'members_assembly',
      electorate: 6,
      participants: 4,
      yes: 4,
      outcome: 'passed',
      threshold: 'two_thirds_of_all_members',
    });
  });

  it('a member who left, or a minor, is not an elector', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const adults = await users(3, 'resident', village);
    const minor = await t.given.person(village, { birth: new Date(t.clock.now().getTime() - 10 * 365 * DAY).toISOString().slice(0, 10) });
    const { orgId, memberIds } = await orgWithMembers(t, o, village, [...adults, minor]);
    ok(
      await t.api.post(
        `${E}/orgs/${orgId}/members/${memberIds[2]}/shares`,
        { shares: '0', reason: '户口迁出', leftOn: '2026-01-02' },
        o.committee.token,
      ),
    );
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM role_grant WHERE person_id = $1 AND role = 'collective_member' AND revoked_at IS NULL`,
      [adults[2].personId],
    );
    expect(n).toBe(0);
    const id = await createDraft(t, o, village, { decidingBody: 'members_assembly', category: 'collective_income' });
    await toVoting(t, o, village, id);
    const electors = await queryRows<{ person_id: string }>(
      t.db,
      `SELECT e.person_id FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = $1`,
      [id],
    );
    expect(electors.map((e) => e.person_id).sort()).toEqual([adults[0].personId, adults[1].personId].sort());
  });

  it('a written proxy goes to an adult family member of the same household, member or not, who may hold several', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const holder = await t.given.user('resident', village);
    await t.db.query(`UPDATE person SET household_no = 'W1' WHERE id = $1`, [holder.personId]);
    const grantors = await people(2, village, { household: 'W1' });
    const child = await t.given.person(village, {
      household: 'W1',
      birth: new Date(t.clock.now().getTime() - 12 * 365 * DAY).toISOString().slice(0, 10),
    });
    const neighbour = await t.given.user('resident', village);
    await t.db.query(`UPDATE person SET household_no = 'W2' WHERE id = $1`, [neighbour.personId]);
    const member3 = await t.given.person(village, { household: 'W3' });
    // The holder is not a member of the organization.
    await orgWithMembers(t, o, village, [...grantors, neighbour, member3]);
    const id = await createDraft(t, o, village, { decidingBody: 'members_assembly', category: 'collective_income', ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, id);
    const proxy = (grantor: string, holderId: string) =>
      t.api.post(`/api/v1/proposals/${id}/proxies`, { grantorPersonId: grantor, proxyPersonId: holderId }, o.committee.token);
    expect((await proxy(grantors[0].personId, neighbour.personId)).body.code).toBe('PROXY_INVALID');
    expect((await proxy(grantors[0].personId, child.personId)).body.code).toBe('PROXY_INVALID');
    ok(await proxy(grantors[0].personId, holder.personId), 201);
    ok(await proxy(grantors[1].personId, holder.personId), 201);
    expect((await proxy(grantors[1].personId, holder.personId)).body.code).toBe('PROXY_DUPLICATE');
    for (const g of grantors)
      ok(await t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes', onBehalfOf: g.personId }, holder.token), 201);
    // Not an elector in their own right.
    expect((await vote(t, id, holder.token, 'yes')).body.code).toBe('NOT_IN_ELECTORATE');
    ok(await vote(t, id, neighbour.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    expect(await results(id, o.committee.token)).toMatchObject({ electorate: 4, participants: 3, yes: 3, outcome: 'passed' });
  });
});

describe('成员代表大会: the elected 成员代表 (农村集体经济组织法 Art. 28)', () => {
  it('is built from the roster in office, refused at 20 or fewer, and passes with 2/3 of all member representatives', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = await users(14, 'resident', village);
    const others = await people(9, village);
    const all = [...voters, ...others];
    const { orgId, memberIds } = await orgWithMembers(t, o, village, all);
    const elect = (memberId: string, electedOn: string) =>
      t.api.post(`${E}/orgs/${orgId}/member-representatives`, { memberId, electedOn }, o.committee.token);
    // 20 in office.
    for (const m of memberIds.slice(0, 20)) ok(await elect(m, '2024-03-01'), 201);
    // One whose term ran out (elected 2019: term to 2024-03-01) and one who resigned: not seated.
    const expired = ok(await elect(memberIds[20], '2019-03-01'), 201);
    expect(expired.items.find((r: any) => r.memberId === memberIds[20])).toMatchObject({ termEndsOn: '2024-03-01', inOffice: false });
    const resigned = ok(await elect(memberIds[21], '2024-03-01'), 201).items.find((r: any) => r.memberId === memberIds[21]);
    const afterEnd = ok(
      await t.api.post(`${E}/orgs/${orgId}/member-representatives/${resigned.id}/end`, { endedOn: '2025-06-30' }, o.committee.token),
    );
    expect(afterEnd.seated).toBe(20);
    expect(afterEnd.warnings.join()).toContain('成员代表应当多于二十人');
    expect((await elect(memberIds[0], '2025-01-01')).body.code).toBe('MEMBER_REPRESENTATIVE_DUPLICATE');

    const id = await createDraft(t, o, village, { decidingBody: 'members_representatives_assembly', category: 'collective_project' });
    const tooFew = await toVoting(t, o, village, id).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(tooFew).toContain('MEMBER_REPRESENTATIVES_TOO_FEW');
    expect(tooFew).toContain('第二十八条');
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token)).status).toBe('deliberation');

    ok(await elect(memberIds[22], '2024-03-01'), 201);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
    const electors = await queryRows<{ person_id: string }>(
      t.db,
      `SELECT e.person_id FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = $1`,
      [id],
    );
    expect(electors.map((e) => e.person_id).sort()).toEqual([...all.slice(0, 20), all[22]].map((p) => p.personId).sort());
    for (const v of voters) ok(await vote(t, id, v.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    // 14 yes of 21 = exactly 2/3 of all member representatives.
    expect(await results(id, o.committee.token)).toMatchObject({
      body: 'members_representatives_assembly',
      electorate: 21,
      participants: 14,
      yes: 14,
      outcome: 'passed',
    });
  });
});
