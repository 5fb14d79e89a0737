import { jest } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  closeVotes,
  createDraft,
  DAY,
  electMemberRepresentatives,
  officials,
  ok,
  orgWithMembers,
  throughPartyReview,
  toVoting,
  Villages,
  vote,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

jest.setTimeout(60_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

const adultBirth = '1980-06-15';

describe('村民会议, secret ballot: the whole flow', () => {
  it('runs draft → 提议 → 商议 → 审议 → review → deliberation → vote → passed → 决议公开 → 实施结果公开 → closed', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    // Five adult residents in four households, one minor who may not vote.
    const voters = [];
    for (const h of ['H1', 'H1', 'H2', 'H3', 'H4']) {
      const u = await t.given.user('resident', village, { birth: adultBirth });
      await t.db.query(`UPDATE person SET household_no = $2 WHERE id = $1`, [u.personId, h]);
      voters.push(u);
    }
    const minor = await t.given.user('resident', village, {
      birth: new Date(t.clock.now().getTime() - 10 * 365 * DAY).toISOString().slice(0, 10),
    });
    const supervision = await t.given.user('supervision_committee', village);
    const county = await t.given.user('county_admin', village.slice(0, 6), { home: village });

    const id = await createDraft(t, o, village);
    // Residents do not see a draft.
    expect((await t.api.get(`/api/v1/proposals/${id}`, voters[0].token)).status).toBe(404);
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意进入讨论' }, o.township.token));
    expect(approved.status).toBe('deliberation');
    // Before the deliberation period is over the vote cannot open.
    const early = await t.api.post(
      `/api/v1/proposals/${id}/voting`,
      { closesAt: new Date(t.clock.now().getTime() + 3 * DAY).toISOString() },
      o.committee.token,
    );
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NOTICE_PERIOD_NOT_OVER');
    expect(early.body.message).toContain('《中华人民共和国村民委员会组织法》第二十一条');
    // A ballot before voting opens is refused.
    const tooSoon = await vote(t, id, voters[0].token, 'yes');
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.code).toBe('VOTING_NOT_OPEN');

    // A 村民会议: 7 days of discussion are not enough, the statutory 10-day notice applies.
    expect(new Date(approved.earliestVotingAt).getTime() - new Date(approved.deliberationStartedAt).getTime()).toBe(10 * DAY);
    t.clock.advance(7 * DAY + 1000);
    const stillEarly = await t.api.post(
      `/api/v1/proposals/${id}/voting`,
      { closesAt: new Date(t.clock.now().getTime() + 3 * DAY).toISOString() },
      o.committee.token,
    );
    expect(stillEarly.body.code).toBe('NOTICE_PERIOD_NOT_OVER');
    t.clock.advance(3 * DAY);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
    const [frozen] = await queryRows<{ electorate: number; households: number }>(
      t.db,
      `SELECT electorate, households FROM vote WHERE proposal_id = $1`,
      [id],
    );
    expect(frozen).toEqual({ electorate: 5, households: 4 });

    const minorVote = await vote(t, id, minor.token, 'yes');
    expect(minorVote.status).toBe(403);
    expect(minorVote.body.code).toBe('NOT_IN_ELECTORATE');

    const choices = ['yes', 'yes', 'no', 'yes'] as const;
    const receipts: Record<string, string> = {};
    for (let i = 0; i < choices.length; i++) {
      const r = ok(await vote(t, id, voters[i].token, choices[i]), 201);
      expect(r.receiptCode).toMatch(/^[0-9A-Z]{12}$/);
      receipts[r.receiptCode] = choices[i];
    }

    // No running results for anyone; turnout is allowed.
    for (const who of [o.committee, o.township, supervision, county, voters[0]]) {
      const res = await t.api.get(`/api/v1/proposals/${id}/results`, who.token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('RESULTS_NOT_YET_AVAILABLE');
      expect((await t.api.get(`/api/v1/proposals/${id}/ballots`, who.token)).status).toBe(403);
    }
    const turnout = ok(await t.api.get(`/api/v1/proposals/${id}/turnout`, voters[4].token));
    expect(turnout).toMatchObject({ electorate: 5, participants: 4, mayVote: true, hasVoted: false, status: 'open' });
    expect(JSON.stringify(turnout)).not.toMatch(/yes|"no"/);

    // Needs my vote: voter 5 yes, voter 1 no longer.
    const mine = ok(await t.api.get('/api/v1/proposals?needsMyVote=true', voters[4].token));
    expect(mine.items.map((p: any) => p.id)).toContain(id);
    expect(mine.total).toBe(1);
    // The badge's short way (rows from the read cache) answers as the list's own statements do (any other term).
    expect(ok(await t.api.get('/api/v1/proposals?needsMyVote=true&from=2000-01-01', voters[4].token))).toEqual(mine);
    const done = ok(await t.api.get('/api/v1/proposals?needsMyVote=true', voters[0].token));
    expect(done.items.map((p: any) => p.id)).not.toContain(id);
    expect(done).toMatchObject({ total: 0, items: [] });

    // Close time passes; before the scheduler has run, a ballot is already refused.
    t.clock.advance(closesAt.getTime() - t.clock.now().getTime() + 1000);
    // The vote is still 'open' in the database, but its time is over: it awaits nobody.
    expect(ok(await t.api.get('/api/v1/proposals?needsMyVote=true', voters[4].token))).toMatchObject({ total: 0, items: [] });
    const late = await vote(t, id, voters[4].token, 'yes');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('VOTING_CLOSED');

    expect(await closeVotes(t, closesAt)).toBe(1);
    const detail = ok(await t.api.get(`/api/v1/proposals/${id}`, voters[0].token));
    expect(detail.status).toBe('passed');

    const results = ok(await t.api.get(`/api/v1/proposals/${id}/results`, voters[0].token));
    const expected = { yes: choices.filter((c) => c === 'yes').length, no: choices.filter((c) => c === 'no').length, abstain: 0 };
    expect(results).toMatchObject({
      ...expected,
      participants: 4,
      electorate: 5,
      households: 4,
      householdsRepresented: 3,
      outcome: 'passed',
    });
    expect(results.rule.source).toContain('第二十二条');

    // The village sees receipt codes with choices, and each voter can check theirs.
    const ballots = ok(await t.api.get(`/api/v1/proposals/${id}/ballots`, voters[4].token));
    expect(ballots.ballotType).toBe('secret');
    expect(Object.fromEntries(ballots.items.map((b: any) => [b.receiptCode, b.choice]))).toEqual(receipts);
    expect(ballots.items.every((b: any) => b.voterName === undefined)).toBe(true);
    const [code, choice] = Object.entries(receipts)[2];
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/receipts/${code}`, voters[2].token))).toMatchObject({ counted: true, choice });

    // 决议公开 → printable notice → 实施结果公开 → closed.
    const notice = ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    expect(notice.outcome).toMatchObject({ outcome: 'passed', yes: 3, no: 1, participants: 4, electorate: 5 });
    expect(new Date(notice.publicityEndsAt).getTime() - new Date(notice.publishedAt).getTime()).toBe(7 * DAY);
    const board = ok(await t.api.get(`/api/v1/notices?divisionCode=${village}`, voters[1].token));
    expect(board.items.map((n: any) => n.id)).toContain(notice.id);
    const townshipBoard = ok(await t.api.get('/api/v1/notices', o.township.token));
    expect(townshipBoard.items.map((n: any) => n.id)).toContain(notice.id);
    const print = await t.api.get(`/api/v1/notices/${notice.id}/print`, voters[1].token);
    expect(print.status).toBe(200);
    expect(print.headers.get('content-type')).toContain('text/html');
    expect(print.body).toContain('size: A4');
    expect(print.body).toContain('村东道路硬化工程');
    expect(print.body).toContain(notice.committeeName);
    expect(print.body).toMatch(/<th>赞成<\/th><td>3<\/td>/);
    expect(print.body).toMatch(/<th>反对<\/th><td>1<\/td>/);
    expect(print.body).toContain('公示期');

    const closeEarly = await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token);
    expect(closeEarly.status).toBe(409);
    expect(closeEarly.body.code).toBe('IMPLEMENTATION_REPORT_REQUIRED');
    ok(await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: '道路已开工，完成 40%。' }, o.committee.token), 201);
    const second = ok(
      await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: '道路已竣工验收。' }, o.committee.token),
      201,
    );
    expect(second.title).toContain('第2次');
    const closed = ok(await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token));
    expect(closed.status).toBe('closed');
    expect(closed.history.map((h: any) => h.action)).toEqual([
      'create',
      'record_proposal',
      'record_consultation',
      'party_review_passed',
      'approve',
      'open_voting',
      'vote_passed',
      'publish_resolution',
      'report_implementation',
      'report_implementation',
      'close',
    ]);

    // Notifications: the electorate had the meeting's notice on approval, then heard that voting opened and the result;
    // the committee heard of the approval.
    const notes = ok(await t.api.get('/api/v1/notifications', voters[4].token));
    expect(notes.items.map((n: any) => n.kind).sort()).toEqual(['meeting_notice', 'result_published', 'voting_opened']);
    const committeeNotes = ok(await t.api.get('/api/v1/notifications', o.committee.token));
    expect(committeeNotes.items.map((n: any) => n.kind)).toContain('proposal_approved');
    const minorNotes = ok(await t.api.get('/api/v1/notifications', minor.token));
    expect(minorNotes.items).toEqual([]);
    // Mark one read.
    await t.api.post(`/api/v1/notifications/${notes.items[0].id}/read`, {}, voters[4].token);
    expect(ok(await t.api.get('/api/v1/notifications', voters[4].token)).unread).toBe(2);

    // The audit log says who voted, never how.
    const audit = await queryRows<{ details: any }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'ballot.cast' AND target_division = $1`,
      [village],
    );
    expect(audit).toHaveLength(4);
    for (const a of audit) expect(JSON.stringify(a.details)).not.toMatch(/yes|"no"|abstain|choice/);
  });
});

