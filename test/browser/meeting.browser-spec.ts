import { VotingService } from '#deliberation';
import type { Page } from 'playwright-core';
import { TOWNSHIP_A, VILLAGE_A, type GivenPerson, type GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { a11yFailures } from './support/a11y.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
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

async function phone(): Promise<BrowserSession> {
  const s = await openBrowser(t.baseUrl, PHONE);
  sessions.push(s);
  return s;
}

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A secret-ballot 村民会议 proposal approved by the township: its public discussion (and 10-day notice) running. */
async function approvedProposal(committee: GivenUser, township: GivenUser, title: string, ballotType = 'secret'): Promise<string> {
  for (let i = 0; i < 3; i++) await t.given.person(VILLAGE_A, { roles: ['resident', 'party_member'], household: `P${i}` });
  const p = await ok(
    t.api.post(
      '/api/v1/proposals',
      {
        villageCode: VILLAGE_A,
        title,
        body: '修缮村西头的老水渠，资金来自集体收益。',
        category: 'public_welfare',
        decidingBody: 'villagers_meeting',
        ballotType,
        deliberationDays: 1,
      },
      committee.token,
    ),
    201,
  );
  await ok(
    t.api.post(
      `/api/v1/proposals/${p.id}/merged-meeting`,
      { date: '2026-11-20', attendees: ['张书记', '李主任'], summary: '提议并商议' },
      committee.token,
    ),
  );
  const [{ members }] = await queryRows<{ members: number }>(
    t.db,
    `SELECT count(DISTINCT person_id)::int AS members FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
    [VILLAGE_A],
  );
  await ok(
    t.api.post(`/api/v1/proposals/${p.id}/party-review`, { date: '2026-11-21', attendees: members, yes: members, no: 0 }, committee.token),
  );
  await ok(t.api.post(`/api/v1/proposals/${p.id}/approve`, {}, township.token));
  return p.id;
}

/** Picks a person by name in one of the arrangement form's pickers. */
async function pickPerson(page: Page, test: string, name: string) {
  const picker = page.locator(`[data-test=${test}]`);
  await picker.locator('input[type=search]').fill(name);
  await picker.locator(`[data-test=${test}-find]`).click();
  await picker.locator(`[data-test=${test}-hit]`).filter({ hasText: name }).first().click();
  await picker.locator(`[data-test=${test}-chosen]`).filter({ hasText: name }).waitFor();
}

/** Searches the electors on a sign-in or assisted-voting screen and answers the row of one. */
async function findElector(page: Page, q: string, name: string, row = 'elector-row') {
  await page.locator('[data-test=elector-q] input').fill(q);
  await page.locator('[data-test=elector-find]').click();
  const r = page.locator(`[data-test=${row}]`).filter({ hasText: name });
  await r.first().waitFor();
  expect(await page.locator(`[data-test=${row}]`).count()).toBeLessThanOrEqual(30);
  return r.first();
}

/** A teller enters the paper totals on the phone's form. */
async function enterTotals(page: Page, figures: Record<'issued' | 'returned' | 'yes' | 'no' | 'abstain' | 'spoiled', number>) {
  for (const [k, v] of Object.entries(figures)) await page.locator(`[data-test=totals-${k}] input`).fill(String(v));
  await page.locator('[data-test=totals-submit]').click();
}

describe('a hybrid meeting in the browser, at 360 px', () => {
  it('arranged, signed in on a phone and on paper, counted twice, photographed, confirmed, closed and published with 线上 N 人、现场 M 人', async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const tellers = [await t.given.user('resident', VILLAGE_A), await t.given.user('resident', VILLAGE_A)];
    const scrutineer = await t.given.user('supervision_committee', VILLAGE_A, { extraRoles: ['resident'] });
    const online = [await t.given.user('resident', VILLAGE_A), await t.given.user('resident', VILLAGE_A)];
    // Villagers without a smartphone, each in a household of their own; the first two have a helper.
    const offline: GivenPerson[] = [];
    for (let i = 0; i < 6; i++)
      offline.push(await t.given.person(VILLAGE_A, { roles: ['resident'], phone: null, name: `线下${i}号`, household: `M${100 + i}` }));
    await t.db.query(`UPDATE person SET no_smartphone = true WHERE id = ANY($1)`, [offline.map((p) => p.personId)]);
    await t.db.query(`UPDATE person SET helper_person_id = $1 WHERE id = ANY($2)`, [
      online[0].personId,
      offline.slice(0, 2).map((p) => p.personId),
    ]);
    const title = `修缮老水渠 ${Date.now() % 100000}`;
    const id = await approvedProposal(committee, township, title);

    // ---- The committee arranges the meeting on a phone. ----
    const c = await phone();
    await loginThroughUi(c.page, committee.phone, committee.password);
    await c.page.goto(`/proposals/${id}`);
    await c.page.locator('[data-test=meeting-panel]').waitFor();
    // Before the vote opens nothing on site can be done: no sign-in button.
    expect(await c.page.locator('[data-test=meeting-sign_in]').count()).toBe(0);
    await c.page.locator('[data-test=meeting-arrange]').click();
    const heldAt = new Date(t.clock.now().getTime() + 10 * DAY + 2 * HOUR + 8 * HOUR).toISOString().slice(0, 16);
    await c.page.locator('[data-test=meeting-held-at]').fill(heldAt);
    await c.page.locator('[data-test=meeting-place] input').fill('村民活动中心');
    await pickPerson(c.page, 'meeting-chair', committee.realName);
    for (const teller of tellers) await pickPerson(c.page, 'meeting-tellers', teller.realName);
    await pickPerson(c.page, 'meeting-scrutineers', scrutineer.realName);
    await c.shot('meeting-arrange-form');
    await c.page.locator('[data-test=meeting-submit]').click();
    await c.page.locator('[data-test=meeting-info-place]').filter({ hasText: '村民活动中心' }).waitFor();
    expect(await c.page.locator('[data-test=meeting-info-tellers]').textContent()).toContain(tellers[1].realName);
    expect(await c.page.locator('[data-test=meeting-info-parts]').textContent()).toContain('现场会议 + 线上投票');
    const officers = await queryRows<{ person_id: string; duty: string }>(
      t.db,
      `SELECT person_id, duty FROM meeting_officer WHERE proposal_id = $1 ORDER BY duty, person_id`,
      [id],
    );
    expect(officers.filter((o) => o.duty === 'teller').map((o) => o.person_id)).toEqual(tellers.map((x) => x.personId).sort());
    expect(officers.filter((o) => o.duty === 'scrutineer').map((o) => o.person_id)).toEqual([scrutineer.personId]);
    await c.shot('meeting-arranged');

    // ---- The notice period passes; voting opens from the UI and the on-site part with it. ----
    t.clock.advance(10 * DAY + HOUR);
    await c.page.reload();
    await c.page.locator('[data-test=act-open_voting]').click();
    const closes = new Date(t.clock.now().getTime() + 2 * DAY + 8 * HOUR).toISOString().slice(0, 16);
    await c.page.locator('[data-test=a-closes]').fill(closes);
    await c.page.locator('[data-test=a-submit]').click();
    await c.page.locator('[data-test=proposal-status]').filter({ hasText: '表决中' }).waitFor();
    await c.page.locator('[data-test=meeting-sign_in]').waitFor();
    const [{ electorate }] = await queryRows<{ electorate: number }>(
      t.db,
      `SELECT electorate FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [id],
    );

    // ---- The sign-in sheet, printed on A4: every elector, the offline ones tagged. ----
    await c.page.locator('[data-test=meeting-print]').click();
    await c.page.locator('[data-test=sign-in-sheet]').waitFor();
    const sheetRows = c.page.locator('[data-test=sheet-row]');
    expect(await sheetRows.count()).toBe(electorate);
    const offlineRow = sheetRows.filter({ hasText: offline[0].realName });
    const cells = (await offlineRow.locator('td').allTextContents()).map((s) => s.trim());
    expect(cells[1]).toBe(offline[0].realName);
    expect(cells[2]).toBe('M100');
    expect(cells[3]).toBe(offline[0].idNumber.slice(-4));
    expect(cells[4]).toContain('无智能手机');
    expect(cells[4]).toContain(`联系人${online[0].realName}`);
    expect(cells[5]).toBe('');
    await c.shot('meeting-sign-in-sheet');
    await c.page.emulateMedia({ media: 'print' });
    expect(await c.page.locator('.van-nav-bar').isVisible()).toBe(false);
    expect(await c.page.locator('[data-test=sheet-print]').isVisible()).toBe(false);
    // The header row repeats on every printed page; no row is split between two.
    const printed = await c.page.evaluate<{ thead: string; row: string }>(`({
      thead: getComputedStyle(document.querySelector('[data-test=sign-in-sheet] thead')).display,
      row: getComputedStyle(document.querySelector('[data-test=sheet-row]')).breakInside,
    })`);
    expect(printed).toEqual({ thead: 'table-header-group', row: 'avoid' });
    await c.page.emulateMedia({ media: 'screen' });

    // ---- One villager votes online before the meeting. ----
    await ok(t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'yes' }, online[0].token), 201);

    // ---- Sign-in on the committee's phone: search, one tap. ----
    await c.page.goto(`/proposals/${id}/meeting/sign-in`);
    await c.page.locator('[data-test=signed-in-count]').waitFor();
    // The online voter shows as 已在线投票, without a sign-in button.
    const voted = await findElector(c.page, online[0].realName, online[0].realName);
    expect(await voted.locator('[data-test=elector-took]').textContent()).toContain('已在线投票');
    expect(await voted.locator('[data-test=elector-sign-in]').count()).toBe(0);
    // The second online voter is found before they vote, votes on their own phone meanwhile, and the tap is refused.
    const late = await findElector(c.page, online[1].realName, online[1].realName);
    await ok(t.api.post(`/api/v1/proposals/${id}/ballots`, { choice: 'no' }, online[1].token), 201);
    await late.locator('[data-test=elector-sign-in]').click();
    const refusal = c.page.locator('[data-test=form-alert]');
    await refusal.waitFor();
    const serverSays = await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: online[1].personId }, committee.token);
    expect(serverSays.status).toBe(409);
    expect(serverSays.body.code).toBe('ALREADY_VOTED_ONLINE');
    expect(await refusal.textContent()).toContain(serverSays.body.message);
    await c.page
      .locator('[data-test=elector-row]')
      .filter({ hasText: online[1].realName })
      .locator('[data-test=elector-took]')
      .filter({ hasText: '已在线投票' })
      .waitFor();
    await c.shot('meeting-sign-in-refused');

    // Three offline villagers signed in by household number.
    for (const [i, p] of offline.slice(0, 3).entries()) {
      const row = await findElector(c.page, `M${100 + i}`, p.realName);
      await row.locator('[data-test=elector-sign-in]').click();
      await row.locator('[data-test=elector-took]').filter({ hasText: '已现场签到' }).waitFor();
      await c.page
        .locator('[data-test=signed-in-count]')
        .filter({ hasText: String(i + 1) })
        .waitFor();
    }
    // One signed in twice (a second staff phone's tap): the server's refusal.
    const again = await t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: offline[0].personId }, committee.token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SIGNED_IN');
    await c.shot('meeting-signed-in');
    expect(await a11yFailures(c.page, 'sign-in')).toEqual([]);

    // ---- 代投: a villager without a phone votes on the committee's phone, alone on a full screen. ----
    await c.page.goto(`/proposals/${id}`);
    await c.page.locator('[data-test=meeting-assist]').click();
    const helped = offline[5];
    const assistRow = await findElector(c.page, 'M105', helped.realName, 'assist-row');
    await assistRow.locator('[data-test=assist-start]').click();
    await c.page.locator('[data-test=assist-handover]').filter({ hasText: helped.realName }).waitFor();
    await c.page.locator('[data-test=assist-begin]').click();
    const screen = c.page.locator('[data-test=assist-private]');
    await screen.waitFor();
    // The private screen covers the whole phone: the staff's page and its bar are out of sight.
    expect(await screen.boundingBox()).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    await c.shot('meeting-assist-choose');
    expect(await a11yFailures(c.page, 'assisted choice')).toEqual([]);
    await c.page.locator('[data-test=assist-yes]').click();
    expect(await c.page.locator('[data-test=assist-chosen]').textContent()).toBe('赞成');
    await c.page.locator('[data-test=assist-confirm]').click();
    const assistReceipt = ((await c.page.locator('[data-test=assist-receipt]').textContent()) ?? '').trim();
    expect(assistReceipt).toMatch(/^[0-9A-Z]{12}$/);
    await c.shot('meeting-assist-receipt');
    await c.page.locator('[data-test=assist-finish]').click();
    await screen.waitFor({ state: 'detached' });
    expect(await c.page.content()).not.toContain(assistReceipt);

    // The rest who came sign in on the other staff phones (through the API), leaving two offline villagers away.
    const rows = await ok(t.api.get(`/api/v1/proposals/${id}/meeting/electors`, committee.token));
    const away = new Set([offline[3].personId, offline[4].personId]);
    for (const r of rows as { personId: string; took: string | null }[])
      if (r.took === null && !away.has(r.personId))
        await ok(t.api.post(`/api/v1/proposals/${id}/meeting/sign-ins`, { personId: r.personId }, committee.token), 201);
    const [{ signedIn }] = await queryRows<{ signedIn: number }>(
      t.db,
      `SELECT count(*)::int AS "signedIn" FROM ballot_participation bp JOIN vote v ON v.id = bp.vote_id
        WHERE v.proposal_id = $1 AND bp.channel = 'onsite'`,
      [id],
    );
    expect(signedIn).toBe(electorate - 2 - 2 - 1);

    // ---- The chair's live turnout: participants and the quorum, no choices. ----
    await c.page.goto(`/proposals/${id}`);
    const live = c.page.locator('[data-test=live-turnout]');
    await live.waitFor();
    const turnout = await ok(t.api.get(`/api/v1/proposals/${id}/meeting/turnout`, committee.token));
    expect(turnout.participants).toBe(electorate - 2);
    expect(await c.page.locator('[data-test=quorum-status]').textContent()).toContain(
      turnout.quorumMet ? '已达到法定人数' : `还差 ${turnout.shortBy} 人达到法定人数`,
    );
    expect(await c.page.locator('[data-test=live-signed-in]').textContent()).toContain(`${signedIn} 人`);
    expect(await live.textContent()).not.toMatch(/赞成|反对/);
    await c.shot('meeting-live-turnout');
    expect(await a11yFailures(c.page, 'meeting panel')).toEqual([]);

    // ---- Two tellers count the paper ballots, each on their own phone. ----
    const right = { issued: signedIn, returned: signedIn, yes: signedIn - 2, no: 1, abstain: 0, spoiled: 1 };
    const t1 = await phone();
    await loginThroughUi(t1.page, tellers[0].phone, tellers[0].password);
    await t1.page.goto(`/proposals/${id}`);
    await t1.page.locator('[data-test=meeting-enter_totals]').click();
    await t1.page
      .locator('[data-test=totals-rules]')
      .filter({ hasText: `发出票数应等于现场签到人数：${signedIn} 人` })
      .waitFor();
    // Figures that do not reconcile: the server names the figure.
    await enterTotals(t1.page, { ...right, issued: signedIn + 1, returned: signedIn + 1, spoiled: 2 });
    await t1.page
      .locator('[data-test=totals-issued] .van-field__error-message')
      .filter({ hasText: `应等于签到人数 ${signedIn}` })
      .waitFor();
    await t1.shot('meeting-totals-issued-refused');
    expect(await a11yFailures(t1.page, 'paper totals')).toEqual([]);
    await enterTotals(t1.page, right);
    await t1.page.locator('[data-test=totals-waiting]').waitFor();

    const t2 = await phone();
    await loginThroughUi(t2.page, tellers[1].phone, tellers[1].password);
    await t2.page.goto(`/proposals/${id}/meeting/totals`);
    // The first entry is not shown to the second teller.
    await t2.page.locator('[data-test=totals-form]').waitFor();
    expect(await t2.page.locator('[data-test=totals-yes] input').inputValue()).toBe('');
    await enterTotals(t2.page, { ...right, yes: right.yes - 1, no: right.no + 1 });
    const mismatch = t2.page.locator('[data-test=form-alert]');
    await mismatch.waitFor();
    expect(await mismatch.textContent()).toContain('两名计票人录入的票数不一致，两次录入均已作废');
    const mismatchSays = await t.api.post(`/api/v1/proposals/${id}/meeting/paper-totals`, right, tellers[1].token);
    // Both recount: the mismatch threw away the first entry too, so this one is the first of a new pair.
    expect(mismatchSays.status).toBe(201);
    expect(mismatchSays.body.entries).toBe(1);
    await t2.shot('meeting-totals-mismatch');
    await t1.page.reload();
    await enterTotals(t1.page, right);
    await t1.page
      .locator('[data-test=totals-accepted]')
      .filter({ hasText: `赞成 ${right.yes}` })
      .waitFor();
    await t1.shot('meeting-totals-accepted');

    // ---- The photo of the signed 计票单, taken on the teller's phone and made small before upload. ----
    await t1.page.goto(`/proposals/${id}`);
    await t1.page.locator('[data-test=meeting-attach_sheet]').click();
    const big = await t1.page.evaluate(`(() => {
      const c = document.createElement('canvas'); c.width = 3200; c.height = 2400;
      const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 3200, 2400);
      g.fillStyle = '#000'; g.font = '200px sans-serif'; g.fillText('计票单', 400, 1200);
      return c.toDataURL('image/png').split(',')[1];
    })()`);
    await t1.page
      .locator('[data-test=sheet-file]')
      .setInputFiles({ name: 'tally.png', mimeType: 'image/png', buffer: Buffer.from(String(big), 'base64') });
    const preview = t1.page.locator('[data-test=sheet-preview]');
    await preview.waitFor();
    const size = await t1.page.evaluate<{ w: number; h: number }>(
      `(() => { const img = document.querySelector('[data-test=sheet-preview]'); return { w: img.naturalWidth, h: img.naturalHeight }; })()`,
    );
    expect(size).toEqual({ w: 1600, h: 1200 });
    await t1.page.locator('[data-test=sheet-upload]').click();
    await t1.page.locator('[data-test=sheet-attached]').waitFor();
    // Stored as the small JPEG made in the browser, not the 3200 px original.
    const [photo] = await queryRows<{ content_type: string; size_bytes: number; magic: string }>(
      t.db,
      `SELECT a.content_type, a.size_bytes, encode(substr(a.content, 1, 3), 'hex') AS magic
         FROM vote_onsite o JOIN vote v ON v.id = o.vote_id JOIN proposal_attachment a ON a.id = o.tally_sheet_id
        WHERE v.proposal_id = $1`,
      [id],
    );
    expect(photo.content_type).toBe('image/jpeg');
    expect(photo.magic).toBe('ffd8ff');
    expect(photo.size_bytes).toBeLessThan(2 * 1024 * 1024);

    // ---- The scrutineer checks and confirms. ----
    const s = await phone();
    await loginThroughUi(s.page, scrutineer.phone, scrutineer.password);
    await s.page.goto(`/proposals/${id}`);
    await s.page.locator('[data-test=meeting-confirm]').click();
    await s.page
      .locator('[data-test=confirm-totals]')
      .filter({ hasText: `发出 ${signedIn} 张` })
      .waitFor();
    expect(await s.page.locator('[data-test=confirm-photo]').textContent()).toContain('已上传');
    // The scrutineer sees the photo itself (the 1600 px JPEG the teller's phone uploaded), to check it against the totals.
    const shown = s.page.locator('[data-test=confirm-photo-image]');
    await shown.waitFor();
    expect(await shown.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1600);
    await s.page.locator('[data-test=assisted-row]').filter({ hasText: helped.realName }).filter({ hasText: committee.realName }).waitFor();
    expect(await s.page.locator('[data-test=signed-in-row]').count()).toBe(signedIn);
    await s.shot('meeting-scrutineer');
    expect(await a11yFailures(s.page, 'scrutineer')).toEqual([]);
    await s.page.locator('[data-test=confirm-submit]').click();
    await s.page.locator('.van-dialog__confirm').click();
    await s.page.locator('[data-test=confirm-done]').waitFor();

    // ---- The vote closes; the result states each part; the committee publishes. ----
    t.clock.advance(3 * DAY);
    expect(await t.app.get(VotingService).closeDueVotes()).toBeGreaterThanOrEqual(1);
    await c.page.reload();
    const parts = c.page.locator('[data-test=result-parts]');
    await parts.waitFor();
    expect(await parts.textContent()).toContain(`线上 3 人（其中代投 1 人）、现场 ${signedIn} 人`);
    expect(await c.page.locator('[data-test=result-paper]').textContent()).toContain(`赞成 ${right.yes}，反对 1，弃权 0，废票 1`);
    const [vote] = await queryRows<{ participants: number; yes: number; online: number; assisted: number; onsite: number }>(
      t.db,
      `SELECT participants, yes_count AS yes, online_participants AS online, assisted_participants AS assisted, onsite_participants AS onsite
         FROM vote WHERE proposal_id = $1 AND purpose = 'decision'`,
      [id],
    );
    expect(vote).toEqual({ participants: signedIn + 3, yes: right.yes + 2, online: 3, assisted: 1, onsite: signedIn });
    await c.shot('meeting-result');
    await c.page.locator('[data-test=act-publish_resolution]').click();
    await c.page.locator('[data-test=a-submit]').click();
    await c.page
      .locator('[data-test=proposal-status]')
      .filter({ hasText: /决议已公开|待批准/ })
      .waitFor();

    // The notice on the board says it too.
    const r = await phone();
    await loginThroughUi(r.page, online[0].phone, online[0].password);
    await r.page.getByText('村务公开栏').first().click();
    await r.page.locator('[data-test=notice-row]').filter({ hasText: title }).click();
    await r.page
      .locator('[data-test=notice-parts]')
      .filter({ hasText: `线上 3 人（其中代投 1 人）、现场 ${signedIn} 人` })
      .waitFor();
    await r.shot('meeting-notice');

    for (const x of [c, t1, t2, s, r]) expect(x.problems).toEqual([]);
  });

  it("an open ballot: a teller signs villagers in and records each one's choice on the phone", async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const tellers = [await t.given.user('resident', VILLAGE_A), await t.given.user('resident', VILLAGE_A)];
    const scrutineer = await t.given.user('supervision_committee', VILLAGE_A, { extraRoles: ['resident'] });
    const present: GivenPerson[] = [];
    for (let i = 0; i < 3; i++)
      present.push(await t.given.person(VILLAGE_A, { roles: ['resident'], phone: null, name: `举手${i}号`, household: `J${200 + i}` }));
    const id = await approvedProposal(committee, township, `村口路灯 ${Date.now() % 100000}`, 'open');
    await ok(
      t.api.put(
        `/api/v1/proposals/${id}/meeting`,
        {
          heldAt: new Date(t.clock.now().getTime() + 10 * DAY + 2 * HOUR).toISOString(),
          place: '村委会大院',
          chairPersonId: committee.personId,
          tellerPersonIds: tellers.map((x) => x.personId),
          scrutineerPersonIds: [scrutineer.personId],
          onlinePart: true,
          onsitePart: true,
        },
        committee.token,
      ),
    );
    t.clock.advance(10 * DAY + HOUR);
    await ok(
      t.api.post(
        `/api/v1/proposals/${id}/voting`,
        { closesAt: new Date(t.clock.now().getTime() + 2 * DAY).toISOString() },
        committee.token,
      ),
    );

    const p = await phone();
    await loginThroughUi(p.page, tellers[0].phone, tellers[0].password);
    await p.page.goto(`/proposals/${id}`);
    // A teller of an open ballot signs in and records choices; there are no paper totals to enter.
    await p.page.locator('[data-test=meeting-sign_in]').click();
    for (const [i, v] of present.entries()) {
      const row = await findElector(p.page, `J${200 + i}`, v.realName);
      await row.locator('[data-test=elector-sign-in]').click();
      await row.locator('[data-test=elector-took]').filter({ hasText: '已现场签到' }).waitFor();
    }
    await p.page.goto(`/proposals/${id}`);
    expect(await p.page.locator('[data-test=meeting-enter_totals]').count()).toBe(0);
    await p.page.locator('[data-test=meeting-record_choice]').click();
    const choices = ['yes', 'yes', 'no'] as const;
    for (const [i, v] of present.entries()) {
      const row = await findElector(p.page, `J${200 + i}`, v.realName);
      await row.locator(`[data-test=elector-${choices[i]}]`).click();
      await row
        .locator('[data-test=elector-choice]')
        .filter({ hasText: choices[i] === 'yes' ? '赞成' : '反对' })
        .waitFor();
    }
    await p.shot('meeting-open-ballot-choices');
    expect(await a11yFailures(p.page, 'open ballot choices')).toEqual([]);
    const m = await ok(t.api.get(`/api/v1/proposals/${id}/meeting`, committee.token));
    expect(m.meeting.onsite).toMatchObject({ signedIn: 3, choicesRecorded: 3 });
    expect(p.problems).toEqual([]);
  });
});
