import { jest } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { closeVotes, createDraft, officials, ok, throughPartyReview, Villages, vote } from './deliberation-support.js';
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

describe('scope', () => {
  it('a township official of another township can neither see nor act on the proposal (404)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const resident = await t.given.user('resident', village);
    const otherVillage = villages.inB();
    const foreign = await t.given.user('township_staff', otherVillage.slice(0, 9), { home: otherVillage });
    const foreignCommittee = await t.given.user('village_committee', otherVillage);
    const id = await createDraft(t, o, village);
    await throughPartyReview(t, o, village, id);

    for (const path of [
      `/api/v1/proposals/${id}`,
      `/api/v1/proposals/${id}/comments`,
      `/api/v1/proposals/${id}/turnout`,
      `/api/v1/proposals/${id}/results`,
    ]) {
      const r = await t.api.get(path, foreign.token);
      expect(r.status).toBe(404);
    }
    const approve = await t.api.post(`/api/v1/proposals/${id}/approve`, {}, foreign.token);
    expect(approve.status).toBe(404);
    expect(approve.body.code).toBe('PROPOSAL_NOT_FOUND');
    expect((await t.api.post(`/api/v1/proposals/${id}/return`, { reason: '越权' }, foreign.token)).status).toBe(404);
    expect((await t.api.post(`/api/v1/proposals/${id}/withdraw`, { reason: '越权' }, foreignCommittee.token)).status).toBe(404);
    const list = ok(await t.api.get('/api/v1/proposals?awaitingMyReview=true', foreign.token));
    expect(list.items.map((p: any) => p.id)).not.toContain(id);
    const all = ok(await t.api.get(`/api/v1/proposals?divisionCode=${village}`, foreign.token));
    expect(all.total).toBe(0);
    // The proposal is unchanged.
    expect(ok(await t.api.get(`/api/v1/proposals/${id}`, o.township.token)).status).toBe('pending_review');

    // After it passes and is announced, the notice stays invisible to the other township too.
    ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));
    const { closesAt } = await toVotingFromDeliberation(id, o);
    ok(await vote(t, id, resident.token, 'yes'), 201);
    await closeVotes(t, closesAt);
    const notice = ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    expect((await t.api.get(`/api/v1/notices/${notice.id}`, foreign.token)).status).toBe(404);
    expect((await t.api.get(`/api/v1/notices/${notice.id}/print`, foreign.token)).status).toBe(404);
    expect(ok(await t.api.get('/api/v1/notices', foreign.token)).items.map((n: any) => n.id)).not.toContain(notice.id);
    expect((await t.api.get(`/api/v1/notices/${notice.id}/print`, o.township.token)).status).toBe(200);
  });

  it('residents see a proposal only once approved; roles without the permission are refused by the guard', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const resident = await t.given.user('resident', village);
    const id = await createDraft(t, o, village);
    expect((await t.api.get(`/api/v1/proposals/${id}`, resident.token)).status).toBe(404);
    expect(ok(await t.api.get('/api/v1/proposals', resident.token)).items.map((p: any) => p.id)).not.toContain(id);
    const approve = await t.api.post(`/api/v1/proposals/${id}/approve`, {}, resident.token);
    expect(approve.status).toBe(403);
    expect(approve.body.code).toBe('PERMISSION_DENIED');
    const mine = await t.api.post(
      `/api/v1/proposals`,
      { villageCode: villages.inA(), title: 'x', body: 'y', category: 'other', decidingBody: 'villagers_meeting', ballotType: 'open' },
      o.committee.token,
    );
    expect(mine.status).toBe(404);
  });
});

async function toVotingFromDeliberation(id: string, o: { committee: { token: string } }) {
  t.clock.advance(10 * 86_400_000 + 1000);
  const closesAt = new Date(t.clock.now().getTime() + 2 * 86_400_000);
  ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
  return { closesAt };
}