describe('村民代表会议, open ballot', () => {
  it('passes with 2 of 3 representatives taking part and shows names with choices after close', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const reps = [];
    for (let i = 0; i < 3; i++) reps.push(await t.given.user('village_representative', village));
    const id = await createDraft(t, o, village, { decidingBody: 'representatives_meeting', ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, id);
    ok(await vote(t, id, reps[0].token, 'yes'), 201);
    ok(await vote(t, id, reps[1].token, 'no'), 201);
    await closeVotes(t, closesAt);
    const r = ok(await t.api.get(`/api/v1/proposals/${id}/results`, reps[2].token));
    // 2 of 3 is a quorum (at least 2/3); 1 yes of 2 participants is not more than half.
    expect(r).toMatchObject({ electorate: 3, participants: 2, yes: 1, no: 1, outcome: 'rejected' });
    const ballots = ok(await t.api.get(`/api/v1/proposals/${id}/ballots`, reps[2].token));
    expect(ballots.ballotType).toBe('open');
    expect(ballots.items.map((b: any) => [b.voterName, b.choice]).sort()).toEqual(
      [
        [reps[0].realName, 'yes'],
        [reps[1].realName, 'no'],
      ].sort(),
    );
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token)).status).toBe('rejected');
    // A rejected proposal is announced and closed without implementation reports.
    ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    const impl = await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: 'x' }, o.committee.token);
    expect(impl.body.code).toBe('IMPLEMENTATION_NOT_APPLICABLE');
    expect(ok(await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token)).status).toBe('closed');
  });
});

