import { maskName } from '#platform';
import { type GivenUser, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2, VILLAGE_B } from '../support/factories.js';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Villagers' queries (质询) of published disclosures (村民委员会组织法 Art. 31–32): asked by residents who may
 * read the disclosure, answered by the committee within OPENNESS_ANSWER_DAYS, read by the supervision
 * committee and the township, overdue on the township's list, escalated by the asker, closed by the township.
 */
const DAY = 86_400_000;
const ANSWER_DAYS = 7;

let t: TestApp;
let cast: {
  vc: GivenUser; // 村委会 of village A
  sup: GivenUser; // 村务监督委员会 of village A
  ts: GivenUser; // township staff of township A
  tsB: GivenUser; // township staff of township B
  r1: GivenUser; // residents of village A
  r2: GivenUser;
  member: GivenUser; // a resident of village A who is a member of its collective economic organization
  rA2: GivenUser; // a resident of village A2 (same township)
  rB: GivenUser; // a resident of village B (another township)
};
beforeAll(async () => {
  // The openness settings are read from the environment when the module starts (this worker's own process).
  process.env.OPENNESS_ANSWER_DAYS = String(ANSWER_DAYS);
  t = await startTestApp();
  cast = {
    vc: await t.given.user('village_committee', VILLAGE_A),
    sup: await t.given.user('supervision_committee', VILLAGE_A),
    ts: await t.given.user('township_staff', TOWNSHIP_A),
    tsB: await t.given.user('township_staff', TOWNSHIP_B),
    r1: await t.given.user('resident', VILLAGE_A),
    r2: await t.given.user('resident', VILLAGE_A),
    member: await t.given.user('resident', VILLAGE_A, { extraRoles: ['collective_member'] }),
    rA2: await t.given.user('resident', VILLAGE_A2),
    rB: await t.given.user('resident', VILLAGE_B),
  };
}, 60_000);
afterAll(async () => {
  delete process.env.OPENNESS_ANSWER_DAYS;
  await t.close();
});

let shifted = 0;
afterEach(() => {
  t.clock.advance(-shifted);
  shifted = 0;
});
const advance = (ms: number) => {
  t.clock.advance(ms);
  shifted += ms;
};

let month = 0;
const ok = <T = any>(res: { status: number; body: T }, status = 200): T => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};
/**
 * A month's finance disclosure of village A (or of its collective organization) with two entries, made through
 * the disclosures API: prepared by the committee, signed off by the supervision committee, published —
 * or left a draft.
 */
