import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { roleHas, type Role } from '#identity';
import { MENU } from '../../apps/web/src/menu.js';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { a11yFailures as measure } from './support/a11y.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

/**
 * 村务共管 on a 360 px phone, through the UI only: the committee's accountant prepares a month's finance
 * disclosure, the 村务监督委员会 returns it with a reason, the committee corrects and resubmits, the
 * supervisor signs it off, the committee publishes it, and a resident reads it. Every screen on the way
 * passes axe (serious, critical), 44 px tap targets and 14 px text.
 */
let t: TestApp;
let b: BrowserSession | undefined;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterEach(async () => {
  await b?.close();
  b = undefined;
});
afterAll(async () => {
  await t?.close();
});

/** The month before the current one in 长治: its first day and its label. */
function lastMonth(): { start: string; year: number; month: number; day: (d: number) => string } {
  const today = new Date(Date.now() + 8 * 3_600_000);
  const y = today.getUTCMonth() === 0 ? today.getUTCFullYear() - 1 : today.getUTCFullYear();
  const m = today.getUTCMonth() === 0 ? 12 : today.getUTCMonth();
  const mm = String(m).padStart(2, '0');
  return { start: `${y}-${mm}-01`, year: y, month: m, day: (d) => `${y}-${mm}-${String(d).padStart(2, '0')}` };
}

async function switchUser(page: Page, u: { phone: string; password: string }) {
  await page.evaluate('localStorage.clear()');
  await loginThroughUi(page, u.phone, u.password);
}

/** Taps a workflow button and confirms its dialog. */
async function confirmStep(page: Page, test: string) {
  await page.locator(`[data-test=${test}]`).click();
  await page.locator('.van-dialog__confirm').click();
}

/** A screen's accessibility findings once the last toast (a transient status, not part of the screen) has gone. */
async function a11yFailures(page: Page, name: string): Promise<string[]> {
  await page
    .locator('.van-toast')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => undefined);
  return measure(page, name);
}

/** A 4 × 4 PNG (a photo stand-in). */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGM4IScHRwzEcQCxYxBBO0tjggAAAABJRU5ErkJggg==';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS = ['日期', '凭证号', '摘要', '对方单位或个人', '收支类别', '收入金额（元）', '支出金额（元）'];