describe('成员大会: at least 2/3 of ALL members', () => {
  it('rejects 3 yes of 4 participants when the organization has 6 members (3 < 2/3 × 6)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await t.given.user('resident', village));
    const offline = [await t.given.person(village), await t.given.person(village)];
    await orgWithMembers(t, o, village, [...members, ...offline]);
    const id = await createDraft(t, o, village, { decidingBody: 'members_assembly', category: 'collective_income' });
    const { closesAt } = await toVoting(t, o, village, id);
    for (const [i, c] of (['yes', 'yes', 'yes', 'no'] as const).entries()) ok(await vote(t, id, members[i].token, c), 201);
    await closeVotes(t, closesAt);
    const r = ok(await t.api.get(`/api/v1/proposals/${id}/results`, o.committee.token));
    expect(r).toMatchObject({ electorate: 6, participants: 4, yes: 3, no: 1, outcome: 'rejected' });
    expect(r.rule.majority).toContain('全体成员');
  });
});

describe('成员大会: written proxy to a family member of the same household', () => {
  it('the committee records the proxy; the holder casts the grantor’s ballot as well as their own', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const holder = await t.given.user('resident', village);
    const other = await t.given.user('resident', village);
    await t.db.query(`UPDATE person SET household_no = 'P1' WHERE id = $1`, [holder.personId]);
    await t.db.query(`UPDATE person SET household_no = 'P2' WHERE id = $1`, [other.personId]);
    const grantor = await t.given.person(village, { household: 'P1' });
    await orgWithMembers(t, o, village, [holder, other, grantor]);
    const id = await createDraft(t, o, village, { decidingBody: 'members_assembly', category: 'collective_income', ballotType: 'open' });
    const { closesAt } = await toVoting(t, o, village, id);
    const wrongHousehold = await t.api.post(
      `/api/v1/proposals/${id}/proxies`,
      { grantorPersonId: grantor.personId, proxyPersonId: other.personId },
      o.committee.token,
    );
    expect(wrongHousehold.body.code).toBe('PROXY_INVALID');
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/proxies`,
        { grantorPersonId: grantor.personId, proxyPersonId: holder.personId },
        o.committee.token,
      ),
      201,
    );
    const second = await t.api.post(
      `/api/v1/proposals/${id}/proxies`,
      { grantorPersonId: grantor.personId, proxyPersonId: holder.personId },
      o.committee.token,
    );
    expect(second.body.code).toBe('PROXY_DUPLICATE');
    const notHeld = await t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes', onBehalfOf: grantor.personId }, other.token);
    expect(notHeld.status).toBe(403);
    expect(notHeld.body.code).toBe('PROXY_NOT_HELD');
    ok(await t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes', onBehalfOf: grantor.personId }, holder.token), 201);
    const twice = await t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'no', onBehalfOf: grantor.personId }, holder.token);
    expect(twice.body.code).toBe('BALLOT_ALREADY_CAST');
    ok(await vote(t, id, holder.token, 'yes'), 201);
    ok(await vote(t, id, other.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    // 3 yes of 3 members: at least 2/3 of all members take part and agree.
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/results`, o.committee.token))).toMatchObject({
      electorate: 3,
      participants: 3,
      yes: 3,
      outcome: 'passed',
    });
    const ballots = ok(await t.api.get(`/api/v1/proposals/${id}/ballots`, o.committee.token));
    expect(ballots.items.map((b: any) => b.voterName).sort()).toEqual([grantor.realName, holder.realName, other.realName].sort());
    const [audit] = await queryRows<{ details: any }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'ballot.cast' AND account_id = $1 AND details ? 'byProxyFor'`,
      [holder.accountId],
    );
    expect(audit.details.byProxyFor).toBe(grantor.personId);
  });
});

describe('成员代表大会', () => {
  it('needs more than 20 member representatives, refuses reserved matters, and passes with 2/3 of all', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const reserved = await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: '修改章程',
        body: '修改集体经济组织章程',
        category: 'charter',
        decidingBody: 'members_representatives_assembly',
        ballotType: 'secret',
      },
      o.committee.token,
    );
    expect(reserved.status).toBe(400);
    expect(reserved.body.code).toBe('MATTER_BODY_NOT_ALLOWED');
    expect(reserved.body.message).toContain('农村集体经济组织法》第二十八条');

    const voters = [];
    for (let i = 0; i < 14; i++) voters.push(await t.given.user('resident', village));
    const others = [];
    for (let i = 0; i < 8; i++) others.push(await t.given.person(village));
    const { orgId, memberIds } = await orgWithMembers(t, o, village, [...voters, ...others]);
    // 20 elected 成员代表; the 21st member is a member, not a member representative; a village
    // representative who is a member is not one either.
    await electMemberRepresentatives(t, o, orgId, memberIds.slice(0, 20));
    await t.given.grant(others[7].personId, 'village_representative', village);
    const id = await createDraft(t, o, village, { decidingBody: 'members_representatives_assembly', category: 'collective_project' });
    await throughPartyReview(t, o, village, id);
    ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    t.clock.advance(7 * DAY + 1000);
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    const tooFew = await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token);
    expect(tooFew.status).toBe(409);
    expect(tooFew.body.code).toBe('MEMBER_REPRESENTATIVES_TOO_FEW');
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token)).status).toBe('deliberation');

    await electMemberRepresentatives(t, o, orgId, [memberIds[20]]);
    ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
    for (const v of voters) ok(await vote(t, id, v.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    // 14 yes of 21 = exactly 2/3 of all representatives: passes.
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/results`, o.committee.token))).toMatchObject({
      electorate: 21,
      participants: 14,
      yes: 14,
      outcome: 'passed',
    });
  });
});

