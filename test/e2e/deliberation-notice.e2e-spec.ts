import { jest } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  attachArt46Reports,
  createDraft,
  DAY,
  fileDraft,
  officials,
  ok,
  orgWithMembers,
  throughPartyReview,
  Villages,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';
import { spokenDateTime } from '../../libs/deliberation/src/broadcast-text.js';

jest.setTimeout(90_000);

const HOUR = 3_600_000;

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

const openVote = (id: string, token: string, closesAt: Date) =>
  t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, token);
const statusOf = async (id: string) =>
  (await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [id]))[0].status;
const noticesOf = async (proposalId: string) =>
  queryRows<{ person_id: string; body: string }>(
    t.db,
    `SELECT person_id, body FROM notification WHERE proposal_id = $1 AND kind = 'meeting_notice'`,
    [proposalId],
  );

describe('a 成员大会: the statutory notice (农村集体经济组织法 Art. 27) and the Art. 46 reports', () => {
  it('is not approved without the reports; the notice reaches every member; the vote cannot open before 10 days, and can on day 10', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await t.given.user('resident', village));
    // The 成员大会's electors are the organization's member register (decision 012).
    await orgWithMembers(t, o, village, members);
    const resident = await t.given.user('resident', village);

    // Filed without the reports (createDraft attaches them for a 成员大会, so file it by hand here).
    const filed = ok(
      await t.api.post(
        '/api/v1/proposals',
        {
          villageCode: village,
          title: '2026 年度收益分配方案',
          body: '按份额分配。',
          category: 'budget_distribution',
          decidingBody: 'members_assembly',
          ballotType: 'secret',
          deliberationDays: 3,
          meetingPlace: '村委会二楼会议室',
        },
        o.committee.token,
      ),
      201,
    );
    const id = filed.id as string;
    await throughPartyReview(t, o, village, id);
    const refused = await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ART46_REPORTS_MISSING');
    expect(refused.body.message).toContain('第四十六条');
    expect(refused.body.details.missing).toEqual(['年度工作报告', '财务会计报告', '收益分配方案']);
    expect(await statusOf(id)).toBe('pending_review');
    expect(await noticesOf(id)).toEqual([]);

    await attachArt46Reports(t, o, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    const noticeAt = new Date(approved.deliberationStartedAt).getTime();
    // 3 days of discussion were asked for; the statute's 10 days apply.
    expect(new Date(approved.earliestVotingAt).getTime() - noticeAt).toBe(10 * DAY);
    expect(approved.notice).toMatchObject({
      statutoryDays: 10,
      statutorySource: '《中华人民共和国农村集体经济组织法》第二十七条',
      recipients: 3,
      earliestVoteAt: approved.earliestVotingAt,
    });
    expect(approved.notice.place).toContain('村委会二楼会议室');
    expect(approved.notice.matters).toContain('2026 年度收益分配方案');
    expect(approved.notice.participation).toContain('书面委托');
    expect(approved.notice.reports.map((r: any) => r.kind)).toEqual(['annual_work_report', 'financial_report', 'distribution_plan']);
    // The 村广播稿: the same notice read aloud — no digits, the year and days as spoken, the matter and place twice.
    const broadcast = approved.notice.broadcast as string;
    expect(broadcast).not.toMatch(/\d/);
    expect(broadcast).toContain('成员大会通知');
    expect(broadcast).toContain('会议提前十天通知大家');
    expect(broadcast).toContain(`表决从${spokenDateTime(new Date(approved.earliestVotingAt))}以后开始`);
    expect(broadcast.match(/二〇二六年度收益分配方案/g)).toHaveLength(2 * approved.notice.matters.match(/2026 年度收益分配方案/g).length);
    expect(broadcast.match(/村委会二楼会议室/g)).toHaveLength(2);

    // Every member, and only the members, got the notice in-app.
    const told = await noticesOf(id);
    expect(told.map((n) => n.person_id).sort()).toEqual(members.map((m) => m.personId).sort());
    expect(told[0].body).toContain('提前10日通知');
    expect(ok(await t.api.get('/api/v1/notifications', members[0].token)).items.map((n: any) => n.kind)).toContain('meeting_notice');
    expect(ok(await t.api.get('/api/v1/notifications', resident.token)).items.map((n: any) => n.kind)).not.toContain('meeting_notice');

    // A member reads the reports on the notice day.
    const seen = ok(await t.api.get(`/api/v1/proposals/${id}`, members[1].token));
    const report = seen.notice.reports.find((r: any) => r.kind === 'financial_report');
    const file = await t.api.get(`/api/v1/proposals/${id}/attachments/${report.attachmentId}`, members[1].token);
    expect(file.status).toBe(200);
    expect(JSON.stringify(file.body)).toContain('2026 年度财务会计报告');

    // Day 3 (the discussion period asked for): refused, citing Art. 27.
    t.clock.advance(noticeAt + 3 * DAY + 1000 - t.clock.now().getTime());
    const day3 = await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY));
    expect(day3.status).toBe(409);
    expect(day3.body.code).toBe('NOTICE_PERIOD_NOT_OVER');
    expect(day3.body.message).toContain('《中华人民共和国农村集体经济组织法》第二十七条');
    expect(day3.body.details.earliest).toBe(approved.earliestVotingAt);

    // One minute before the 10 days have run: still refused.
    t.clock.advance(noticeAt + 10 * DAY - 60_000 - t.clock.now().getTime());
    expect((await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY))).body.code).toBe('NOTICE_PERIOD_NOT_OVER');
    expect(await statusOf(id)).toBe('deliberation');

    // Day 10: opens.
    t.clock.advance(noticeAt + 10 * DAY - t.clock.now().getTime());
    const opened = ok(await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY)));
    expect(opened.status).toBe('voting');
    const [v] = await queryRows<{ opens_at: Date; electorate: number }>(
      t.db,
      `SELECT opens_at, electorate FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [id],
    );
    expect(v.opens_at.getTime() - noticeAt).toBeGreaterThanOrEqual(10 * DAY);
    expect(v.electorate).toBe(3);
  });
});

describe('bodies without a statutory notice period, and the vote window', () => {
  it('a 村民代表会议 waits only its discussion period; a window under 24 hours is refused, exactly 24 hours is accepted', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 3; i++) await t.given.person(village, { roles: ['village_representative'] });
    // A land matter: the 村民代表会议 decides it without any authorisation (decision 011 point 4).
    const id = await createDraft(t, o, village, { decidingBody: 'representatives_meeting', category: 'land_contracting' });
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    expect(approved.notice).toMatchObject({ statutoryDays: null, statutorySource: null, recipients: 3 });
    const noticeAt = new Date(approved.deliberationStartedAt).getTime();
    expect(new Date(approved.earliestVotingAt).getTime() - noticeAt).toBe(7 * DAY);

    t.clock.advance(noticeAt + 6 * DAY - t.clock.now().getTime());
    const early = await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY));
    expect(early.body.code).toBe('DELIBERATION_PERIOD_NOT_OVER');

    t.clock.advance(noticeAt + 7 * DAY - t.clock.now().getTime());
    const short = await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 24 * HOUR - 60_000));
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('VOTE_WINDOW_TOO_SHORT');
    expect(short.body.details.minHours).toBe(24);
    const minute = await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * 60_000));
    expect(minute.body.code).toBe('VOTE_WINDOW_TOO_SHORT');
    expect(await statusOf(id)).toBe('deliberation');
    expect((await queryRows(t.db, `SELECT 1 FROM vote WHERE proposal_id = $1`, [id])).length).toBe(0);

    // The clock moves on by milliseconds between the two lines; a few seconds of margin keep it at 24 hours.
    const closesAt = new Date(t.clock.now().getTime() + 24 * HOUR + 5000);
    ok(await openVote(id, o.committee.token, closesAt));
    const [v] = await queryRows<{ opens_at: Date; closes_at: Date }>(t.db, `SELECT opens_at, closes_at FROM vote WHERE proposal_id = $1`, [
      id,
    ]);
    expect(v.closes_at.getTime() - v.opens_at.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it('the 党员 online 审议 has the same minimum window', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 3; i++) await t.given.person(village, { roles: ['party_member'] });
    const id = await createDraft(t, o, village, { ballotType: 'open' });
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议商议合并' },
        o.committee.token,
      ),
    );
    const short = await t.api.post(
      `/api/v1/proposals/${id}/party-vote`,
      { closesAt: new Date(t.clock.now().getTime() + HOUR).toISOString() },
      o.committee.token,
    );
    expect(short.body.code).toBe('VOTE_WINDOW_TOO_SHORT');
    expect(await statusOf(id)).toBe('consulted');
  });
});

describe('联名提议 that must be convened (村民委员会组织法 Art. 21, 26)', () => {
  /** Adult residents; the first `signers` sign a 1/10 request, which then reaches its threshold. */
  async function reachedResidentsRequest(village: string, title = '请求召开村民会议讨论修建文化广场') {
    const signers = [];
    for (let i = 0; i < 2; i++) signers.push(await t.given.user('resident', village));
    for (let i = 0; i < 8; i++) await t.given.person(village, { roles: ['resident'] });
    // 10 adult residents: 10 × 1 ≥ 10, the initiator's own signature reaches 1/10.
    const filed = ok(
      await t.api.post('/api/v1/joint-requests', { villageCode: village, kind: 'residents', title, body: '村民联名' }, signers[0].token),
      201,
    );
    return { filed, signers };
  }

  it('a request that reached its threshold cannot be withdrawn, nor its proposal, in draft or later', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const { filed, signers } = await reachedResidentsRequest(village);
    expect(filed).toMatchObject({
      base: 10,
      threshold: 1,
      status: 'reached',
      convenes: 'villagers_meeting',
      pendingDays: 0,
      overdue: false,
    });

    const req = await t.api.post(`/api/v1/joint-requests/${filed.id}/withdraw`, {}, signers[0].token);
    expect(req.status).toBe(409);
    expect(req.body.code).toBe('JOINT_REQUEST_MUST_BE_CONVENED');

    const inDraft = await t.api.post(`/api/v1/proposals/${filed.proposalId}/withdraw`, { reason: '村委会认为不必要' }, o.committee.token);
    expect(inDraft.status).toBe(409);
    expect(inDraft.body.code).toBe('JOINT_PROPOSAL_MUST_BE_CONVENED');
    expect(inDraft.body.message).toContain('第二十一条');
    expect(await statusOf(filed.proposalId)).toBe('draft');

    await throughPartyReview(t, o, village, filed.proposalId);
    ok(await t.api.post(`/api/v1/proposals/${filed.proposalId}/approve`, {}, o.township.token));
    const later = await t.api.post(`/api/v1/proposals/${filed.proposalId}/withdraw`, { reason: '再议' }, o.committee.token);
    expect(later.body.code).toBe('JOINT_PROPOSAL_MUST_BE_CONVENED');
    expect(await statusOf(filed.proposalId)).toBe('deliberation');
    const [r] = await queryRows<{ status: string }>(t.db, `SELECT status FROM joint_request WHERE id = $1`, [filed.id]);
    expect(r.status).toBe('reached');

    // The database refuses it too, whatever the code path.
    await expect(t.db.query(`UPDATE proposal SET status = 'withdrawn' WHERE id = $1`, [filed.proposalId])).rejects.toThrow(
      /proposal_joint_not_withdrawn/,
    );
  });

  it('a request still collecting may be withdrawn by its initiator only, and then takes no more signatures', async () => {
    const village = villages.inA();
    await officials(t, village);
    const signers = [];
    for (let i = 0; i < 3; i++) signers.push(await t.given.user('resident', village));
    for (let i = 0; i < 27; i++) await t.given.person(village, { roles: ['resident'] });
    const filed = ok(
      await t.api.post(
        '/api/v1/joint-requests',
        { villageCode: village, kind: 'residents', title: '请求讨论修路', body: '联名' },
        signers[0].token,
      ),
      201,
    );
    expect(filed).toMatchObject({ base: 30, threshold: 3, status: 'collecting', createdByMe: true });
    const byOther = await t.api.post(`/api/v1/joint-requests/${filed.id}/withdraw`, {}, signers[1].token);
    expect(byOther.status).toBe(403);
    expect(byOther.body.code).toBe('JOINT_WITHDRAW_FORBIDDEN');
    expect(ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/withdraw`, {}, signers[0].token)).status).toBe('withdrawn');
    const sign = await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, signers[1].token);
    expect(sign.body.code).toBe('JOINT_REQUEST_WITHDRAWN');
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM joint_signature WHERE request_id = $1`, [
      filed.id,
    ]);
    expect(n).toBe(1);
  });

  it('stays in the committee queue with its age; the township sees it overdue from day 30 until the meeting is convened', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const otherTownship = await t.given.user('township_staff', villages.inB().slice(0, 9));
    const { filed } = await reachedResidentsRequest(village, '请求召开村民会议讨论村道路灯');
    const reachedAt = new Date(filed.reachedAt).getTime();

    const overdueIds = async (token: string) =>
      ok(await t.api.get(`/api/v1/joint-requests/overdue?divisionCode=${village}`, token)).items.map((j: any) => j.id);

    t.clock.advance(reachedAt + 29 * DAY + HOUR - t.clock.now().getTime());
    const queue = ok(await t.api.get(`/api/v1/joint-requests?divisionCode=${village}&pending=true`, o.committee.token));
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ id: filed.id, pendingDays: 29, overdue: false, proposalStatus: 'draft' });
    expect(await overdueIds(o.township.token)).toEqual([]);

    t.clock.advance(reachedAt + 30 * DAY + HOUR - t.clock.now().getTime());
    const overdue = ok(await t.api.get(`/api/v1/joint-requests/overdue?divisionCode=${village}`, o.township.token));
    expect(overdue.items).toHaveLength(1);
    expect(overdue.items[0]).toMatchObject({ id: filed.id, pendingDays: 30, overdue: true, villageCode: village });
    // Another township does not see it; the committee has no township list.
    expect(ok(await t.api.get('/api/v1/joint-requests/overdue', otherTownship.token)).items.map((j: any) => j.id)).not.toContain(filed.id);
    expect((await t.api.get('/api/v1/joint-requests/overdue', o.committee.token)).status).toBe(403);

    // Convened: the vote opens, and it leaves both lists.
    await throughPartyReview(t, o, village, filed.proposalId);
    const approved = ok(await t.api.post(`/api/v1/proposals/${filed.proposalId}/approve`, {}, o.township.token));
    t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
    ok(await openVote(filed.proposalId, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY)));
    expect(await overdueIds(o.township.token)).toEqual([]);
    expect(ok(await t.api.get(`/api/v1/joint-requests?divisionCode=${village}&pending=true`, o.committee.token)).items).toEqual([]);
    expect(ok(await t.api.get(`/api/v1/joint-requests/${filed.id}`, o.committee.token))).toMatchObject({
      proposalStatus: 'voting',
      pendingDays: null,
      overdue: false,
    });
  });

  it('1/5 of the village representatives force a 村民代表会议 (Art. 26); villagers cannot; committee members neither sign nor count', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const reps = [];
    for (let i = 0; i < 2; i++) reps.push(await t.given.user('village_representative', village));
    for (let i = 0; i < 9; i++) await t.given.person(village, { roles: ['village_representative'] });
    const resident = await t.given.user('resident', village);

    const byVillagers = await t.api.post(
      '/api/v1/joint-requests',
      { villageCode: village, kind: 'residents', convenes: 'representatives_meeting', title: '请求召开村民代表会议', body: '联名' },
      resident.token,
    );
    expect(byVillagers.status).toBe(400);
    expect(byVillagers.body.code).toBe('JOINT_FORM_INVALID');

    // 11 representatives: 5 × 2 < 11 ≤ 5 × 3, so three signatures are needed (1/3 would need four).
    const filed = ok(
      await t.api.post(
        '/api/v1/joint-requests',
        {
          villageCode: village,
          kind: 'representatives',
          convenes: 'representatives_meeting',
          title: '请求召开村民代表会议讨论灌溉渠维修',
          body: '代表联名',
        },
        reps[0].token,
      ),
      201,
    );
    expect(filed).toMatchObject({ base: 11, threshold: 3, convenes: 'representatives_meeting', status: 'collecting' });
    const committeeSign = await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, o.committee.token);
    expect(committeeSign.status).toBe(403);
    const two = ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, reps[1].token), 201);
    expect(two).toMatchObject({ signatures: 2, status: 'collecting' });
    const third = await t.given.user('village_representative', village);
    const reached = ok(await t.api.post(`/api/v1/joint-requests/${filed.id}/signatures`, {}, third.token), 201);
    expect(reached).toMatchObject({ signatures: 3, status: 'reached' });
    const draft = ok(await t.api.get(`/api/v1/proposals/${reached.proposalId}`, o.committee.token));
    expect(draft).toMatchObject({ origin: 'joint', decidingBody: 'representatives_meeting', status: 'draft' });
    const w = await t.api.post(`/api/v1/proposals/${reached.proposalId}/withdraw`, { reason: '不召开' }, o.committee.token);
    expect(w.body.code).toBe('JOINT_PROPOSAL_MUST_BE_CONVENED');
    expect(w.body.message).toContain('第二十六条');
  });
});

describe('the 村民会议 authorisation of the 村民代表会议 (Art. 24 ¶2, Art. 25)', () => {
  it('an Art. 24 matter is refused at a 村民代表会议 without an authorisation valid on the day, and accepted with one', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    for (let i = 0; i < 3; i++) await t.given.person(village, { roles: ['village_representative'] });
    const resident = await t.given.user('resident', village);
    const asRm = { decidingBody: 'representatives_meeting' as const, category: 'public_welfare' };

    const refused = await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: '村内道路修缮',
        body: '修缮。',
        category: 'public_welfare',
        decidingBody: 'representatives_meeting',
        ballotType: 'secret',
      },
      o.committee.token,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('AUTHORISATION_REQUIRED');
    expect(refused.body.message).toContain('第二十四条第二款、第二十五条');
    expect(refused.body.message).toContain('公益事业');

    // Who may record, and what is a valid grant.
    const today = new Date(t.clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10);
    const in20days = new Date(t.clock.now().getTime() + 8 * HOUR + 20 * DAY).toISOString().slice(0, 10);
    const grant = {
      villageCode: village,
      categories: ['public_welfare', 'work_subsidy'],
      validFrom: today,
      validTo: in20days,
      charterClause: '《某村村民自治章程》第十八条：村民会议授权村民代表会议讨论决定本村公益事业兴办和误工补贴事项。',
    };
    expect((await t.api.post('/api/v1/representatives-authorisations', grant, resident.token)).status).toBe(403);
    const land = await t.api.post(
      '/api/v1/representatives-authorisations',
      { ...grant, categories: ['land_contracting'] },
      o.committee.token,
    );
    expect(land.body.code).toBe('AUTHORISATION_GRANT_INVALID');
    const both = await t.api.post(
      '/api/v1/representatives-authorisations',
      { ...grant, grantedByProposalId: '00000000-0000-4000-8000-000000000000' },
      o.committee.token,
    );
    expect(both.body.code).toBe('AUTHORISATION_GRANT_INVALID');
    const notPassed = await createDraft(t, o, village, { title: '授权村民代表会议（未表决）' });
    const { charterClause: _clause, ...byDecision } = grant;
    const wrongGrant = await t.api.post(
      '/api/v1/representatives-authorisations',
      { ...byDecision, grantedByProposalId: notPassed },
      o.township.token,
    );
    expect(wrongGrant.body.code).toBe('AUTHORISATION_GRANT_INVALID');
    expect(wrongGrant.body.message).toContain('村民会议表决通过');

    const recorded = ok(await t.api.post('/api/v1/representatives-authorisations', grant, o.committee.token), 201);
    expect(recorded).toMatchObject({
      villageCode: village,
      categories: ['public_welfare', 'work_subsidy'],
      validFrom: today,
      validTo: in20days,
      validToday: true,
      grantedByProposalId: null,
    });
    const [audit] = await queryRows<{ action: string; target_division: string }>(
      t.db,
      `SELECT action, target_division FROM audit_log WHERE target_type = 'representatives_authorisation' AND target_id = $1`,
      [recorded.id],
    );
    expect(audit).toEqual({ action: 'authorisation.record', target_division: village });
    expect(
      ok(await t.api.get(`/api/v1/representatives-authorisations?divisionCode=${village}`, resident.token)).items.map((a: any) => a.id),
    ).toEqual([recorded.id]);

    // Covered today: created, reviewed and opened.
    // fileDraft: createDraft would record an authorisation of its own.
    const id = await fileDraft(t, o, village, asRm);
    // A matter the authorisation does not cover is still refused.
    const uncovered = await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: '集体收益使用',
        body: '用于修路。',
        category: 'collective_income',
        decidingBody: 'representatives_meeting',
        ballotType: 'secret',
      },
      o.committee.token,
    );
    expect(uncovered.body.code).toBe('AUTHORISATION_REQUIRED');
    await throughPartyReview(t, o, village, id);
    const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
    ok(await openVote(id, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY)));
    expect(await statusOf(id)).toBe('voting');

    // A second proposal approved while the authorisation holds, opened after it has lapsed: refused at opening.
    const late = await fileDraft(t, o, village, { ...asRm, title: '村西公厕改造' });
    await throughPartyReview(t, o, village, late);
    const lateApproved = ok(await t.api.post(`/api/v1/proposals/${late}/approve`, {}, o.township.token));
    t.clock.advance(
      Math.max(new Date(lateApproved.earliestVotingAt).getTime(), new Date(`${in20days}T16:00:00Z`).getTime()) -
        t.clock.now().getTime() +
        1000,
    );
    const lapsed = await openVote(late, o.committee.token, new Date(t.clock.now().getTime() + 2 * DAY));
    expect(lapsed.status).toBe(409);
    expect(lapsed.body.code).toBe('AUTHORISATION_REQUIRED');
    expect(await statusOf(late)).toBe('deliberation');
  });
});