/** The accountant's month in the product's template (sheet 收支明细, headers by name), as .xlsx bytes. */
async function sheet(rows: (string | number | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('收支明细');
  ws.addRow(HEADERS);
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const stateOf = async (page: Page) => (await page.locator('.card [data-test=disclosure-state]').textContent())!.trim();

describe('村务公开 in the browser', () => {
  it('a month’s finances: prepared, returned with a reason, corrected, signed off, published and read by a resident', async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const supervisor = await t.given.user('supervision_committee', VILLAGE_A);
    const resident = await t.given.user('resident', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A, { home: VILLAGE_A });
    const month = lastMonth();
    const failures: string[] = [];

    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, committee.phone, committee.password);
    await page.getByText('新建公开事项').first().click();
    await page.waitForURL('**/disclosures/new');
    await page.locator('[data-test=d-period-kind]').getByText('月度').click();
    await page.locator('[data-test=d-year]').selectOption(String(month.year));
    // The period picker offers only first days of months.
    const offered = await page.locator('[data-test=d-period] option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
    expect(offered).toHaveLength(12);
    expect(offered.every((v) => v.endsWith('-01'))).toBe(true);
    await page.locator('[data-test=d-period]').selectOption(month.start);
    await page.locator('[data-test=d-title] input').fill(`${month.year}年${month.month}月财务收支公开`);
    await page.locator('[data-test=d-opening] input').fill('10000');
    failures.push(...(await a11yFailures(page, 'new disclosure')));
    await b.shot('openness-new');
    await page.locator('[data-test=d-submit]').click();
    await page.waitForURL(/\/disclosures\/[0-9a-f-]{36}\/edit$/);
    const id = page.url().split('/').at(-2)!;

    // The entry form, used below to correct what the supervisor finds missing.
    const addEntry = async (day: number, voucher: string, item: string, category: string, amount: string) => {
      await page.locator('[data-test=entry-add]').click();
      await page.locator('[data-test=entry-date]').fill(month.day(day));
      await page.locator('[data-test=entry-voucher] input').fill(voucher);
      await page.locator('[data-test=entry-item] input').fill(item);
      await page.locator('[data-test=entry-category]').selectOption(category);
      await page.locator('[data-test=entry-amount] input').fill(amount);
      await page.locator('[data-test=entry-submit]').click();
      await page.locator('[data-test=entry-card]').filter({ hasText: voucher }).waitFor();
    };

    // The accountant's sheet: its second row has a category that is not in the chart.
    const good: (string | number)[][] = [
      [month.day(5), '记-001', '鱼塘承包费', '王五', '发包及上交收入', 5000, ''],
      [month.day(12), '记-002', '村道路灯电费', '供电所', '管理费用', '', 1200.5],
    ];
    const broken = await sheet([good[0], [month.day(12), '记-002', '村道路灯电费', '供电所', '电费', '', 1200.5]]);
    await page
      .locator('[data-test=finance-import] [data-test=file-input]')
      .setInputFiles({ name: '11月明细.xlsx', mimeType: XLSX, buffer: broken });
    const errors = page.locator('[data-test=import-errors]');
    await errors.waitFor();
    const errorRows = (await errors.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ''));
    expect(errorRows).toHaveLength(1);
    expect(errorRows[0]).toMatch(/^第3行/);
    expect(errorRows[0]).toContain('收支类别');
    expect(await page.locator('[data-test=import-commit]').count()).toBe(0);
    failures.push(...(await a11yFailures(page, 'import errors')));
    await b.shot('openness-import-errors');
    expect((await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM finance_entry WHERE disclosure_id = $1`, [id]))[0].n).toBe(
      0,
    );

    await page
      .locator('[data-test=finance-import] [data-test=file-input]')
      .setInputFiles({ name: '11月明细.xlsx', mimeType: XLSX, buffer: await sheet(good) });
    const preview = page.locator('[data-test=import-preview]');
    await preview.waitFor();
    expect((await preview.textContent())!.replace(/\s+/g, '')).toContain('共2笔，收入5,000.00元，支出1,200.50元');
    // A preview writes nothing.
    expect((await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM finance_entry WHERE disclosure_id = $1`, [id]))[0].n).toBe(
      0,
    );
    await page.locator('[data-test=import-commit]').click();
    await page.locator('[data-test=import-done]').waitFor();
    await page.locator('[data-test=entry-card]').nth(1).waitFor();
    expect(await page.locator('[data-test=entry-card]').count()).toBe(2);

    // A voucher's photo: made a JPEG on the phone (canvas) before it is sent.
    await page.locator('[data-test=a-name] input').fill('路灯电费发票');
    await page
      .locator('[data-test=a-file]')
      .setInputFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await page.locator('[data-test=a-upload]:not([disabled])').click();
    await page.locator('.van-cell').filter({ hasText: '路灯电费发票' }).waitFor();
    const [photo] = await queryRows<{ content_type: string; purpose: string }>(
      t.db,
      `SELECT content_type, purpose FROM disclosure_attachment WHERE disclosure_id = $1`,
      [id],
    );
    expect(photo).toEqual({ content_type: 'image/jpeg', purpose: 'voucher' });
    // No closing balance yet: the indicator says what it must be.
    const balance = page.locator('[data-test=balance-state]');
    expect((await balance.textContent())!.replace(/\s+/g, '')).toContain('应为13,799.50元');
    // A wrong closing balance: 不平衡, with the right figure.
    await page.locator('[data-test=e-closing] input').fill('13800');
    await page.locator('[data-test=e-save]').click();
    await page.locator('[data-test=balance-state]').filter({ hasText: '不平衡（应为 13,799.50 元）' }).waitFor();
    failures.push(...(await a11yFailures(page, 'editor')));
    await b.shot('openness-editor-unbalanced');
    await page.locator('[data-test=e-closing] input').fill('13799.50');
    await page.locator('[data-test=e-save]').click();
    await page.locator('[data-test=balance-state]').filter({ hasText: '收支平衡' }).waitFor();

    await page.locator('[data-test=e-done]').click();
    await page.waitForURL(`**/disclosures/${id}`);
    await confirmStep(page, 'disclosure-submit');
    await page.locator('.card [data-test=disclosure-state]').filter({ hasText: '待监委会审核' }).waitFor();
    // Submitted: the committee may no longer edit, nor sign off itself.
    expect(await page.locator('[data-test=disclosure-edit]').count()).toBe(0);
    expect(await page.locator('[data-test=disclosure-sign_off]').count()).toBe(0);

    // The supervision committee returns it with a reason.
    await switchUser(page, supervisor);
    await page.getByText('待监委会审核').first().click();
    await page
      .locator('[data-test=disclosure-row]')
      .filter({ hasText: `${month.year}年${month.month}月财务收支公开` })
      .click();
    await page.waitForURL(`**/disclosures/${id}`);
    expect(await page.locator('[data-test=disclosure-edit]').count()).toBe(0);
    failures.push(...(await a11yFailures(page, 'supervisor review')));
    await page.locator('[data-test=disclosure-return]').click();
    await page.locator('[data-test=return-submit]').click();
    await page.locator('[data-test=return-reason-input] .van-field__error-message').waitFor();
    await page
      .locator('[data-test=return-reason-input] textarea')
      .fill('缺少月底慰问困难户支出 800 元（记-003），请补记并重新核对期末余额。');
    await page.locator('[data-test=return-submit]').click();
    await page.locator('.card [data-test=disclosure-state]').filter({ hasText: '监委会退回' }).waitFor();
    expect(await page.locator('[data-test=return-reason]').textContent()).toContain('缺少月底慰问困难户支出 800 元');
    await b.shot('openness-returned');

    // The committee reads the reason, adds the entry, corrects the closing balance and resubmits.
    await switchUser(page, committee);
    await page.goto(`/disclosures/${id}`);
    expect(await page.locator('[data-test=return-reason]').textContent()).toContain('记-003');
    await page.locator('[data-test=disclosure-edit]').click();
    await page.waitForURL(`**/disclosures/${id}/edit`);
    await addEntry(28, '记-003', '慰问困难户', 'welfare_expense', '800');
    await page.locator('[data-test=balance-state]').filter({ hasText: '不平衡（应为 12,999.50 元）' }).waitFor();
    await page.locator('[data-test=e-closing] input').fill('12999.50');
    await page.locator('[data-test=e-save]').click();
    await page.locator('[data-test=balance-state]').filter({ hasText: '收支平衡' }).waitFor();
    await page.locator('[data-test=e-done]').click();
    await confirmStep(page, 'disclosure-submit');
    await page.locator('.card [data-test=disclosure-state]').filter({ hasText: '待监委会审核' }).waitFor();

    // The supervisor signs it off; the committee publishes it.
    await switchUser(page, supervisor);
    await page.goto(`/disclosures/${id}`);
    await confirmStep(page, 'disclosure-sign_off');
    await page.locator('.card [data-test=disclosure-state]').filter({ hasText: '监委会已审核' }).waitFor();
    await switchUser(page, committee);
    await page.goto(`/disclosures/${id}`);
    await confirmStep(page, 'disclosure-publish');
    await page.locator('.card [data-test=disclosure-state]').filter({ hasText: '已公开' }).waitFor();
    expect(await stateOf(page)).toBe('已公开');
    // The A4 page for the board, and the Excel export.
    const [popup] = await Promise.all([b.context.waitForEvent('page'), page.locator('[data-test=disclosure-print]').click()]);
    await popup.waitForLoadState();
    const printed = (await popup.locator('body').textContent())!.replace(/\s+/g, '');
    expect(printed).toContain(`${month.year}年${month.month}月财务收支公开`);
    expect(printed).toContain('12,999.50');
    expect(printed).toContain('慰问困难户');
    await popup.close();
    const [exported] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=disclosure-export]').click()]);
    expect(exported.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await exported.path())) as unknown as ArrayBuffer);
    const cells = wb.worksheets.flatMap((w) => w.getSheetValues().flat().map(String));
    expect(cells).toEqual(expect.arrayContaining(['记-001', '记-002', '记-003']));

    // A resident finds it in 村务公开 and reads the figures.
    await switchUser(page, resident);
    await page.getByText('村务公开', { exact: true }).click();
    await page.waitForURL('**/disclosures');
    failures.push(...(await a11yFailures(page, 'resident list')));
    await page.locator('[data-test=disclosure-row]').first().click();
    await page.waitForURL(`**/disclosures/${id}`);
    expect(await page.locator('[data-test=disclosure-actions]').count()).toBe(0);
    expect((await page.locator('[data-test=income-total]').textContent())!.replace(/\s+/g, '')).toContain('5,000.00元');
    expect((await page.locator('[data-test=expense-total]').textContent())!.replace(/\s+/g, '')).toContain('2,000.50元');
    expect(await page.locator('[data-test=entry-card]').count()).toBe(3);
    expect(await page.locator('[data-test=balance-state]').textContent()).toContain('收支平衡');
    failures.push(...(await a11yFailures(page, 'resident detail')));
    await b.shot('openness-published-resident');
    // On a desktop the entries are a table.
    await page.setViewportSize(DESKTOP);
    await page.locator('[data-test=entry-row]').first().waitFor();
    expect(await page.locator('[data-test=entry-card]:visible').count()).toBe(0);
    await b.shot('openness-published-desktop');
    await page.setViewportSize(PHONE);

    // The resident asks about the welfare payment.
    const about = await page.locator('[data-test=query-entry] option', { hasText: '记-003' }).getAttribute('value');
    await page.locator('[data-test=query-entry]').selectOption(about);
    await page.locator('[data-test=query-question-input] textarea').fill('慰问困难户的 800 元发给了哪几户？有没有签收单？');
    await page.locator('[data-test=query-ask]').click();
    await page.locator('[data-test=query-card]').filter({ hasText: '慰问困难户的 800 元' }).waitFor();
    expect(await page.locator('[data-test=query-card] [data-test=query-state]').first().textContent()).toContain('待答复');
    failures.push(...(await a11yFailures(page, 'resident asked')));
    await b.shot('openness-query-asked');

    // The committee answers it from its list of queries.
    await switchUser(page, committee);
    await page.getByText('村民质询', { exact: true }).click();
    await page.waitForURL('**/disclosure-queries');
    const card = page.locator('[data-test=query-card]').filter({ hasText: '慰问困难户的 800 元' });
    await card.waitFor();
    failures.push(...(await a11yFailures(page, 'committee queries')));
    await card.locator('[data-test=query-answer]').click();
    await page
      .locator('[data-test=query-text] textarea')
      .fill('发给了村里 4 户低保户，每户 200 元，签收单已作为凭证附在记-003 后，可到村委会查阅。');
    await page.locator('[data-test=query-submit]').click();
    // Answered, it leaves the committee's 待答复 list.
    await card.waitFor({ state: 'detached' });

    // The resident sees the answer on the disclosure.
    await switchUser(page, resident);
    await page.goto(`/disclosures/${id}`);
    await page.locator('[data-test=query-card] [data-test=query-reply]').filter({ hasText: '4 户低保户' }).waitFor();
    expect(await page.locator('[data-test=query-card] [data-test=query-state]').first().textContent()).toContain('已答复');
    // Only what the asker may do now: take it to the township if the answer is untrue.
    expect(await page.locator('[data-test=query-card] [data-test=query-escalate]').count()).toBe(1);
    expect(await page.locator('[data-test=query-card] [data-test=query-answer]').count()).toBe(0);

    // The asker doubts it and takes it to the township, which closes it with its reply.
    await page.locator('[data-test=query-card] [data-test=query-escalate]').click();
    await page.locator('[data-test=query-text] textarea').fill('村里低保户只有 3 户，答复与实际不符。');
    await page.locator('[data-test=query-submit]').click();
    await page.locator('[data-test=query-card] [data-test=query-state]').filter({ hasText: '已向乡镇反映' }).waitFor();
    expect(await page.locator('[data-test=query-card] [data-test=query-escalate]').count()).toBe(0);
    await switchUser(page, township);
    await page.getByText('质询督办', { exact: true }).click();
    await page.waitForURL('**/disclosure-queries');
    const escalated = page.locator('[data-test=query-card]').filter({ hasText: '答复与实际不符' });
    await escalated.waitFor();
    failures.push(...(await a11yFailures(page, 'township queries')));
    await escalated.locator('[data-test=query-close]').click();
    await page.locator('[data-test=query-text] textarea').fill('经乡镇核查，该村低保户 4 户（含 11 月新增 1 户），答复属实。');
    await page.locator('[data-test=query-submit]').click();
    await escalated.waitFor({ state: 'detached' });

    const queries = await queryRows<{ state: string; entry: string | null; answer: string; reply: string; reason: string }>(
      t.db,
      `SELECT q.state, e.voucher_no AS entry, q.answer, q.township_reply AS reply, q.escalation_reason AS reason
         FROM disclosure_query q LEFT JOIN finance_entry e ON e.id = q.entry_id WHERE q.disclosure_id = $1`,
      [id],
    );
    expect(queries).toEqual([
      {
        state: 'closed',
        entry: '记-003',
        answer: expect.stringContaining('4 户低保户'),
        reason: '村里低保户只有 3 户，答复与实际不符。',
        reply: expect.stringContaining('答复属实'),
      },
    ]);

    const [row] = await queryRows<{ state: string; closing: string; entries: number; income: string; expense: string }>(
      t.db,
      `SELECT d.state, d.closing_balance_fen::text AS closing,
              (SELECT count(*)::int FROM finance_entry e WHERE e.disclosure_id = d.id) AS entries,
              (SELECT coalesce(sum(amount_fen), 0)::text FROM finance_entry e WHERE e.disclosure_id = d.id AND e.direction = 'income') AS income,
              (SELECT coalesce(sum(amount_fen), 0)::text FROM finance_entry e WHERE e.disclosure_id = d.id AND e.direction = 'expense') AS expense
         FROM disclosure d WHERE d.id = $1`,
      [id],
    );
    expect(row).toEqual({ state: 'published', closing: '1299950', entries: 3, income: '500000', expense: '200050' });
    expect(failures).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 240_000);

  it('the township watches the schedule: the table and chart of overdue villages, a village’s slots, its cadence, an order and its follow-up', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const failures: string[] = [];
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.getByText('公开进度', { exact: true }).click();
    await page.waitForURL('**/openness/oversight');
    const table = page.locator('[data-test=oversight-table]');
    await table.waitFor();
    // One row per village of the township; the schedule has run since 2026-01-01, so quarters are overdue.
    const [{ n: villages }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM division WHERE parent_code = $1`, [
      TOWNSHIP_A,
    ]);
    expect(await page.locator('[data-test=oversight-row]').count()).toBe(villages);
    await page.locator('[data-test=bar-chart]').waitFor();
    // Villages overdue by more than the highlight setting stand out.
    expect(await page.locator('[data-test=oversight-row].long').count()).toBeGreaterThan(0);
    failures.push(...(await a11yFailures(page, 'oversight')));
    await b.shot('openness-oversight');
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=oversight-export]').click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount).toBeGreaterThan(villages);

    // Drill down to the village: its slots with their status.
    await page.locator(`[data-test=drill-${VILLAGE_A}]`).click();
    await page.waitForURL(`**/openness/villages/${VILLAGE_A}`);
    await page.locator('[data-test=schedule-slot]').first().waitFor();
    const statuses = await page.locator('[data-test=slot-status]').allTextContents();
    expect(statuses.some((x) => x.includes('逾期'))).toBe(true);
    failures.push(...(await a11yFailures(page, 'village schedule')));

    // Finance monthly for this village.
    await page.locator('[data-test=finance-monthly]').click();
    await page.locator('[data-test=finance-monthly][aria-checked=true]').waitFor();
    const [setting] = await queryRows<{ finance_monthly: boolean }>(
      t.db,
      `SELECT finance_monthly FROM openness_village_setting WHERE village_code = $1`,
      [VILLAGE_A],
    );
    expect(setting.finance_monthly).toBe(true);

    // An order to publish an overdue period, then its follow-up.
    await page.locator('[data-test=order-new]').click();
    const due = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('[data-test=order-due]').fill(due);
    failures.push(...(await a11yFailures(page, 'order form')));
    await page.locator('[data-test=order-submit]').click();
    const order = page.locator('[data-test=order]');
    await order.waitFor();
    await order.locator('[data-test=order-follow]').click();
    await page.locator('[data-test=follow-text] textarea').fill('已电话督促，该村承诺 10 日内在公开栏和平台公开。');
    await page.locator('[data-test=follow-submit]').click();
    await order.locator('[data-test=order-follow-up]').waitFor();
    await b.shot('openness-village-schedule');
    const orders = await queryRows<{ series: string | null; due_on: string; follow_up: string }>(
      t.db,
      `SELECT series, due_on::text, follow_up FROM township_order WHERE village_code = $1`,
      [VILLAGE_A],
    );
    expect(orders).toHaveLength(1);
    expect(orders[0].due_on).toBe(due);
    expect(orders[0].series).not.toBeNull();
    expect(orders[0].follow_up).toContain('已电话督促');
    expect(failures).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 120_000);

  it.each([
    ['resident', VILLAGE_A],
    ['village_committee', VILLAGE_A],
    ['supervision_committee', VILLAGE_A],
    ['township_staff', TOWNSHIP_A],
    ['county_admin', COUNTY],
  ] as [Role, string][])(
    '%s: every 村务共管 menu screen passes axe, 44 px targets and 14 px text, and reflows at 200 %',
    async (role, division) => {
      const u = await t.given.user(role, division);
      b = await openBrowser(t.baseUrl, PHONE);
      const { page } = b;
      await loginThroughUi(page, u.phone, u.password);
      const screens = MENU.filter(
        (m) => m.group === '村务共管' && roleHas(role, m.permission) && (!m.levels || m.levels.includes(division.length)),
      ).map((m) => m.to);
      expect(screens.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const path of screens) {
        await page.goto(path);
        failures.push(...(await a11yFailures(page, path)));
      }
      // 特大字 (200 %): no screen scrolls sideways.
      await page.goto('/me');
      await page.locator('[data-test=text-size-200]').click();
      expect(await page.evaluate<boolean>(`document.documentElement.classList.contains('text-200')`)).toBe(true);
      for (const path of screens) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        const over = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        if (over > 0) failures.push(`${path} at 200 %: ${over} px sideways`);
      }
      expect(failures).toEqual([]);
      expect(b.problems).toEqual([]);
    },
  );
});