describe('no quorum', () => {
  it('records no_quorum when half of the electorate and fewer than 2/3 of households take part', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const voters = [];
    for (let i = 0; i < 4; i++) {
      const u = await t.given.user('resident', village);
      await t.db.query(`UPDATE person SET household_no = $2 WHERE id = $1`, [u.personId, `N${i}`]);
      voters.push(u);
    }
    const id = await createDraft(t, o, village, { title: '<script>alert(1)</script>排水沟' });
    const { closesAt } = await toVoting(t, o, village, id);
    ok(await vote(t, id, voters[0].token, 'yes'), 201);
    ok(await vote(t, id, voters[1].token, 'yes'), 201);
    await closeVotes(t, closesAt);
    const r = ok(await t.api.get(`/api/v1/proposals/${id}/results`, o.committee.token));
    expect(r).toMatchObject({ electorate: 4, participants: 2, households: 4, householdsRepresented: 2, yes: 2, outcome: 'no_quorum' });
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token)).status).toBe('no_quorum');
    const notice = ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    expect(notice.body).toContain('未达到法定人数');
    // The printable page escapes what the committee typed.
    const print = await t.api.get(`/api/v1/notices/${notice.id}/print`, voters[0].token);
    expect(print.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;排水沟');
    expect(print.body).not.toContain('<script>');
    expect(print.body).toContain('未达到法定人数');
    expect(ok(await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token)).status).toBe('closed');
  });
});