describe('lists and search', () => {
  it('a one- or two-character search can use the character/pair index; its grams are what a substring search needs', async () => {
    const [g] = await queryRows<{ grams: string[] }>(t.db, `SELECT text_short_grams('Ab 果园果园') AS grams`);
    expect([...g.grams].sort()).toEqual(['a', 'ab', 'b', '园', '园果', '果', '果园'].sort());
    const plan = await t.db.transaction(async (em) => {
      await em.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await em.query(
        `EXPLAIN SELECT id FROM proposal p WHERE text_short_grams(p.title || ' ' || p.body) @> ARRAY[lower('果园')]`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('proposal_text_grams_idx');
  });

  it('filters by division, state, category, body, date and text (Chinese substrings)', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const road = await createDraft(t, o, village, { title: '村东道路硬化工程', category: 'public_welfare' });
    const land = await createDraft(t, o, village, {
      title: '二轮土地延包方案',
      category: 'land_contracting',
      decidingBody: 'representatives_meeting',
    });
    const q = (s: string) =>
      t.api.get(`/api/v1/proposals?divisionCode=${village}&${s}`, o.committee.token).then((r) => ok(r).items.map((p: any) => p.id));
    expect(await q('q=' + encodeURIComponent('道路硬化'))).toEqual([road]);
    expect(await q('q=' + encodeURIComponent('延包'))).toEqual([land]);
    expect(await q('q=' + encodeURIComponent('集体收益'))).toEqual([land, road]);
    expect(await q('q=' + encodeURIComponent('100%'))).toEqual([]);
    // One and two characters go through the character/pair index, with the same answers as a scan would give.
    expect(await q('q=' + encodeURIComponent('道路'))).toEqual([road]);
    expect(await q('q=' + encodeURIComponent('延'))).toEqual([land]);
    expect(await q('q=' + encodeURIComponent(' 工程 '))).toEqual([land, road]); // both bodies say 工程预算
    expect(await q('q=' + encodeURIComponent('路硬'))).toEqual([road]);
    expect(await q('q=' + encodeURIComponent('东二'))).toEqual([]);
    expect(await q('q=' + encodeURIComponent('%'))).toEqual([]);
    expect(await q('category=land_contracting')).toEqual([land]);
    expect(await q('decidingBody=villagers_meeting')).toEqual([road]);
    expect(await q('status=draft')).toEqual([land, road]);
    expect(await q('status=voting')).toEqual([]);
    const future = new Date(t.clock.now().getTime() + 86_400_000 * 400).toISOString();
    expect(await q(`from=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await q(`to=${encodeURIComponent(future)}`)).toEqual([land, road]);
    const bad = await t.api.get('/api/v1/proposals?status=nonsense', o.committee.token);
    expect(bad.status).toBe(400);
    const page = ok(await t.api.get(`/api/v1/proposals?divisionCode=${village}&pageSize=1`, o.committee.token));
    expect(page).toMatchObject({ total: 2, pageSize: 1 });
    expect(page.items).toHaveLength(1);
  });
});

describe('discussion', () => {
  it('residents comment, the committee answers officially and hides with a reason, supervision objects and the township sees it', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const resident = await t.given.user('resident', village);
    const supervision = await t.given.user('supervision_committee', village);
    const id = await createDraft(t, o, village);
    await throughPartyReview(t, o, village, id);
    const tooEarly = await t.api.post(`/api/v1/proposals/${id}/comments`, { body: '草稿期间的意见' }, supervision.token);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('DISCUSSION_CLOSED');
    ok(await t.api.post(`/api/v1/proposals/${id}/approve`, {}, o.township.token));

    const question = ok(
      await t.api.post(`/api/v1/proposals/${id}/comments`, { kind: 'question', body: '预算包括排水沟吗？' }, resident.token),
      201,
    );
    const rude = ok(await t.api.post(`/api/v1/proposals/${id}/comments`, { body: '人身攻击的话' }, resident.token), 201);
    const answer = ok(
      await t.api.post(`/api/v1/proposals/${id}/comments/${question.id}/answer`, { body: '包括，两侧各 1.2 公里。' }, o.committee.token),
      201,
    );
    expect(answer).toMatchObject({ kind: 'answer', official: true, parentId: question.id });
    expect((await t.api.post(`/api/v1/proposals/${id}/comments/${question.id}/answer`, { body: 'x' }, resident.token)).status).toBe(403);
    expect((await t.api.post(`/api/v1/proposals/${id}/comments/${answer.id}/answer`, { body: 'x' }, o.committee.token)).body.code).toBe(
      'ANSWER_TARGET_INVALID',
    );
    const hide = await t.api.post(`/api/v1/proposals/${id}/comments/${rude.id}/hide`, { reason: '含人身攻击' }, o.committee.token);
    expect(hide.status).toBe(204);
    expect((await t.api.post(`/api/v1/proposals/${id}/comments/${rude.id}/hide`, { reason: '再次' }, o.committee.token)).body.code).toBe(
      'COMMENT_ALREADY_HIDDEN',
    );
    const objection = ok(await t.api.post(`/api/v1/proposals/${id}/objections`, { body: '预算未经监委会审核' }, supervision.token), 201);
    expect((await t.api.post(`/api/v1/proposals/${id}/objections`, { body: 'x' }, resident.token)).status).toBe(403);

    const asResident = ok(await t.api.get(`/api/v1/proposals/${id}/comments`, resident.token));
    expect(asResident.map((c: any) => c.kind)).toEqual(['question', 'comment', 'answer']);
    expect(asResident[1]).toMatchObject({ hidden: true, body: null, hiddenReason: '含人身攻击' });
    const asTownship = ok(await t.api.get(`/api/v1/proposals/${id}/comments`, o.township.token));
    expect(asTownship.find((c: any) => c.id === objection.id)).toMatchObject({ kind: 'objection', body: '预算未经监委会审核' });
    expect(asTownship.find((c: any) => c.id === rude.id)).toMatchObject({ hidden: true, body: '人身攻击的话' });
    const [audit] = await queryRows<{ details: any }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'proposal.comment.hide' AND target_id = $1`,
      [rude.id],
    );
    expect(audit.details.reason).toBe('含人身攻击');
  });

  it('keeps attachments as links or small files', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const id = await createDraft(t, o, village);
    const link = ok(
      await t.api.post(
        `/api/v1/proposals/${id}/attachments`,
        { name: '工程预算', url: 'https://example.org/budget.pdf' },
        o.committee.token,
      ),
      201,
    );
    const file = ok(
      await t.api.post(
        `/api/v1/proposals/${id}/attachments`,
        { name: '示意图.txt', contentBase64: Buffer.from('村东道路示意').toString('base64'), contentType: 'text/plain' },
        o.committee.token,
      ),
      201,
    );
    expect(
      (
        await t.api.post(
          `/api/v1/proposals/${id}/attachments`,
          { name: '两者', url: 'https://example.org/x', contentBase64: 'eA==', contentType: 'text/plain' },
          o.committee.token,
        )
      ).body.code,
    ).toBe('ATTACHMENT_INVALID');
    expect(ok(await t.api.get(`/api/v1/proposals/${id}/attachments/${link.id}`, o.committee.token))).toEqual({
      name: '工程预算',
      url: 'https://example.org/budget.pdf',
    });
    const got = await t.api.get(`/api/v1/proposals/${id}/attachments/${file.id}`, o.committee.token);
    expect(got.status).toBe(200);
    expect(got.body).toBe('村东道路示意');
    const detail = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(detail.attachments.map((a: any) => a.name)).toEqual(['工程预算', '示意图.txt']);
  });
});
