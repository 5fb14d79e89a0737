import { jest } from '@jest/globals';
import { CATEGORIES, checkMatterBody, DECIDING_BODIES } from '#deliberation';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  closeVotes,
  createDraft,
  DAY,
  officials,
  ok,
  orgWithMembers,
  throughPartyReview,
  toVoting,
  Villages,
  vote,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

jest.setTimeout(90_000);

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
  outcome: string;
  threshold: string;
  electorate: number;
  participants: number;
  yes_count: number;
  representatives: number | null;
  representatives_yes: number | null;
  rule: { majority: string; source: string; threshold: string; matter: { category: string; text: string } | null };
}
const voteOf = async (proposalId: string) =>
  (
    await queryRows<VoteRow>(
      t.db,
      `SELECT outcome, threshold, electorate, participants, yes_count, representatives, representatives_yes, rule FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [proposalId],
    )
  )[0];
const statusOf = async (proposalId: string) =>
  (await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [proposalId]))[0].status;

describe('a land-contracting plan at a 村民会议 (农村土地承包法 Art. 19(3))', () => {
  it('a majority of attendees but fewer than 2/3 of all members is not passed; the same votes pass a public-welfare matter', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    // Six adult villagers in six households, all members of the village's collective organization (the
    // electorate of the land plan's 村民会议, decision 064; the public-welfare vote's is the residents).
    const voters = [];
    for (let i = 0; i < 6; i++) {
      const u = await t.given.user('resident', village);
      await t.db.query(`UPDATE person SET household_no = $2 WHERE id = $1`, [u.personId, `L${i}`]);
      voters.push(u);
    }
    await orgWithMembers(t, o, village, voters);
    const land = await createDraft(t, o, village, { category: 'land_contracting', title: '第二轮土地承包到期后再延长三十年方案' });
    const road = await createDraft(t, o, village, { category: 'public_welfare', title: '村西道路硬化' });
    // Both through review, then both votes open at once, for the same electorate.
    let earliest = 0;
    for (const id of [land, road]) {
      await throughPartyReview(t, o, village, id);
      earliest = Math.max(
        earliest,
        new Date(ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token)).earliestVotingAt).getTime(),
      );
    }
    t.clock.advance(earliest - t.clock.now().getTime() + 1000);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    for (const id of [land, road])
      ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
    // Four of six take part (a quorum), three yes: more than half of the attendees, 3 < 2/3 × 6 members.
    for (const id of [land, road]) {
      for (const [i, c] of (['yes', 'yes', 'yes', 'no'] as const).entries()) ok(await vote(t, id, voters[i].token, c), 201);
    }
    expect(await closeVotes(t, closesAt)).toBe(2);

    const l = await voteOf(land);
    expect(l).toMatchObject({
      outcome: 'rejected',
      threshold: 'two_thirds_of_all_members',
      electorate: 6,
      participants: 4,
      yes_count: 3,
      representatives: null,
      representatives_yes: null,
    });
    expect(l.rule.majority).toContain('以村民会议全体成员计');
    expect(l.rule.source).toContain('农村土地承包法》第十九条第（三）项');
    expect(l.rule.matter?.category).toBe('land_contracting');
    expect(await statusOf(land)).toBe('rejected');

    const r = await voteOf(road);
    expect(r).toMatchObject({ outcome: 'passed', threshold: 'body_default', electorate: 6, participants: 4, yes_count: 3 });
    expect(await statusOf(road)).toBe('passed');
  });
});

describe('a land matter at a 村民代表会议: 2/3 of all village representatives', () => {
  it('stores the representatives and their yes votes; 2 yes of 3 attending is not 2/3 of 4 representatives', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const reps = [];
    for (let i = 0; i < 4; i++) reps.push(await t.given.user('village_representative', village));
    const id = await createDraft(t, o, village, {
      category: 'land_outsider_contracting',
      decidingBody: 'representatives_meeting',
      ballotType: 'open',
      title: '村南荒地发包给外村种植大户',
    });
    const detail = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(detail.matterRule).toMatchObject({
      allowed: true,
      threshold: 'two_thirds_of_all_representatives',
      approvals: ['乡（镇）人民政府批准'],
    });
    expect(detail.matterRule.text).toContain('农村土地承包法》第五十二条第一款');
    const { closesAt } = await toVoting(t, o, village, id);
    ok(await vote(t, id, reps[0].token, 'yes'), 201);
    ok(await vote(t, id, reps[1].token, 'yes'), 201);
    ok(await vote(t, id, reps[2].token, 'no'), 201);
    await closeVotes(t, closesAt);
    // 3 of 4 attend (a quorum), 2 of 3 attendees agree (a majority of them), but 3 × 2 < 2 × 4.
    expect(await voteOf(id)).toMatchObject({
      outcome: 'rejected',
      threshold: 'two_thirds_of_all_representatives',
      electorate: 4,
      participants: 3,
      yes_count: 2,
      representatives: 4,
      representatives_yes: 2,
    });
    expect(await statusOf(id)).toBe('rejected');
  });
});

describe('a body that may not decide the matter is refused, citing the article', () => {
  it('creation: a charter at a 村民会议; no proposal is written', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const res = await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: '制定集体经济组织章程',
        body: '章程草案见附件。',
        category: 'charter',
        decidingBody: 'villagers_meeting',
        ballotType: 'secret',
      },
      o.committee.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MATTER_BODY_NOT_ALLOWED');
    expect(res.body.message).toContain('农村集体经济组织法》第二十六条第一款第（一）项');
    expect(res.body.message).toContain('村民会议不得决定');
    const rows = await queryRows(t.db, `SELECT 1 FROM proposal WHERE village_code = $1 AND title = '制定集体经济组织章程'`, [village]);
    expect(rows).toHaveLength(0);
  });

  it('creation: a land compensation plan at the 成员代表大会 (Art. 28)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const res = await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: '征地补偿费分配',
        body: '按人口分配。',
        category: 'land_compensation',
        decidingBody: 'members_representatives_assembly',
        ballotType: 'secret',
      },
      o.committee.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MATTER_BODY_NOT_ALLOWED');
    expect(res.body.message).toContain('第二十八条');
  });

  it('editing a draft into a matter its body may not decide is refused and changes nothing', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village, { category: 'public_welfare' });
    const res = await t.api.patch(`/api/v1/proposals/${id}`, { category: 'homestead' }, o.committee.token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MATTER_BODY_NOT_ALLOWED');
    expect(res.body.message).toContain('第二十六条第一款第（八）项');
    const [row] = await queryRows<{ category: string; deciding_body: string }>(
      t.db,
      `SELECT category, deciding_body FROM proposal WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ category: 'public_welfare', deciding_body: 'villagers_meeting' });
    // Moving it to the 成员大会 together is allowed.
    ok(await t.api.patch(`/api/v1/proposals/${id}`, { category: 'homestead', decidingBody: 'members_assembly' }, o.committee.token));
  });

  it('township review refuses a proposal filed before the rules whose body may not decide it; its page says why', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village, { category: 'public_welfare' });
    // As migration 1764381000000 leaves an older proposal that does not fit.
    await t.db.query(`UPDATE proposal SET category = 'charter', predates_matter_rules = true WHERE id = $1`, [id]);
    await throughPartyReview(t, o, village, id);
    const res = await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MATTER_BODY_NOT_ALLOWED');
    expect(res.body.message).toContain('第二十六条第一款第（一）项');
    expect(await statusOf(id)).toBe('pending_review');
    const detail = ok(await t.api.get(`/api/v1/proposals/${id}`, o.township.token));
    expect(detail.matterRule).toMatchObject({ allowed: false, threshold: null });
    expect(detail.matterRule.text).toContain('村民会议不得决定');
  });
});