describe('returned and resubmitted', () => {
  it('goes back to draft with the reason, keeps the history, and can pass review the second time', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village);
    await throughPartyReview(t, o, village, id);
    const noReason = await t.api.post(`/api/v1/proposals/${id}/return`, {}, o.township.token);
    expect(noReason.status).toBe(400);
    const returned = ok(await t.api.post(`/api/v1/proposals/${id}/return`, { reason: '预算依据不足，请补充工程量清单' }, o.township.token));
    expect(returned.status).toBe('draft');
    const notes = ok(await t.api.get('/api/v1/notifications', o.committee.token));
    expect(notes.items.find((n: any) => n.kind === 'proposal_returned' && n.proposalId === id)?.body).toBe(
      '预算依据不足，请补充工程量清单',
    );

    const edited = ok(
      await t.api.patch(`/api/v1/proposals/${id}`, { body: '补充了工程量清单。', amountFen: '30000000' }, o.committee.token),
    );
    expect(edited.amountFen).toBe('30000000');
    const floatMoney = await t.api.patch(`/api/v1/proposals/${id}`, { amountFen: 12.5 }, o.committee.token);
    expect(floatMoney.status).toBe(400);
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    expect(approved.status).toBe('deliberation');
    const actions = approved.history.map((h: any) => h.action);
    expect(actions).toEqual([
      'create',
      'record_proposal',
      'record_consultation',
      'party_review_passed',
      'return',
      'edit',
      'record_proposal',
      'record_consultation',
      'party_review_passed',
      'approve',
    ]);
    expect(approved.history[4].details.reason).toBe('预算依据不足，请补充工程量清单');
  });

  it('a recorded party meeting below half attendance sends the proposal back to draft', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 3; i++) await t.given.person(village, { roles: ['party_member'] });
    const id = await createDraft(t, o, village);
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
        o.committee.token,
      ),
    );
    const r = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-21', attendees: 1, yes: 1, no: 0 }, o.committee.token),
    );
    expect(r.status).toBe('draft');
    expect(r.history.at(-1)).toMatchObject({
      action: 'party_review_failed',
      details: expect.objectContaining({ members: 3, outcome: 'no_quorum' }),
    });
    const impossible = await t.api.post(
      `/api/v1/proposals/${id}/party-review`,
      { date: '2026-11-21', attendees: 1, yes: 1, no: 0 },
      o.committee.token,
    );
    expect(impossible.status).toBe(409);
    expect(impossible.body.code).toBe('PROPOSAL_TRANSITION_ILLEGAL');
  });

  it('a recorded party meeting passes only with yes votes from more than half of ALL voting members (支部工作条例 Art. 11)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 4; i++) await t.given.person(village, { roles: ['party_member'] });
    const id = await createDraft(t, o, village);
    const merged = { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' };
    ok(await t.api.post(`/api/v1/proposals/${id}/merged-meeting`, merged, o.committee.token));
    // 2 of 4 attend: half, a quorum; both vote yes, but 2 is not more than half of 4.
    const half = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-21', attendees: 2, yes: 2, no: 0 }, o.committee.token),
    );
    expect(half.status).toBe('draft');
    expect(half.history.at(-1)).toMatchObject({
      action: 'party_review_failed',
      details: expect.objectContaining({ members: 4, outcome: 'rejected' }),
    });
    ok(await t.api.post(`/api/v1/proposals/${id}/merged-meeting`, merged, o.committee.token));
    const three = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-22', attendees: 3, yes: 3, no: 0 }, o.committee.token),
    );
    expect(three.status).toBe('pending_review');
    expect(three.history.at(-1).details.rule.source).toContain('支部工作条例（试行）》第十一条');
  });

  it('the committee sees the seats and the rule before recording, and a figure out of range is named with its field', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 5; i++) await t.given.person(village, { roles: ['party_member'] });
    // A 预备党员 attends without a vote: not a seat (decision 012).
    await t.given.person(village, { roles: ['party_member', 'probationary_party_member'] });
    const id = await createDraft(t, o, village);
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token)).partyMeeting).toBeNull();
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
        o.committee.token,
      ),
    );
    const consulted = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(consulted.partyMeeting).toMatchObject({ members: 5, minAttendees: 3, minYes: 3 });
    expect(consulted.partyMeeting.source).toContain('支部工作条例（试行）》第十一条');

    // The figures of the field report: 20 attending, 18 yes, 2 no, with 5 voting members.
    const wrong = await t.api.post(
      `/api/v1/proposals/${id}/party-review`,
      { date: '2026-11-21', attendees: 20, yes: 18, no: 2 },
      o.committee.token,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('PARTY_REVIEW_COUNTS_INVALID');
    expect(wrong.body.message).toBe(
      '党员大会审议的人数有误：到会人数 20 超过本村有表决权的党员人数 5（预备党员、受留党察看处分的党员不计）',
    );
    expect(wrong.body.details).toEqual({
      members: 5,
      fields: [{ field: 'attendees', messages: ['到会人数 20 超过本村有表决权的党员人数 5（预备党员、受留党察看处分的党员不计）'] }],
    });
    const votes = await t.api.post(
      `/api/v1/proposals/${id}/party-review`,
      { date: '2026-11-21', attendees: 4, yes: 3, no: 2 },
      o.committee.token,
    );
    expect(votes.status).toBe(400);
    expect(votes.body.details.fields.map((f: any) => f.field)).toEqual(['yes', 'no']);
    expect(votes.body.details.fields[0].messages[0]).toBe('赞成 3 票与反对 2 票合计 5，超过到会人数 4');
    // Nothing was recorded; the right figures pass.
    const [{ status }] = await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [id]);
    expect(status).toBe('consulted');
    const passed = ok(
      await t.api.post(`/api/v1/proposals/${id}/party-review`, { date: '2026-11-21', attendees: 4, yes: 3, no: 1 }, o.committee.token),
    );
    expect(passed.status).toBe('pending_review');
    expect(passed.partyMeeting).toBeNull();
  });

  it('审议 as an online vote of the party members moves the proposal to township review', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const party = [];
    for (let i = 0; i < 3; i++) party.push(await t.given.user('party_member', village));
    const id = await createDraft(t, o, village, { ballotType: 'open' });
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
        o.committee.token,
      ),
    );
    const closesAt = new Date(t.clock.now().getTime() + 2 * DAY);
    ok(await t.api.post(`/api/v1/proposals/${id}/party-vote`, { closesAt: closesAt.toISOString() }, o.committee.token));
    for (const p of party.slice(0, 2)) ok(await vote(t, id, p.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    const after = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(after.status).toBe('pending_review');
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/results?purpose=party_review`, o.committee.token))).toMatchObject({
      body: 'party_meeting',
      electorate: 3,
      participants: 2,
      yes: 2,
      outcome: 'passed',
    });
    const queue = ok(await t.api.get('/api/v1/proposals?awaitingMyReview=true', o.township.token));
    expect(queue.items.map((p: any) => p.id)).toContain(id);
  });
});

describe('withdrawn', () => {
  it('the committee withdraws during deliberation; nothing moves it afterwards', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village);
    await throughPartyReview(t, o, village, id);
    ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    const w = ok(await t.api.post(`/api/v1/proposals/${id}/withdraw`, { reason: '上级政策调整' }, o.committee.token));
    expect(w.status).toBe('withdrawn');
    t.clock.advance(8 * DAY);
    const open = await t.api.post(
      `/api/v1/proposals/${id}/voting`,
      { closesAt: new Date(t.clock.now().getTime() + DAY).toISOString() },
      o.committee.token,
    );
    expect(open.status).toBe(409);
    expect(open.body.code).toBe('PROPOSAL_TRANSITION_ILLEGAL');
    expect((await t.api.post(`/api/v1/proposals/${id}/withdraw`, { reason: '再次' }, o.committee.token)).status).toBe(409);
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM vote WHERE proposal_id = $1`, [id]);
    expect(n).toBe(0);
  });

  it('cannot be withdrawn once voting has opened', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    await t.given.person(village, { roles: ['resident'] });
    const id = await createDraft(t, o, village);
    await toVoting(t, o, village, id);
    const w = await t.api.post(`/api/v1/proposals/${id}/withdraw`, { reason: '撤回' }, o.committee.token);
    expect(w.status).toBe(409);
    expect(w.body.code).toBe('PROPOSAL_TRANSITION_ILLEGAL');
  });
});

