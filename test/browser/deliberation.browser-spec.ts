import path from 'node:path';
import { VotingService } from '#deliberation';
import { TOWNSHIP_A, VILLAGE_A, VILLAGE_A2, type GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { a11yFailures } from './support/a11y.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

const DAY = 86_400_000;
let t: TestApp;
const sessions: BrowserSession[] = [];
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function browser(viewport = PHONE): Promise<BrowserSession> {
  const s = await openBrowser(t.baseUrl, viewport);
  sessions.push(s);
  return s;
}

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Three party members, so the 审议 step can be recorded as a meeting. */
async function givenPartyMembers() {
  for (let i = 0; i < 3; i++) await t.given.person(VILLAGE_A, { roles: ['resident', 'party_member'], household: `P${i}` });
}

/** A proposal brought to voting through the API (the UI flows are tested separately below). */
async function proposalInVoting(committee: GivenUser, township: GivenUser, title: string): Promise<string> {
  const p = await ok(
    t.api.post(
      '/api/v1/proposals',
      {
        villageCode: VILLAGE_A,
        title,
        body: '修缮村东头的饮水井。',
        category: 'public_welfare',
        decidingBody: 'villagers_meeting',
        ballotType: 'secret',
        deliberationDays: 1,
      },
      committee.token,
    ),
    201,
  );
  const meeting = { date: '2026-11-20', attendees: ['张书记', '李主任'], summary: '提议并商议' };
  await ok(t.api.post(`/api/v1/proposals/${p.id}/merged-meeting`, meeting, committee.token));
  const [{ members }] = await queryRows<{ members: number }>(
    t.db,
    `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
    [VILLAGE_A],
  );
  await ok(
    t.api.post(`/api/v1/proposals/${p.id}/party-review`, { date: '2026-11-21', attendees: members, yes: members, no: 0 }, committee.token),
  );
  await ok(t.api.post(`/api/v1/proposals/${p.id}/approve`, {}, township.token));
  // A 村民会议 is noticed 10 days ahead, whatever shorter discussion period the proposal asks for.
  t.clock.advance(10 * DAY + 3_600_000);
  await ok(
    t.api.post(
      `/api/v1/proposals/${p.id}/voting`,
      { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
      committee.token,
    ),
  );
  return p.id;
}

describe('村事共议 in the browser', () => {
  it('a resident votes on a phone after a confirmation step, sees the receipt, and a second vote is refused with the right message', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const resident = await t.given.user('resident', VILLAGE_A);
    const id = await proposalInVoting(committee, township, '修缮饮水井');

    const b = await browser(PHONE);
    const { page } = b;
    await loginThroughUi(page, resident.phone, resident.password);
    // The home screen says a ballot is waiting.
    await page.locator('[data-test=menu-needsMyVote] .van-badge').filter({ hasText: '1' }).waitFor();
    await b.shot('resident-home');
    await page.getByText('待我投票').first().click();
    const row = page.locator('[data-test=proposal-row]').filter({ hasText: '修缮饮水井' });
    await row.waitFor();
    // A second tab with the same proposal open: the double-vote a villager could really make.
    const tab2 = await b.context.newPage();
    await row.click();
    await page.locator('[data-test=vote-yes]').waitFor();
    expect(await page.locator('[data-test=turnout]').textContent()).toMatch(/0\s*\/\s*\d+ 人/);
    await tab2.goto(`/proposals/${id}`);
    await tab2.locator('[data-test=vote-no]').waitFor();

    await page.locator('[data-test=vote-yes]').click();
    await page.locator('.van-dialog').getByText('您选择：赞成').waitFor();
    await b.shot('vote-confirm');
    await page.locator('.van-dialog__confirm').click();
    const code = page.locator('[data-test=receipt-code]');
    await code.waitFor();
    const receipt = (await code.textContent())!.trim();
    expect(receipt).toMatch(/^[0-9A-Z]{12}$/);
    // The receipt shows as soon as the ballot is in; the turnout follows with its own request.
    await page
      .locator('[data-test=turnout]')
      .filter({ hasText: /1\s*\/\s*\d+ 人/ })
      .waitFor();
    await b.shot('vote-receipt');

    await tab2.locator('[data-test=vote-no]').click();
    await tab2.locator('.van-dialog__confirm').click();
    const refusal = tab2.locator('[data-test=form-alert]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('您已投票，每人只能投一票');
    await tab2.screenshot({ path: path.join(SCREENSHOTS, 'vote-second-refused.png'), fullPage: true });

    // Exactly one participation row; the one choice is the first one.
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM ballot_participation bp JOIN vote v ON v.id = bp.vote_id WHERE v.proposal_id = $1`,
      [id],
    );
    expect(n).toBe(1);
    const choices = await queryRows<{ choice: string }>(
      t.db,
      `SELECT c.choice FROM ballot_choice c JOIN vote v ON v.id = c.vote_id WHERE v.proposal_id = $1`,
      [id],
    );
    expect(choices.map((c) => c.choice)).toEqual(['yes']);
    expect(b.problems).toEqual([]);
  });

  it('a committee chair who is also a villager is told on opening and on the proposal that a ballot waits in the villager role, and votes after one tap', async () => {
    await givenPartyMembers();
    const chair = await t.given.user('village_committee', VILLAGE_A, { extraRoles: ['resident'] });
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const id = await proposalInVoting(chair, township, '修缮村委会院墙');

    const b = await browser(PHONE);
    const { page } = b;
    await loginThroughUi(page, chair.phone, chair.password);
    await page.locator('[data-test=acting]').filter({ hasText: '当前身份：村委会' }).waitFor();
    // The home screen says a ballot waits, and where.
    const homeHint = page.locator('[data-test=role-switch-hint]');
    await homeHint.filter({ hasText: '有 1 项等您投票' }).waitFor();
    expect(await homeHint.textContent()).toContain('切换为村民即可投票');

    // On the proposal: no ballot in this role, and the page says so instead of showing nothing.
    await page.goto(`/proposals/${id}`);
    const hint = page.locator('[data-test=vote-panel] [data-test=role-switch-hint]');
    await hint.waitFor();
    expect(await page.locator('[data-test=vote-yes]').count()).toBe(0);
    expect(await hint.textContent()).toContain('不能投票');
    await b.shot('vote-role-switch-hint');
    expect(await a11yFailures(page, 'vote role hint')).toEqual([]);
    await hint.getByRole('button', { name: '切换为村民即可投票' }).click();
    await page.locator('[data-test=vote-yes]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.locator('[data-test=receipt-code]').waitFor();
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM ballot_participation bp JOIN vote v ON v.id = bp.vote_id WHERE v.proposal_id = $1 AND bp.person_id = $2`,
      [id, chair.personId],
    );
    expect(n).toBe(1);
    expect(b.problems).toEqual([]);
  });

  it('the committee creates a proposal and sends it; the township approves; voting opens; after close the result and the notice are on the board', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const voters = [await t.given.user('resident', VILLAGE_A), await t.given.user('resident', VILLAGE_A)];
    const title = `村东道路硬化 ${Date.now() % 100000}`;

    // The committee, at a desk.
    const c = await browser(DESKTOP);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto('/proposals/new');
    await c.page.locator('[data-test=p-submit]').click();
    // The server's own messages, inline under each field.
    await c.page.locator('[data-test=p-title] .van-field__error-message').waitFor();
    expect(await c.page.locator('[data-test=p-title] .van-field__error-message').textContent()).toContain('标题应为 1–200 个字符');
    await c.shot('proposal-form-errors');
    await c.page.locator('[data-test=p-title] input').fill(title);
    await c.page.locator('[data-test=p-body] textarea').fill('硬化村东主路 1.2 公里，宽 4 米，资金来自集体收益。');
    await c.page.locator('[data-test=p-amount] input').fill('120000.50');
    await c.page.locator('[data-test=p-submit]').click();
    await c.page.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    const id = c.page.url().split('/').pop()!;
    const [row] = await queryRows<{ amount_fen: string; status: string }>(
      t.db,
      `SELECT amount_fen::text, status FROM proposal WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ amount_fen: '12000050', status: 'draft' });

    await c.page.getByText('添加附件').click();
    await c.page.getByLabel('名称').fill('道路硬化设计图');
    await c.page.getByLabel('链接').fill('https://example.com/road-plan.pdf');
    await c.page.locator('.van-popup').getByRole('button', { name: '添加', exact: true }).click();
    await c.page.locator('.attachments').getByText('道路硬化设计图').waitFor();

    await c.page.locator('[data-test=act-record_merged_meeting]').click();
    await c.page.locator('[data-test=a-attendees] input').fill('张书记、李主任、王委员');
    await c.page.locator('[data-test=a-summary] textarea').fill('书记主任一肩挑，提议与商议合并召开，同意提交党员大会审议。');
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '已商议' }).waitFor();
    await c.page.locator('[data-test=act-party_review_passed]').click();
    const [{ members }] = await queryRows<{ members: number }>(
      t.db,
      `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
      [VILLAGE_A],
    );
    await c.page.locator('[data-test=a-count] input').fill(String(members));
    await c.page.locator('[data-test=a-yes] input').fill(String(members));
    await c.page.locator('[data-test=a-no] input').fill('0');
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '待乡镇审核' }).waitFor();
    await c.shot('proposal-sent-to-township');

    // The township, on its review queue.
    const tw = await browser(DESKTOP);
    await loginThroughUi(tw.page, township.phone, township.password);
    await tw.page.getByText('待我审核').first().click();
    await tw.page.locator('[data-test=proposal-row]').filter({ hasText: title }).click();
    await tw.page.locator('[data-test=act-approve]').click();
    await tw.page.locator('[data-test=a-text] textarea').fill('程序完备，同意提交村民会议表决。');
    await tw.page.locator('[data-test=a-submit]').click();
    await tw.page.locator('[data-test=proposal-status]').filter({ hasText: '公开讨论中' }).waitFor();
    await tw.shot('township-approved');
    // The notice's 村广播稿 is on the page as the loudspeaker reads it: no digits, the place said twice.
    const spoken = (await tw.page.locator('[data-test=notice-broadcast]').textContent()) ?? '';
    expect(spoken).toContain('各位村民请注意');
    expect(spoken).toContain('会议提前十天通知大家');
    expect(spoken).not.toMatch(/\d/);

    // Too early to vote: the server says when, the UI shows it in 北京时间.
    await c.page.reload();
    await c.page.locator('[data-test=act-open_voting]').click();
    await c.page.locator('[data-test=a-submit]').click();
    const early = c.page.locator('[data-test=action-form] [data-test=form-alert]');
    await early.waitFor();
    // A 村民会议 waits its statutory 10-day notice (decision 013): the server cites the article and the time.
    expect(await early.textContent()).toMatch(
      /第二十一条，会议应当提前10日通知全体成员：本次通知于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 发出，最早可于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 开始表决/,
    );
    await c.page.keyboard.press('Escape');

    // The discussion period passes (for a 村民会议 at least the 10-day notice); voting opens from the UI.
    t.clock.advance(10 * DAY + 3_600_000);
    await c.page.reload();
    await c.page.locator('[data-test=act-open_voting]').click();
    // The browser's clock is days behind the server's here, so pick a close time far enough out.
    const closes = new Date(t.clock.now().getTime() + 2 * DAY + 8 * 3_600_000).toISOString().slice(0, 16);
    await c.page.locator('[data-test=a-closes]').fill(closes);
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '表决中' }).waitFor();
    // Turnout while open, never the choices.
    await c.page.locator('[data-test=turnout]').waitFor();
    expect(await c.page.locator('[data-test=vote-panel]').textContent()).toContain('截止后公布');
    expect(await c.page.locator('[data-test=results]').count()).toBe(0);

    // Two residents vote (through the API: the phone flow is the test above).
    const receipts: string[] = [];
    for (const v of voters)
      receipts.push((await ok(t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes' }, v.token), 201)).receiptCode);
    await c.page.reload();
    expect(await c.page.locator('[data-test=turnout]').textContent()).toMatch(/2\s*\/\s*\d+ 人/);
    await c.shot('committee-turnout-open');

    // Close time passes; the scheduler's job closes and tallies.
    t.clock.advance(3 * DAY);
    expect(await t.app.get(VotingService).closeDueVotes()).toBeGreaterThanOrEqual(1);
    await c.page.reload();
    await c.page.locator('[data-test=results]').waitFor();
    await c.page.locator('[data-test=act-publish_resolution]').click();
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '决议已公开' }).waitFor();

    // A voter, on a phone: the board shows the notice with the counts, and the receipt checks out.
    const r = await browser(PHONE);
    await loginThroughUi(r.page, voters[0].phone, voters[0].password);
    await r.page.getByText('村务公开栏').first().click();
    await r.page.locator('[data-test=notice-row]').filter({ hasText: title }).click();
    const outcome = r.page.locator('[data-test=notice-outcome]');
    await outcome.waitFor();
    const [{ electorate, outcome: stored }] = await queryRows<{ electorate: number; outcome: string }>(
      t.db,
      `SELECT electorate, outcome FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [id],
    );
    const text = (await outcome.textContent())!.replace(/\s+/g, '');
    expect(text).toContain(`应参加人数${electorate}`);
    expect(text).toContain('实际参加人数2');
    expect(text).toContain('赞成2');
    expect(text).toContain(`表决结果${{ passed: '通过', rejected: '未通过', no_quorum: '未达到法定人数' }[stored]}`);
    await r.shot('notice-board-resolution');
    await r.page.getByText('查看议题经过').click();
    await r.page.locator('[data-test=receipt-input] input').fill(receipts[0]);
    await r.page.locator('[data-test=receipt-check]').click();
    await r.page.locator('[data-test=receipt-result]').waitFor();
    expect(await r.page.locator('[data-test=receipt-result]').textContent()).toContain('已计入：这张选票记为“赞成”');
    await r.shot('receipt-checked');

    for (const s of [c, tw, r]) expect(s.problems).toEqual([]);
  });

  it('a resident is notified that voting opened, asks a question, and the committee answers it officially', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const resident = await t.given.user('resident', VILLAGE_A);
    const id = await proposalInVoting(committee, township, '调整误工补贴标准');

    const r = await browser(PHONE);
    await loginThroughUi(r.page, resident.phone, resident.password);
    await r.page.getByText('我的通知').first().click();
    const note = r.page.locator('[data-test=notification]').filter({ hasText: '调整误工补贴标准' }).first();
    await note.waitFor();
    await r.shot('notifications');
    await note.click();
    await r.page.waitForURL(`**/proposals/${id}`);
    // The discussion is its own tab, not 2,300 px down after the history.
    await r.page.getByRole('tab', { name: '讨论' }).click();
    await r.page.getByText('提问', { exact: true }).click();
    await r.page.locator('[data-test=comment-text] textarea').fill('补贴标准按天算还是按小时算？');
    await r.page.locator('[data-test=comment-submit]').click();
    await r.page.locator('[data-test=comment]').filter({ hasText: '按天算还是按小时算' }).waitFor();

    const c = await browser(DESKTOP);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto(`/proposals/${id}?tab=discussion`);
    const question = c.page.locator('[data-test=comment]').filter({ hasText: '按天算还是按小时算' });
    await question.getByText('答复', { exact: true }).click();
    await c.page.locator('[data-test=answer-text] textarea').fill('按天计算，每天 100 元。');
    await c.page.locator('[data-test=answer-submit]').click();
    await question.locator('[data-test=answer]').filter({ hasText: '按天计算，每天 100 元。' }).waitFor();

    await r.page.reload();
    await r.page.getByRole('tab', { name: '讨论' }).click();
    await r.page.locator('[data-test=answer]').filter({ hasText: '按天计算，每天 100 元。' }).waitFor();
    await r.shot('discussion-answered');
    const rows = await queryRows<{ kind: string; body: string }>(
      t.db,
      `SELECT kind, body FROM proposal_comment WHERE proposal_id = $1 ORDER BY created_at`,
      [id],
    );
    expect(rows.map((x) => x.kind)).toEqual(['question', 'answer']);
    for (const s of [r, c]) expect(s.problems).toEqual([]);
  });

  it('township staff return a proposal with reasons; the committee sees the reason and the proposal is a draft again', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const p = await ok(
      // At the 村民会议: a 村民代表会议 would need the 村民会议's authorisation first (decision 013).
      t.api.post(
        '/api/v1/proposals',
        {
          villageCode: VILLAGE_A,
          title: '出租村集体闲置仓库',
          body: '出租给合作社，年租金 2 万元。',
          category: 'collective_property',
          decidingBody: 'villagers_meeting',
          ballotType: 'open',
        },
        committee.token,
      ),
      201,
    );
    await ok(
      t.api.post(
        `/api/v1/proposals/${p.id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议并商议' },
        committee.token,
      ),
    );
    const [{ members }] = await queryRows<{ members: number }>(
      t.db,
      `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
      [VILLAGE_A],
    );
    await ok(
      t.api.post(
        `/api/v1/proposals/${p.id}/party-review`,
        { date: '2026-11-21', attendees: members, yes: members, no: 0 },
        committee.token,
      ),
    );

    const tw = await browser(PHONE);
    await loginThroughUi(tw.page, township.phone, township.password);
    await tw.page.goto(`/proposals/${p.id}`);
    await tw.page.locator('[data-test=act-return]').click();
    await tw.page.locator('[data-test=a-submit]').click();
    // The reason is required: the server's message appears under the box.
    await tw.page.locator('[data-test=a-text] .van-field__error-message').filter({ hasText: '请填写退回理由' }).waitFor();
    await tw.page.locator('[data-test=a-text] textarea').fill('租期和租金标准未写明，请补充后重新提交。');
    await tw.page.locator('[data-test=a-submit]').click();
    await tw.page.locator('[data-test=proposal-status]').filter({ hasText: '草稿' }).waitFor();

    const c = await browser(PHONE);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.getByText('我的通知').first().click();
    await c.page.locator('[data-test=notification]').filter({ hasText: '乡镇退回修改' }).first().click();
    // The reason is the first thing on the page, above the tabs, while it is the returned draft.
    const notice = c.page.locator('[data-test=returned-notice]');
    await notice.filter({ hasText: '租期和租金标准未写明，请补充后重新提交。' }).waitFor();
    expect(await notice.textContent()).toContain('乡镇退回修改');
    expect((await notice.boundingBox())!.y).toBeLessThan((await c.page.locator('[data-test=proposal-tabs]').boundingBox())!.y);
    expect((await notice.boundingBox())!.y).toBeLessThan(200);
    await c.page.locator('[data-test=act-edit]').waitFor();
    await c.shot('proposal-returned');
    expect(await a11yFailures(c.page, 'returned draft')).toEqual([]);
    // The history keeps it too, in its own tab.
    await c.page.getByRole('tab', { name: '办理经过' }).click();
    await c.page.locator('[data-test=history]').getByText('理由：租期和租金标准未写明，请补充后重新提交。').waitFor();
    await c.shot('proposal-returned-history');
    expect(await a11yFailures(c.page, 'history tab')).toEqual([]);
    const [row] = await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [p.id]);
    expect(row.status).toBe('draft');
    // Once the committee takes it forward again, it is no longer the returned draft: the notice goes.
    await ok(
      t.api.post(
        `/api/v1/proposals/${p.id}/merged-meeting`,
        { date: '2026-11-25', attendees: ['张书记'], summary: '补充租期与租金' },
        committee.token,
      ),
    );
    await c.page.reload();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '已商议' }).waitFor();
    expect(await notice.count()).toBe(0);
    for (const s of [tw, c]) expect(s.problems).toEqual([]);
  });
  it("a resident whose signature reaches a 联名提议 taps 查看议题 and sees the committee draft's title and state, read only", async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A2);
    const filer = await t.given.user('resident', VILLAGE_A2);
    const signer = await t.given.user('resident', VILLAGE_A2);
    for (let i = 0; i < 10; i++) await t.given.person(VILLAGE_A2, { roles: ['resident'] });
    const filed = await ok(
      t.api.post(
        '/api/v1/joint-requests',
        { villageCode: VILLAGE_A2, kind: 'residents', title: '请求召开村民会议讨论修缮村小学', body: '教学楼漏雨，请村委会召集村民会议。' },
        filer.token,
      ),
      201,
    );
    expect(filed).toMatchObject({ signatures: 1, threshold: 2 });

    const b = await browser(PHONE);
    await loginThroughUi(b.page, signer.phone, signer.password);
    await b.page.goto('/joint-requests');
    const row = b.page.locator('[data-test=joint-row]').filter({ hasText: '请求召开村民会议讨论修缮村小学' });
    await row.getByRole('button', { name: '我也签名' }).click();
    await row.getByText('已达到人数，转为议题').waitFor();
    const [req] = await queryRows<{ status: string; proposal_id: string }>(
      t.db,
      `SELECT status, proposal_id FROM joint_request WHERE id = $1`,
      [filed.id],
    );
    expect(req.status).toBe('reached');
    await row
      .getByRole('link', { name: '查看议题' })
      .or(row.getByRole('button', { name: '查看议题' }))
      .click();
    await b.page.waitForURL(`**/proposals/${req.proposal_id}`);
    const glimpse = b.page.locator('[data-test=joint-glimpse]');
    await glimpse.waitFor();
    expect(await b.page.locator('[data-test=proposal-title]').textContent()).toBe('请求召开村民会议讨论修缮村小学');
    expect(await b.page.locator('[data-test=proposal-status]').textContent()).toContain('草稿');
    expect(await b.page.getByText('议题不存在').count()).toBe(0);
    await b.shot('joint-proposal-glimpse-draft');
    expect(await a11yFailures(b.page, 'joint glimpse')).toEqual([]);

    // The committee renames the draft, writes its own text and holds the 提议/商议 meeting.
    await ok(
      t.api.patch(
        `/api/v1/proposals/${req.proposal_id}`,
        { title: '修缮村小学教学楼屋顶', body: '村委会草稿：预算待核。', category: 'public_welfare' },
        committee.token,
      ),
    );
    await ok(
      t.api.post(
        `/api/v1/proposals/${req.proposal_id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '同意提交党员大会' },
        committee.token,
      ),
    );
    await b.page.reload();
    await b.page.locator('[data-test=proposal-status]').filter({ hasText: '已商议' }).waitFor();
    const [p] = await queryRows<{ title: string; status: string }>(t.db, `SELECT title, status FROM proposal WHERE id = $1`, [
      req.proposal_id,
    ]);
    expect(p).toEqual({ title: '修缮村小学教学楼屋顶', status: 'consulted' });
    expect(await b.page.locator('[data-test=proposal-title]').textContent()).toBe(p.title);
    // Read only: the draft's text, its meeting record and any action stay with the committee.
    const page = (await b.page.locator('body').textContent())!;
    expect(page).not.toContain('村委会草稿');
    expect(page).not.toContain('张书记');
    expect(await b.page.locator('[data-test=proposal-actions], [data-test=proposal-tabs]').count()).toBe(0);
    await b.shot('joint-proposal-glimpse-consulted');
    expect(b.problems).toEqual([]);
  });

  it('the party review form shows the seats and the rule, and says beside the field which figure is out of range', async () => {
    await givenPartyMembers();
    // A 预备党员 attends without a vote: not counted (decision 012).
    await t.given.person(VILLAGE_A, { roles: ['resident', 'party_member', 'probationary_party_member'], household: 'PP' });
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const draft = await ok(
      t.api.post(
        '/api/v1/proposals',
        {
          villageCode: VILLAGE_A,
          title: '修建村级光伏电站',
          body: '利用村委会屋顶建设光伏电站。',
          category: 'public_welfare',
          decidingBody: 'villagers_meeting',
          ballotType: 'secret',
        },
        committee.token,
      ),
      201,
    );
    await ok(
      t.api.post(
        `/api/v1/proposals/${draft.id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议并商议' },
        committee.token,
      ),
    );
    const [{ members }] = await queryRows<{ members: number }>(
      t.db,
      `SELECT count(*)::int AS members FROM (SELECT person_id FROM role_grant WHERE division_code = $1 AND revoked_at IS NULL GROUP BY person_id
         HAVING bool_or(role = 'party_member') AND NOT bool_or(role = 'probationary_party_member')) x`,
      [VILLAGE_A],
    );

    const c = await browser(PHONE);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto(`/proposals/${draft.id}`);
    await c.page.locator('[data-test=act-party_review_passed]').click();
    const rule = c.page.locator('[data-test=party-rule]');
    await rule.waitFor();
    expect(await c.page.locator('[data-test=party-members]').textContent()).toBe(String(members));
    const ruleText = (await rule.textContent())!.replace(/\s+/g, '');
    expect(ruleText).toContain('预备党员列席，不计入');
    expect(ruleText).toContain('支部工作条例（试行）》第十一条');
    expect(ruleText).toContain(`至少${Math.ceil(members / 2)}人`);
    expect(ruleText).toContain(`至少${Math.floor(members / 2) + 1}票赞成`);
    // The field report: more attending than there are members with a vote.
    const attendees = members + 15;
    await c.page.locator('[data-test=a-count] input').fill(String(attendees));
    await c.page.locator('[data-test=a-yes] input').fill(String(attendees - 2));
    await c.page.locator('[data-test=a-no] input').fill('2');
    await c.page.locator('[data-test=a-submit]').click();
    const beside = c.page.locator('[data-test=a-count] .van-field__error-message');
    await beside.waitFor();
    expect(await beside.textContent()).toBe(
      `到会人数 ${attendees} 超过本村有表决权的党员人数 ${members}（预备党员、受留党察看处分的党员不计）`,
    );
    expect(await c.page.locator('[data-test=a-yes] .van-field__error-message').count()).toBe(0);
    await c.page.locator('[data-test=a-count]').scrollIntoViewIfNeeded();
    await c.page.screenshot({ path: path.join(SCREENSHOTS, 'party-review-field-error.png') });
    expect(await a11yFailures(c.page, 'party review sheet')).toEqual([]);
    const [before] = await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [draft.id]);
    expect(before.status).toBe('consulted');

    // Votes that add up to more than attended: both vote boxes say so.
    await c.page.locator('[data-test=a-count] input').fill(String(members));
    await c.page.locator('[data-test=a-yes] input').fill(String(members));
    await c.page.locator('[data-test=a-no] input').fill('1');
    await c.page.locator('[data-test=a-submit]').click();
    await c.page
      .locator('[data-test=a-no] .van-field__error-message')
      .filter({ hasText: `合计 ${members + 1}，超过到会人数 ${members}` })
      .waitFor();
    expect(await c.page.locator('[data-test=a-count] .van-field__error-message').count()).toBe(0);

    await c.page.locator('[data-test=a-no] input').fill('0');
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '待乡镇审核' }).waitFor();
    const [after] = await queryRows<{ details: { attendees: number; members: number; outcome: string } }>(
      t.db,
      `SELECT details FROM proposal_event WHERE proposal_id = $1 AND action = 'party_review_passed'`,
      [draft.id],
    );
    expect(after.details).toMatchObject({ attendees: members, members, outcome: 'passed' });
    expect(c.problems).toEqual([]);
  });

  it('the vote-opening sheet proposes a close after the earliest voting time plus the minimum window, and that default opens the vote', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const draft = await ok(
      t.api.post(
        '/api/v1/proposals',
        {
          villageCode: VILLAGE_A,
          title: '硬化村西生产路',
          body: '硬化村西生产路 800 米。',
          category: 'public_welfare',
          decidingBody: 'villagers_meeting',
          ballotType: 'secret',
          deliberationDays: 1,
        },
        committee.token,
      ),
      201,
    );
    await ok(
      t.api.post(
        `/api/v1/proposals/${draft.id}/merged-meeting`,
        { date: '2026-11-20', attendees: ['张书记'], summary: '提议并商议' },
        committee.token,
      ),
    );
    const detail = await ok(t.api.get(`/api/v1/proposals/${draft.id}`, committee.token));
    await ok(
      t.api.post(
        `/api/v1/proposals/${draft.id}/party-review`,
        { date: '2026-11-21', attendees: detail.partyMeeting.members, yes: detail.partyMeeting.members, no: 0 },
        committee.token,
      ),
    );
    const approved = await ok(t.api.post(`/api/v1/proposals/${draft.id}/approve`, {}, township.token));
    const earliest = Date.parse(approved.earliestVotingAt);
    const minWindow = approved.voteMinWindowHours * 3_600_000;

    const c = await browser(PHONE);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto(`/proposals/${draft.id}`);
    await c.page.locator('[data-test=act-open_voting]').click();
    const closes = c.page.locator('[data-test=a-closes]');
    await closes.waitFor();
    const proposed = await closes.inputValue();
    // Not "three days from today": a 村民会议 is noticed 10 days ahead, and the vote lasts at least the minimum.
    expect(Date.parse(`${proposed}:00+08:00`)).toBeGreaterThanOrEqual(earliest + minWindow);
    expect(await c.page.locator('[data-test=window-hint]').textContent()).toContain(`表决时间不少于 ${approved.voteMinWindowHours} 小时`);
    await c.shot('vote-sheet-default');
    expect(await a11yFailures(c.page, 'vote sheet')).toEqual([]);
    await c.page.keyboard.press('Escape');

    // The notice period runs out; the committee opens the vote with the proposed close as it stands.
    t.clock.advance(earliest - t.clock.now().getTime() + 3_600_000);
    await c.page.reload();
    await c.page.locator('[data-test=act-open_voting]').click();
    const accepted = await closes.inputValue();
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '表决中' }).waitFor();
    const [vote] = await queryRows<{ closes_at: Date; opens_at: Date }>(
      t.db,
      `SELECT closes_at, opens_at FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [draft.id],
    );
    expect(vote.closes_at.getTime()).toBe(Date.parse(`${accepted}:00+08:00`));
    expect(vote.closes_at.getTime() - vote.opens_at.getTime()).toBeGreaterThanOrEqual(minWindow);
    expect(vote.closes_at.getTime()).toBeGreaterThan(earliest + minWindow);

    // 详情 keeps the vote panel and the actions; the discussion and the history are one tap away.
    await c.page.locator('[data-test=vote-panel]').waitFor();
    await c.shot('proposal-tabs-detail');
    await c.page.getByRole('tab', { name: '讨论' }).click();
    await c.page.locator('.comments').waitFor();
    await c.shot('proposal-tabs-discussion');
    expect(await a11yFailures(c.page, 'discussion tab')).toEqual([]);
    expect(c.problems).toEqual([]);
  });
});