async function disclosure(
  opts: { subject?: 'village' | 'collective'; state?: 'draft' | 'published' } = {},
): Promise<{ id: string; entries: string[] }> {
  const [committee, supervisor] = [cast.vc, cast.sup];
  month++;
  const start = `${2020 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
  const created = ok(
    await t.api.post(
      '/api/v1/disclosures',
      {
        villageCode: VILLAGE_A,
        subject: opts.subject ?? 'village',
        kind: 'finance',
        title: `${start.slice(0, 7)} 财务公开`,
        periodKind: 'month',
        periodStart: start,
        openingBalanceFen: '100000',
      },
      committee.token,
    ),
    201,
  );
  const id = created.id as string;
  const entries: string[] = [];
  for (const e of [
    {
      entryDate: start,
      voucherNo: '记-001',
      item: '村集体土地发包收入',
      counterpart: '张某',
      category: 'contracting_income',
      amountFen: '50000',
    },
    {
      entryDate: start.replace(/01$/, '06'),
      voucherNo: '记-002',
      item: '村道路灯维修',
      counterpart: '某电器店',
      category: 'welfare_expense',
      amountFen: '20000',
    },
  ]) {
    entries.push(ok(await t.api.post(`/api/v1/disclosures/${id}/entries`, e, committee.token), 201).id);
  }
  if ((opts.state ?? 'published') === 'draft') return { id, entries };
  ok(await t.api.patch(`/api/v1/disclosures/${id}`, { closingBalanceFen: '130000' }, committee.token));
  ok(await t.api.post(`/api/v1/disclosures/${id}/submit`, {}, committee.token), 201);
  ok(await t.api.post(`/api/v1/disclosures/${id}/sign-off`, {}, supervisor.token), 201);
  expect(ok(await t.api.post(`/api/v1/disclosures/${id}/publish`, {}, committee.token), 201).state).toBe('published');
  return { id, entries };
}

const ask = (who: GivenUser, disclosureId: string, body: Record<string, unknown>) =>
  t.api.post(`/api/v1/disclosures/${disclosureId}/queries`, body, who.token);
const step = (who: GivenUser, queryId: string, action: 'answer' | 'escalate' | 'close', body: Record<string, unknown>) =>
  t.api.post(`/api/v1/disclosure-queries/${queryId}/${action}`, body, who.token);
const ofDisclosure = async (who: GivenUser, disclosureId: string) => {
  const r = await t.api.get(`/api/v1/disclosures/${disclosureId}/queries`, who.token);
  expect(r.status).toBe(200);
  return r.body as { id: string; askerName: string; state: string; answer: string | null; actions: string[] }[];
};
const listed = async (who: GivenUser, query: string) => {
  const r = await t.api.get(`/api/v1/disclosure-queries?pageSize=100&${query}`, who.token);
  expect(r.status).toBe(200);
  return r.body as { total: number; items: { id: string; overdue: boolean; state: string; askerName: string }[] };
};
const row = async (id: string) =>
  (
    await queryRows<{
      state: string;
      answer: string | null;
      answered_by: string | null;
      escalation_reason: string | null;
      township_reply: string | null;
      closed_by: string | null;
    }>(t.db, `SELECT state, answer, answered_by, escalation_reason, township_reply, closed_by FROM disclosure_query WHERE id = $1`, [id])
  )[0];
const audits = (id: string) =>
  queryRows<{ action: string; account_id: string; target_division: string; details: Record<string, unknown> | null }>(
    t.db,
    `SELECT action, account_id, target_division, details FROM audit_log WHERE target_type = 'disclosure_query' AND target_id = $1 ORDER BY id`,
    [id],
  );

describe('villagers query a published disclosure', () => {
  it('a resident asks about an entry; the deadline is OPENNESS_ANSWER_DAYS later; stored and audited', async () => {
    const d = await disclosure();
    const before = t.clock.now().getTime();
    const r = await ask(cast.r1, d.id, { question: '路灯维修花了 200 元，请公开维修明细和发票', entryId: d.entries[1] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      disclosureId: d.id,
      disclosureTitle: expect.stringContaining('财务公开'),
      villageCode: VILLAGE_A,
      entryId: d.entries[1],
      askerName: cast.r1.realName,
      question: '路灯维修花了 200 元，请公开维修明细和发票',
      state: 'open',
      overdue: false,
      answer: null,
      actions: [],
    });
    const asked = Date.parse(r.body.askedAt);
    expect(asked).toBeGreaterThanOrEqual(before);
    expect(Date.parse(r.body.answerDueAt) - asked).toBe(ANSWER_DAYS * DAY);
    const [stored] = await queryRows<{ asker_person_id: string; village_code: string; entry_id: string }>(
      t.db,
      `SELECT asker_person_id, village_code, entry_id FROM disclosure_query WHERE id = $1`,
      [r.body.id],
    );
    expect(stored).toEqual({ asker_person_id: cast.r1.personId, village_code: VILLAGE_A, entry_id: d.entries[1] });
    expect(await audits(r.body.id)).toEqual([
      {
        action: 'disclosure.query',
        account_id: cast.r1.accountId,
        target_division: VILLAGE_A,
        details: { disclosureId: d.id, entryId: d.entries[1] },
      },
    ]);
    // The whole disclosure, without an entry, is as good a subject.
    const whole = await ask(cast.r2, d.id, { question: '本月收入为什么只有一笔？' });
    expect([whole.status, whole.body.entryId]).toEqual([201, null]);
    // The disclosure counts its open queries.
    expect(ok(await t.api.get(`/api/v1/disclosures/${d.id}`, cast.r1.token)).openQueries).toBe(2);
  });

  it('refused: a draft (404), another village (404), an entry of another disclosure (404), staff who are not residents (403), bad input (400)', async () => {
    const draft = await disclosure({ state: 'draft' });
    const d = await disclosure();
    const other = await disclosure();
    const count = async () => (await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM disclosure_query`))[0].n;
    const n = await count();

    const onDraft = await ask(cast.r1, draft.id, { question: '为什么还没公开？' });
    expect([onDraft.status, onDraft.body.code]).toEqual([404, 'DISCLOSURE_NOT_FOUND']);
    for (const outsider of [cast.rB, cast.rA2]) {
      const r = await ask(outsider, d.id, { question: '外村人能问吗？' });
      expect([r.status, r.body.code]).toEqual([404, 'DISCLOSURE_NOT_FOUND']);
      expect((await t.api.get(`/api/v1/disclosures/${d.id}/queries`, outsider.token)).status).toBe(404);
    }
    const wrongEntry = await ask(cast.r1, d.id, { question: '这笔是什么？', entryId: other.entries[0] });
    expect([wrongEntry.status, wrongEntry.body.code]).toEqual([404, 'FINANCE_ENTRY_NOT_FOUND']);
    const unknown = await ask(cast.r1, '00000000-0000-4000-8000-000000000000', { question: '？' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DISCLOSURE_NOT_FOUND']);
    // The committee reads the disclosure but does not query its own work (no 'disclosure.query').
    expect((await ask(cast.vc, d.id, { question: '自问自答' })).status).toBe(403);

    for (const body of [
      {},
      { question: '' },
      { question: 'x'.repeat(2001) },
      { question: 42 },
      { question: '问', entryId: 'abc' },
      { question: '问', state: 'closed' },
    ]) {
      const r = await ask(cast.r1, d.id, body);
      expect([r.status, r.body.code, typeof r.body.message]).toEqual([400, 'VALIDATION_FAILED', 'string']);
    }
    // A path id that is not a UUID names nothing (IdPipe).
    expect((await t.api.post(`/api/v1/disclosures/not-a-uuid/queries`, { question: '问' }, cast.r1.token)).status).toBe(404);
    expect(await count()).toBe(n);
  });

  it("the collective organization's finances are queried by its members only", async () => {
    const d = await disclosure({ subject: 'collective' });
    const notMember = await ask(cast.r1, d.id, { question: '合作社的账？' });
    expect([notMember.status, notMember.body.code]).toEqual([404, 'DISCLOSURE_NOT_FOUND']);
    expect((await t.api.get(`/api/v1/disclosures/${d.id}/queries`, cast.r1.token)).status).toBe(404);
    const member = await ask(cast.member, d.id, { question: '发包收入何时分配？', entryId: d.entries[0] });
    expect([member.status, member.body.askerName]).toEqual([201, cast.member.realName]);
    expect((await ofDisclosure(cast.member, d.id)).map((q) => q.id)).toEqual([member.body.id]);
  });
});