describe('the database holds the same table', () => {
  it('proposal_matter_body accepts exactly the pairs checkMatterBody allows', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village, { category: 'other' });
    const qr = t.db.createQueryRunner();
    await qr.connect();
    const disagreements: string[] = [];
    try {
      await qr.startTransaction();
      for (const category of CATEGORIES) {
        for (const body of DECIDING_BODIES) {
          await qr.query('SAVEPOINT pair');
          let accepted = true;
          try {
            await qr.query(`UPDATE proposal SET category = $2, deciding_body = $3 WHERE id = $1`, [id, category, body]);
          } catch (err) {
            expect(String((err as { constraint?: string }).constraint)).toBe('proposal_matter_body');
            accepted = false;
          }
          await qr.query('ROLLBACK TO SAVEPOINT pair');
          if (accepted !== checkMatterBody(category, body).ok) disagreements.push(`${category} × ${body}`);
        }
      }
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    expect(disagreements).toEqual([]);
  });

  it('refuses to record a pass that misses the matter’s figure', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 3; i++) voters.push(await t.given.user('resident', village));
    await orgWithMembers(t, o, village, voters);
    const id = await createDraft(t, o, village, { category: 'construction_land' });
    const { closesAt } = await toVoting(t, o, village, id);
    ok(await vote(t, id, voters[0].token, 'yes'), 201);
    ok(await vote(t, id, voters[1].token, 'yes'), 201);
    await closeVotes(t, closesAt);
    // 2 of 3 is exactly 2/3 of all: passed.
    expect(await voteOf(id)).toMatchObject({ outcome: 'passed', threshold: 'two_thirds_of_all_members', yes_count: 2, electorate: 3 });
    const forged = t.db.query(`UPDATE vote SET yes_count = 1, no_count = no_count + 1 WHERE proposal_id = $1 AND purpose = 'decision'`, [
      id,
    ]);
    await expect(forged).rejects.toMatchObject({ constraint: 'vote_passed_meets_threshold' });
  });
});
