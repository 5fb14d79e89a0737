import { jest } from '@jest/globals';
import type { GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeVotes, createDraft, DAY, officials, ok, orgWithMembers, throughPartyReview, Villages, vote } from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

// A 村民会议 deciding a land matter is "本集体经济组织成员的村民会议" (农村土地承包法 Art. 19(3), 28 ¶2, 52;
// 土地管理法 Art. 63): its electors are the collective organization's members aged 18 or over, wherever they
// live; other matters keep the village's adult residents (docs/decisions/064-land-matters-members-electorate.md).
jest.setTimeout(120_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

interface VoteRow {
  id: string;
  outcome: string | null;
  threshold: string | null;
  electorate: number;
  participants: number | null;
  yes_count: number | null;
  rule: { quorum: string; majority: string } | null;
}
const voteOf = async (proposalId: string) =>
  (
    await queryRows<VoteRow>(
      t.db,
      `SELECT id, outcome, threshold, electorate, participants, yes_count, rule FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [proposalId],
    )
  )[0];
const electorsOf = async (proposalId: string) =>
  (
    await queryRows<{ person_id: string }>(
      t.db,
      `SELECT e.person_id FROM vote_elector e JOIN vote v ON v.id = e.vote_id WHERE v.proposal_id = $1 AND v.purpose = 'decision'`,
      [proposalId],
    )
  )
    .map((r) => r.person_id)
    .sort();
const toldOf = async (proposalId: string, kind: string) =>
  (
    await queryRows<{ person_id: string }>(t.db, `SELECT person_id FROM notification WHERE proposal_id = $1 AND kind = $2`, [
      proposalId,
      kind,
    ])
  )
    .map((r) => r.person_id)
    .sort();
const ids = (people: { personId: string }[]) => people.map((p) => p.personId).sort();

/** A 长治 calendar day `years` years and `days` days before the test clock's now. */
const birthBefore = (years: number, days: number): string => {
  const d = new Date(t.clock.now().getTime() + 8 * 3_600_000 - days * DAY);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
};

describe('a 村民会议 on a land matter: the collective organization’s adult members are its electorate', () => {
  it('seats members (also one living elsewhere), not non-member residents nor a 17-year-old member; other matters keep the residents', async () => {
    const village = villages.inA();
    const elsewhere = villages.inA();
    const o = await officials(t, village);
    // Five adult members living in the village; one adult member who has moved to another village (kept in
    // the register: membership does not end with residence); one member who is 17 (turns 18 in half a year).
    const members: GivenUser[] = [];
    for (let i = 0; i < 5; i++) members.push(await t.given.user('resident', village));
    const away = await t.given.user('resident', village);
    const minor = await t.given.user('resident', village, { birth: birthBefore(17, -180) });
    // Two adult residents of the village who are not members.
    const outsiders = [await t.given.user('resident', village), await t.given.user('resident', village)];
    await orgWithMembers(t, o, village, [...members, away, minor]);
    await t.db.query(`UPDATE role_grant SET revoked_at = now() WHERE person_id = $1 AND role = 'resident'`, [away.personId]);
    await t.db.query(`UPDATE person SET home_division_code = $2 WHERE id = $1`, [away.personId, elsewhere]);

    const exact = await createDraft(t, o, village, { category: 'land_contracting', title: '第二轮土地承包到期后再延长三十年方案' });
    const short = await createDraft(t, o, village, { category: 'construction_land', title: '原砖厂集体经营性建设用地出租方案' });
    const road = await createDraft(t, o, village, { category: 'public_welfare', title: '村西道路硬化' });
    let earliest = 0;
    for (const id of [exact, short, road]) {
      await throughPartyReview(t, o, village, id);
      const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
      earliest = Math.max(earliest, new Date(approved.earliestVotingAt).getTime());
      // The statutory notice reaches the electors of that matter: the members for a land matter, the residents otherwise.
      if (id === road) {
        expect(approved.notice.recipients).toBe(7);
        expect(approved.notice.participation).toContain('本村年满十八周岁的村民均可参加');
      } else {
        expect(approved.notice.recipients).toBe(6);
        expect(approved.notice.participation).toContain('本集体经济组织年满十八周岁的成员参加表决，不论是否在本村居住');
        expect(approved.notice.participation).toContain('不是本集体经济组织成员的村民可以列席，不参加表决');
        expect(approved.notice.participation).not.toContain('户代表');
      }
    }
    expect(await toldOf(exact, 'meeting_notice')).toEqual(ids([...members, away]));
    expect(await toldOf(short, 'meeting_notice')).toEqual(ids([...members, away]));
    expect(await toldOf(road, 'meeting_notice')).toEqual(ids([...members, ...outsiders]));
    // The rule shown on the proposal page says who votes.
    const page = ok(await t.api.get(`/api/v1/proposals/${exact}`, outsiders[0].token));
    expect(page.matterRule.text).toContain('本集体经济组织成员的村民会议三分之二以上成员同意');
    expect(page.matterRule.text).toContain('不是本集体经济组织成员的村民不参加表决');

    // An online-only meeting arranged before the vote opens is announced to the same electors.
    ok(
      await t.api.put(
        `/api/v1/proposals/${exact}/meeting`,
        {
          heldAt: new Date(earliest + DAY).toISOString(),
          place: '村委会会议室',
          chairPersonId: members[0].personId,
          tellerPersonIds: [],
          scrutineerPersonIds: [],
          onlinePart: true,
          onsitePart: false,
        },
        o.committee.token,
      ),
    );
    expect(await toldOf(exact, 'meeting_arranged')).toEqual(ids([...members, away]));

    t.clock.advance(earliest - t.clock.now().getTime() + 1000);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    for (const id of [exact, short, road]) {
      const opened = ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
      expect(opened.status).toBe('voting');
    }
    // Frozen: the land votes seat the six adult members (the one living elsewhere included); the road vote the seven adult residents.
    expect(await electorsOf(exact)).toEqual(ids([...members, away]));
    expect(await electorsOf(short)).toEqual(ids([...members, away]));
    expect(await electorsOf(road)).toEqual(ids([...members, ...outsiders]));
    expect(await voteOf(exact)).toMatchObject({ electorate: 6 });
    expect(await voteOf(road)).toMatchObject({ electorate: 7 });
    // A non-member resident and the 17-year-old member may not vote on the land plan; the member living elsewhere may.
    for (const u of [outsiders[0], minor]) {
      const refused = await vote(t, exact, u.token, 'yes');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('NOT_IN_ELECTORATE');
    }
    ok(await vote(t, exact, away.token, 'yes'), 201);
    // On the road, the non-members vote and the member who moved away does not.
    const awayOnRoad = await vote(t, road, away.token, 'yes');
    expect(awayOnRoad.status).toBe(403);
    expect(awayOnRoad.body.code).toBe('NOT_IN_ELECTORATE');
    for (const u of outsiders) ok(await vote(t, road, u.token, 'yes'), 201);
    ok(await vote(t, road, members[0].token, 'no'), 201);
    ok(await vote(t, road, members[1].token, 'yes'), 201);

    // Exactly 2/3 of the six members (4 yes: 3·4 ≥ 2·6) passes; one below (3 yes, still more than half of the attendees) does not.
    for (const [i, c] of (['yes', 'yes', 'yes', 'no'] as const).entries()) ok(await vote(t, exact, members[i].token, c), 201);
    ok(await vote(t, short, away.token, 'yes'), 201);
    for (const [i, c] of (['yes', 'yes', 'no', 'no'] as const).entries()) ok(await vote(t, short, members[i].token, c), 201);
    expect(await closeVotes(t, closesAt)).toBe(3);

    expect(await voteOf(exact)).toMatchObject({
      outcome: 'passed',
      threshold: 'two_thirds_of_all_members',
      electorate: 6,
      participants: 5,
      yes_count: 4,
    });
    expect(await voteOf(short)).toMatchObject({
      outcome: 'rejected',
      threshold: 'two_thirds_of_all_members',
      electorate: 6,
      participants: 5,
      yes_count: 3,
    });
    expect(await voteOf(road)).toMatchObject({
      outcome: 'passed',
      threshold: 'body_default',
      electorate: 7,
      participants: 4,
      yes_count: 3,
    });
    // The stored rule counts the land vote's attendance and majority among the members.
    expect((await voteOf(exact)).rule).toMatchObject({
      quorum: '本集体经济组织十八周岁以上成员过半数参加，或者其三分之二以上的户的代表参加',
      majority: expect.stringContaining('本集体经济组织成员的村民会议三分之二以上成员同意'),
    });
    expect((await voteOf(road)).rule?.quorum).toBe('本村十八周岁以上村民过半数参加，或者本村三分之二以上的户的代表参加');
    const status = async (id: string) =>
      (await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [id]))[0].status;
    expect([await status(exact), await status(short), await status(road)]).toEqual(['passed', 'rejected', 'passed']);
  });
});

describe('a 村民会议 on a land matter without a member register', () => {
  it('is refused LAND_ELECTORATE_EMPTY with no organization, and with one whose only member is 17; nothing is frozen', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 3; i++) await t.given.user('resident', village);
    const id = await createDraft(t, o, village, { category: 'land_adjustment', title: '五组承包地小调整' });
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    expect(approved.notice.recipients).toBe(0);
    t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY).toISOString();

    const refusedOf = async () => {
      const r = await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt }, o.committee.token);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('LAND_ELECTORATE_EMPTY');
      expect(r.body.message).toContain('本集体经济组织成员的村民会议三分之二以上成员同意');
      expect(r.body.message).toContain('《中华人民共和国农村土地承包法》第二十八条第二款');
      expect(r.body.message).toContain('请先登记集体经济组织成员名册');
      return r;
    };
    await refusedOf();
    const minor = await t.given.user('resident', village, { birth: birthBefore(17, 0) });
    await orgWithMembers(t, o, village, [minor]);
    await refusedOf();
    expect(await queryRows(t.db, `SELECT id FROM vote WHERE proposal_id = $1`, [id])).toEqual([]);
    expect((await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [id]))[0].status).toBe('deliberation');
  });
});

describe('the on-site part of a 村民会议 on a land matter', () => {
  it('lists the members on the sign-in sheet and signs in no one else', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const members = [await t.given.user('resident', village), await t.given.user('resident', village)];
    const outsider = await t.given.user('resident', village);
    const tellers = [await t.given.person(village), await t.given.person(village)];
    const scrutineer = await t.given.person(village);
    await orgWithMembers(t, o, village, members);
    const id = await createDraft(t, o, village, { category: 'land_outsider_contracting', title: '村南荒地发包给外村种植大户' });
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    const earliest = new Date(approved.earliestVotingAt).getTime();
    ok(
      await t.api.put(
        `/api/v1/proposals/${id}/meeting`,
        {
          heldAt: new Date(earliest + DAY).toISOString(),
          place: '村委会大院',
          chairPersonId: members[0].personId,
          tellerPersonIds: tellers.map((p) => p.personId),
          scrutineerPersonIds: [scrutineer.personId],
          onlinePart: true,
          onsitePart: true,
        },
        o.committee.token,
      ),
    );
    t.clock.advance(earliest - t.clock.now().getTime() + 1000);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));

    const sheet = ok(await t.api.get(`/api/v1/proposals/${id}/meeting/sign-in-sheet`, o.committee.token));
    expect(sheet.electorate).toBe(2);
    expect(sheet.rows.map((r: { personId: string }) => r.personId).sort()).toEqual(ids(members));
    const refused = await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: outsider.personId }, o.committee.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_IN_ELECTORATE');
    ok(await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: members[1].personId }, o.committee.token), 201);
  });
});