describe('answering, escalating and closing', () => {
  it('the committee answers and may correct its answer until the asker escalates; the township closes with its reply', async () => {
    const d = await disclosure();
    const q = (await ask(cast.r1, d.id, { question: '土地发包给了谁？是否经过村民代表会议？' })).body;
    expect((await ofDisclosure(cast.vc, d.id)).find((x) => x.id === q.id)?.actions).toEqual(['answer']);

    // Only the committee answers (the route's permission); the supervision committee reads only.
    for (const who of [cast.r1, cast.ts, cast.sup]) {
      const r = await step(who, q.id, 'answer', { answer: '代答' });
      expect([r.status, r.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    }
    expect((await step(cast.vc, q.id, 'close', { answer: '村委会自行办结' })).status).toBe(403);
    // Nothing to escalate yet: answered or past the deadline.
    const early = await step(cast.r1, q.id, 'escalate', { reason: '不满意' });
    expect([early.status, early.body.code]).toEqual([409, 'DISCLOSURE_QUERY_NOT_OVERDUE']);

    const answered = await step(cast.vc, q.id, 'answer', { answer: '发包给本村村民张某，经 2026 年 3 月村民代表会议表决通过。' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      state: 'answered',
      answer: '发包给本村村民张某，经 2026 年 3 月村民代表会议表决通过。',
      actions: ['answer'],
    });
    const corrected = await step(cast.vc, q.id, 'answer', {
      answer: '发包给本村村民张某，经 2026 年 4 月村民代表会议表决通过（更正会议时间）。',
    });
    expect([corrected.status, corrected.body.answer]).toEqual([
      200,
      '发包给本村村民张某，经 2026 年 4 月村民代表会议表决通过（更正会议时间）。',
    ]);
    expect(await row(q.id)).toMatchObject({ state: 'answered', answered_by: cast.vc.accountId });

    // The asker sees escalate; another resident sees nothing to do.
    expect((await ofDisclosure(cast.r1, d.id)).find((x) => x.id === q.id)?.actions).toEqual(['escalate']);
    expect((await ofDisclosure(cast.r2, d.id)).find((x) => x.id === q.id)?.actions).toEqual([]);
    const byOther = await step(cast.r2, q.id, 'escalate', { reason: '我也不信' });
    expect([byOther.status, byOther.body.code]).toEqual([403, 'DISCLOSURE_QUERY_FORBIDDEN']);
    expect([(await step(cast.r1, q.id, 'escalate', { reason: '' })).status]).toEqual([400]);
    const escalated = await step(cast.r1, q.id, 'escalate', { reason: '会议记录里没有这次表决，答复不属实' });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ state: 'escalated', escalationReason: '会议记录里没有这次表决，答复不属实', actions: [] });
    // Frozen: the committee can no longer change the answer under dispute.
    const late = await step(cast.vc, q.id, 'answer', { answer: '再改一次' });
    expect([late.status, late.body.code]).toEqual([409, 'DISCLOSURE_QUERY_STEP_ILLEGAL']);

    // Another township does not see it; this township's list does, and it may close it.
    expect((await step(cast.tsB, q.id, 'close', { answer: '外乡镇' })).status).toBe(404);
    expect((await listed(cast.tsB, 'state=escalated')).items.map((i) => i.id)).not.toContain(q.id);
    expect((await listed(cast.ts, `divisionCode=${TOWNSHIP_A}&state=escalated`)).items.map((i) => i.id)).toContain(q.id);
    expect((await ofDisclosure(cast.ts, d.id)).find((x) => x.id === q.id)?.actions).toEqual(['close']);
    const closed = await step(cast.ts, q.id, 'close', { answer: '经核查会议记录，表决属实，已责成村委会补充公开会议记录。' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      state: 'closed',
      townshipReply: '经核查会议记录，表决属实，已责成村委会补充公开会议记录。',
      actions: [],
    });
    expect(closed.body.closedAt).toEqual(expect.any(String));
    expect((await step(cast.ts, q.id, 'close', { answer: '再办结' })).body.code).toBe('DISCLOSURE_QUERY_STEP_ILLEGAL');
    expect(await row(q.id)).toEqual({
      state: 'closed',
      answer: '发包给本村村民张某，经 2026 年 4 月村民代表会议表决通过（更正会议时间）。',
      answered_by: cast.vc.accountId,
      escalation_reason: '会议记录里没有这次表决，答复不属实',
      township_reply: '经核查会议记录，表决属实，已责成村委会补充公开会议记录。',
      closed_by: cast.ts.accountId,
    });
    const trail = await audits(q.id);
    expect(trail.map((a) => [a.action, a.account_id])).toEqual([
      ['disclosure.query', cast.r1.accountId],
      ['disclosure.query.answer', cast.vc.accountId],
      ['disclosure.query.answer', cast.vc.accountId],
      ['disclosure.query.escalate', cast.r1.accountId],
      ['disclosure.query.close', cast.ts.accountId],
    ]);
    // The correction keeps the first answer.
    expect(trail[2].details).toEqual({ corrected: true, previousAnswer: '发包给本村村民张某，经 2026 年 3 月村民代表会议表决通过。' });
  });

  it("unanswered past the deadline: overdue, on the township's overdue list, and the asker may take it to the township", async () => {
    const d = await disclosure();
    const q = (await ask(cast.r2, d.id, { question: '期初余额与上月期末余额不一致，为什么？' })).body;
    const overdueIds = async (who: GivenUser, query = '') => (await listed(who, `overdue=true${query}`)).items.map((i) => i.id);
    expect(await overdueIds(cast.ts)).not.toContain(q.id);

    advance(ANSWER_DAYS * DAY - 60_000);
    expect(await overdueIds(cast.ts)).not.toContain(q.id);
    expect((await step(cast.r2, q.id, 'escalate', { reason: '一直没有答复' })).status).toBe(409);

    advance(2 * 60_000);
    const list = await listed(cast.ts, `overdue=true&divisionCode=${VILLAGE_A}`);
    const item = list.items.find((i) => i.id === q.id);
    expect(item).toMatchObject({ overdue: true, state: 'open', askerName: cast.r2.realName });
    expect(list.items.every((i) => i.overdue && i.state === 'open')).toBe(true);
    expect((await listed(cast.ts, 'overdue=false')).items.map((i) => i.id)).not.toContain(q.id);
    expect(await overdueIds(cast.sup)).toContain(q.id);
    expect(await overdueIds(cast.tsB)).not.toContain(q.id);
    // Another township may not ask for this one's villages.
    expect((await t.api.get(`/api/v1/disclosure-queries?overdue=true&divisionCode=${TOWNSHIP_A}`, cast.tsB.token)).status).toBe(404);
    expect((await ofDisclosure(cast.r2, d.id)).find((x) => x.id === q.id)).toMatchObject({ actions: ['escalate'] });

    const escalated = await step(cast.r2, q.id, 'escalate', { reason: '超过答复期限仍未答复' });
    expect(escalated.body).toMatchObject({ state: 'escalated', answer: null, overdue: false });
    expect(await overdueIds(cast.ts)).not.toContain(q.id);
    const closed = await step(cast.ts, q.id, 'close', { answer: '已约谈村委会主任，责令五日内答复并补充公开。' });
    expect(closed.body).toMatchObject({ state: 'closed', answer: null, townshipReply: '已约谈村委会主任，责令五日内答复并补充公开。' });
    expect((await audits(q.id)).map((a) => a.action)).toEqual(['disclosure.query', 'disclosure.query.escalate', 'disclosure.query.close']);
  });

  it('an answer after the deadline is still accepted, and the query is no longer overdue', async () => {
    const d = await disclosure();
    const q = (await ask(cast.r1, d.id, { question: '这个月为什么没有管理费用？' })).body;
    advance(ANSWER_DAYS * DAY + DAY);
    expect((await listed(cast.ts, 'overdue=true')).items.map((i) => i.id)).toContain(q.id);
    const answered = await step(cast.vc, q.id, 'answer', { answer: '本月无管理费用支出。' });
    expect(answered.body).toMatchObject({ state: 'answered', overdue: false });
    expect((await listed(cast.ts, 'overdue=true')).items.map((i) => i.id)).not.toContain(q.id);
    expect((await audits(q.id))[1].details).toEqual({ late: true });
  });
});