describe('联名提议 threshold', () => {
  it('1/10 of adult residents: the signature that reaches it creates one draft and tells the signers', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const signers = [];
    for (let i = 0; i < 4; i++) signers.push(await t.given.user('resident', village));
    for (let i = 0; i < 17; i++) await t.given.person(village, { roles: ['resident'] });
    const minor = await t.given.user('resident', village, {
      birth: new Date(t.clock.now().getTime() - 12 * 365 * DAY).toISOString().slice(0, 10),
    });
    // 21 adult residents → at least 3 signatures (10 × 3 ≥ 21; 10 × 2 < 21).
    const filed = ok(
      await t.api.post(
        '/api/v1/joint-requests',
        { villageCode: village, kind: 'residents', title: '请求召开村民会议讨论修建文化广场', body: '村民联名' },
        signers[0].token,
      ),
      201,
    );
    expect(filed).toMatchObject({ base: 21, threshold: 3, signatures: 1, status: 'collecting' });
    const minorSign = await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, minor.token);
    expect(minorSign.status).toBe(403);
    expect(minorSign.body.code).toBe('JOINT_SIGNER_NOT_ELIGIBLE');
    const again = await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[0].token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('JOINT_ALREADY_SIGNED');
    expect(ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[1].token), 201)).toMatchObject({
      signatures: 2,
      status: 'collecting',
      proposalId: null,
    });
    const reached = ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[2].token), 201);
    expect(reached).toMatchObject({ signatures: 3, status: 'reached' });
    const late = await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[3].token);
    expect(late.body.code).toBe('JOINT_REQUEST_CLOSED');

    const draft = ok(await t.api.get(`/api/v1/proposals/${reached.proposalId}`, o.committee.token));
    expect(draft).toMatchObject({ status: 'draft', origin: 'joint', jointRequestId: filed.id, title: '请求召开村民会议讨论修建文化广场' });
    const queue = ok(await t.api.get(`/api/v1/proposals?divisionCode=${village}&status=draft`, o.committee.token));
    expect(queue.items.map((p: any) => p.id)).toEqual([reached.proposalId]);
    for (const s of signers.slice(0, 3)) {
      const n = ok(await t.api.get('/api/v1/notifications', s.token));
      expect(n.items.map((x: any) => x.kind)).toContain('joint_threshold_reached');
    }
    expect(ok(await t.api.get('/api/v1/notifications', signers[3].token)).items).toEqual([]);
    expect(ok(await t.api.get('/api/v1/notifications', o.committee.token)).items.map((x: any) => x.kind)).toContain(
      'joint_threshold_reached',
    );
  });

  it("signers and electors of the request see the forced draft's title and state, read only; no one else does, and nothing more", async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const signers = [];
    for (let i = 0; i < 2; i++) signers.push(await t.given.user('resident', village));
    for (let i = 0; i < 8; i++) await t.given.person(village, { roles: ['resident'] });
    const elector = await t.given.user('resident', village);
    const minor = await t.given.user('resident', village, {
      birth: new Date(t.clock.now().getTime() - 12 * 365 * DAY).toISOString().slice(0, 10),
    });
    const elsewhere = await t.given.user('resident', villages.inA());
    // 11 adults → 2 signatures reach 1/10.
    const filed = ok(
      await t.api.post(
        '/api/v1/joint-requests',
        { villageCode: village, kind: 'residents', title: '请求召开村民会议讨论修缮村小学', body: '村民联名' },
        signers[0].token,
      ),
      201,
    );
    const reached = ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[1].token), 201);
    expect(reached.status).toBe('reached');
    const pid = reached.proposalId;
    // The committee works on its draft: text, amount, an attachment, the 提议 and 商议 meeting.
    ok(
      await t.api.patch(
        `/api/v1/proposals/${pid}`,
        {
          title: '修缮村小学教学楼',
          body: '内部草稿：预算待核 48 万元，拟向镇里申请补助。',
          category: 'public_welfare',
          amountFen: 48_000_000,
        },
        o.committee.token,
      ),
    );
    ok(
      await t.api.post(
        `/api/v1/proposals/${pid}/attachments`,
        { name: '预算草表', url: 'https://example.com/draft-budget.xlsx' },
        o.committee.token,
      ),
      201,
    );
    ok(
      await t.api.post(
        `/api/v1/proposals/${pid}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记', '李主任'], summary: '商议：预算偏高' },
        o.committee.token,
      ),
    );

    const glimpse = {
      access: 'joint_request',
      id: pid,
      villageCode: village,
      title: '修缮村小学教学楼',
      status: 'consulted',
      statusName: '已商议',
      origin: 'joint',
      decidingBody: 'villagers_meeting',
      decidingBodyName: '村民会议',
      jointRequestId: filed.id,
    };
    for (const who of [signers[0], signers[1], elector]) {
      const seen = ok(await t.api.get(`/api/v1/proposals/${pid}`, who.token));
      expect(seen).toMatchObject(glimpse);
      // Title and state only: no draft text, amount, category, meeting records, attachments or actions.
      expect(Object.keys(seen).sort()).toEqual([
        'access',
        'createdAt',
        'decidingBody',
        'decidingBodyName',
        'id',
        'isDemo',
        'jointRequestId',
        'origin',
        'status',
        'statusName',
        'title',
        'villageCode',
        'villageName',
      ]);
      expect(JSON.stringify(seen)).not.toMatch(/内部草稿|预算|张书记|48000000/);
      // The other routes of the draft stay closed.
      expect((await t.api.get(`/api/v1/proposals/${pid}/comments`, who.token)).status).toBe(404);
      expect(
        (await t.api.get(`/api/v1/proposals/${pid}/attachments/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, who.token)).status,
      ).toBe(404);
      expect(
        (await t.api.post(`/api/v1/proposals/${pid}/party-review`, { date: '2026-11-21', attendees: 0, yes: 0, no: 0 }, who.token)).status,
      ).toBe(403);
    }
    // Not an elector of the request (a minor), or outside the village: the draft does not exist for them.
    for (const who of [minor, elsewhere]) {
      const r = await t.api.get(`/api/v1/proposals/${pid}`, who.token);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('PROPOSAL_NOT_FOUND');
    }
    // Nor in the lists.
    expect(ok(await t.api.get(`/api/v1/proposals?divisionCode=${village}`, signers[0].token)).items).toEqual([]);
    // Once the township approves, it is public in full, to everyone in the village.
    for (let i = 0; i < 3; i++) await t.given.person(village, { roles: ['party_member'] });
    ok(await t.api.post(`/api/v1/proposals/${pid}/party-review`, { date: '2026-11-21', attendees: 3, yes: 3, no: 0 }, o.committee.token));
    ok(await t.api.post(`/api/v1/proposals/${pid}/approve`, {}, o.township.token));
    for (const who of [signers[0], minor]) {
      expect(ok(await t.api.get(`/api/v1/proposals/${pid}`, who.token))).toMatchObject({
        access: 'full',
        status: 'deliberation',
        body: '内部草稿：预算待核 48 万元，拟向镇里申请补助。',
      });
    }
    expect((await t.api.get(`/api/v1/proposals/${pid}`, elsewhere.token)).status).toBe(404);
  });

  it('1/3 of representatives; a resident who is not a representative may not sign', async () => {
    const village = villages.inA();
    await officials(t, village);
    const reps = [];
    for (let i = 0; i < 2; i++) reps.push(await t.given.user('village_representative', village));
    for (let i = 0; i < 4; i++) await t.given.person(village, { roles: ['village_representative'] });
    const resident = await t.given.user('resident', village);
    const filed = ok(
      await t.api.post(
        '/api/v1/joint-requests',
        { villageCode: village, kind: 'representatives', title: '请求召开村民会议', body: '代表联名' },
        reps[0].token,
      ),
      201,
    );
    expect(filed).toMatchObject({ base: 6, threshold: 2 });
    expect((await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, resident.token)).body.code).toBe(
      'JOINT_SIGNER_NOT_ELIGIBLE',
    );
    expect(ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, reps[1].token), 201).status).toBe('reached');
  });
});
