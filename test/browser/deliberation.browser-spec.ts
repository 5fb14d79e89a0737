import path from 'node:path';
import { VotingService } from '#deliberation';
import { queryRows } from '#platform';
import { TOWNSHIP_A, VILLAGE_A, type GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, SCREENSHOTS, type BrowserSession } from './support/browser.js';

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
    t.api.post('/api/v1/proposals', { villageCode: VILLAGE_A, title, body: '修缮村东头的饮水井。', category: 'public_welfare', decidingBody: 'villagers_meeting', ballotType: 'secret', deliberationDays: 1 }, committee.token),
    201,
  );
  const meeting = { date: '2026-11-20', attendees: ['张书记', '李主任'], summary: '提议并商议' };
  await ok(t.api.post(`/api/v1/proposals/${p.id}/merged-meeting`, meeting, committee.token));
  const [{ members }] = await queryRows<{ members: number }>(
    t.db,
    `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
    [VILLAGE_A],
  );
  await ok(t.api.post(`/api/v1/proposals/${p.id}/party-review`, { date: '2026-11-21', attendees: members, yes: members, no: 0 }, committee.token));
  await ok(t.api.post(`/api/v1/proposals/${p.id}/approve`, {}, township.token));
  // A 村民会议 is noticed 10 days ahead, whatever shorter discussion period the proposal asks for.
  t.clock.advance(10 * DAY + 3_600_000);
  await ok(t.api.post(`/api/v1/proposals/${p.id}/voting`, { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() }, committee.token));
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
    expect(await page.locator('[data-test=turnout]').textContent()).toMatch(/1\s*\/\s*\d+ 人/);
    await b.shot('vote-receipt');

    await tab2.locator('[data-test=vote-no]').click();
    await tab2.locator('.van-dialog__confirm').click();
    const refusal = tab2.locator('[data-test=form-alert]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('您已投票，每人只能投一票');
    await tab2.screenshot({ path: path.join(SCREENSHOTS, 'vote-second-refused.png'), fullPage: true });


    // Exactly one participation row; the one choice is the first one.
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM ballot_participation bp JOIN vote v ON v.id = bp.vote_id WHERE v.proposal_id = $1`, [id]);
    expect(n).toBe(1);
    const choices = await queryRows<{ choice: string }>(t.db, `SELECT c.choice FROM ballot_choice c JOIN vote v ON v.id = c.vote_id WHERE v.proposal_id = $1`, [id]);
    expect(choices.map((c) => c.choice)).toEqual(['yes']);
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
    const [row] = await queryRows<{ amount_fen: string; status: string }>(t.db, `SELECT amount_fen::text, status FROM proposal WHERE id = $1`, [id]);
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

    // Too early to vote: the server says when, the UI shows it in 北京时间.
    await c.page.reload();
    await c.page.locator('[data-test=act-open_voting]').click();
    await c.page.locator('[data-test=a-submit]').click();
    const early = c.page.locator('[data-test=action-form] [data-test=form-alert]');
    await early.waitFor();
    expect(await early.textContent()).toMatch(/公开讨论期未满，最早可于 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 开始表决/);
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
    for (const v of voters) receipts.push((await ok(t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes' }, v.token), 201)).receiptCode);
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
    const [{ electorate, outcome: stored }] = await queryRows<{ electorate: number; outcome: string }>(t.db, `SELECT electorate, outcome FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`, [id]);
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
    await r.page.getByText('提问', { exact: true }).click();
    await r.page.locator('[data-test=comment-text] textarea').fill('补贴标准按天算还是按小时算？');
    await r.page.locator('[data-test=comment-submit]').click();
    await r.page.locator('[data-test=comment]').filter({ hasText: '按天算还是按小时算' }).waitFor();

    const c = await browser(DESKTOP);
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto(`/proposals/${id}`);
    const question = c.page.locator('[data-test=comment]').filter({ hasText: '按天算还是按小时算' });
    await question.getByText('答复', { exact: true }).click();
    await c.page.locator('[data-test=answer-text] textarea').fill('按天计算，每天 100 元。');
    await c.page.locator('[data-test=answer-submit]').click();
    await question.locator('[data-test=answer]').filter({ hasText: '按天计算，每天 100 元。' }).waitFor();

    await r.page.reload();
    await r.page.locator('[data-test=answer]').filter({ hasText: '按天计算，每天 100 元。' }).waitFor();
    await r.shot('discussion-answered');
    const rows = await queryRows<{ kind: string; body: string }>(t.db, `SELECT kind, body FROM proposal_comment WHERE proposal_id = $1 ORDER BY created_at`, [id]);
    expect(rows.map((x) => x.kind)).toEqual(['question', 'answer']);
    for (const s of [r, c]) expect(s.problems).toEqual([]);
  });

  it('township staff return a proposal with reasons; the committee sees the reason and the proposal is a draft again', async () => {
    await givenPartyMembers();
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const p = await ok(
      t.api.post('/api/v1/proposals', { villageCode: VILLAGE_A, title: '出租村集体闲置仓库', body: '出租给合作社，年租金 2 万元。', category: 'collective_property', decidingBody: 'representatives_meeting', ballotType: 'open' }, committee.token),
      201,
    );
    await ok(t.api.post(`/api/v1/proposals/${p.id}/merged-meeting`, { date: '2026-11-20', attendees: ['张书记'], summary: '提议并商议' }, committee.token));
    const [{ members }] = await queryRows<{ members: number }>(
      t.db,
      `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
      [VILLAGE_A],
    );
    await ok(t.api.post(`/api/v1/proposals/${p.id}/party-review`, { date: '2026-11-21', attendees: members, yes: members, no: 0 }, committee.token));

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
    await c.page.locator('[data-test=history]').getByText('理由：租期和租金标准未写明，请补充后重新提交。').waitFor();
    await c.page.locator('[data-test=act-edit]').waitFor();
    await c.shot('proposal-returned');
    const [row] = await queryRows<{ status: string }>(t.db, `SELECT status FROM proposal WHERE id = $1`, [p.id]);
    expect(row.status).toBe('draft');
    for (const s of [tw, c]) expect(s.problems).toEqual([]);
  });
});