describe('who reads queries, and whose names they see', () => {
  it('the supervision committee and the township read every query with names; residents see other askers masked, their own in full', async () => {
    const d = await disclosure();
    const q1 = (await ask(cast.r1, d.id, { question: '第一个问题' })).body;
    const q2 = (await ask(cast.r2, d.id, { question: '第二个问题' })).body;
    await step(cast.vc, q1.id, 'answer', { answer: '第一个答复' });

    for (const staff of [cast.sup, cast.ts, cast.vc]) {
      const all = await ofDisclosure(staff, d.id);
      expect(all.map((q) => [q.id, q.askerName, q.answer])).toEqual([
        [q1.id, cast.r1.realName, '第一个答复'],
        [q2.id, cast.r2.realName, null],
      ]);
    }
    const seenBy1 = await ofDisclosure(cast.r1, d.id);
    expect(seenBy1.map((q) => [q.id, q.askerName, q.answer])).toEqual([
      [q1.id, cast.r1.realName, '第一个答复'],
      [q2.id, maskName(cast.r2.realName), null],
    ]);
    expect(maskName(cast.r2.realName)).not.toBe(cast.r2.realName);
    const seenBy2 = await ofDisclosure(cast.r2, d.id);
    expect(seenBy2.map((q) => q.askerName)).toEqual([maskName(cast.r1.realName), cast.r2.realName]);
    // A member who asked nothing reads them all, every name masked.
    expect((await ofDisclosure(cast.member, d.id)).map((q) => q.askerName)).toEqual([
      maskName(cast.r1.realName),
      maskName(cast.r2.realName),
    ]);

    // The list: staff see their villages' queries; a resident sees the ones they asked. A step on another's
    // query is refused as not theirs (they read it on the disclosure), and as not found from another village.
    const supList = await listed(cast.sup, `divisionCode=${VILLAGE_A}`);
    expect(supList.items.map((i) => i.id)).toEqual(expect.arrayContaining([q1.id, q2.id]));
    const mine = await listed(cast.r2, '');
    expect(mine.items.every((i) => i.askerName === cast.r2.realName)).toBe(true);
    expect(mine.items.map((i) => i.id)).toContain(q2.id);
    expect(mine.items.map((i) => i.id)).not.toContain(q1.id);
    expect((await step(cast.r2, q1.id, 'escalate', { reason: '替别人反映' })).body.code).toBe('DISCLOSURE_QUERY_FORBIDDEN');
    expect((await step(cast.rB, q1.id, 'escalate', { reason: '外村' })).body.code).toBe('DISCLOSURE_QUERY_NOT_FOUND');
    expect((await listed(cast.rB, '')).total).toBe(0);
    expect((await t.api.get(`/api/v1/disclosure-queries?divisionCode=${VILLAGE_A}`, cast.rB.token)).status).toBe(404);
    for (const bad of ['state=done', 'overdue=maybe', 'divisionCode=abc', 'pageSize=1000']) {
      const r = await t.api.get(`/api/v1/disclosure-queries?${bad}`, cast.ts.token);
      expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});
