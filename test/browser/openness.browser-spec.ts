import type { Page } from 'playwright-core';
import { TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { a11yFailures } from './support/a11y.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

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
afterAll(async () => {
  await b?.close();
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

const stateOf = async (page: Page) => (await page.locator('.card [data-test=disclosure-state]').textContent())!.trim();

describe('村务公开 in the browser', () => {
  it('a month’s finances: prepared, returned with a reason, corrected, signed off, published and read by a resident', async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const supervisor = await t.given.user('supervision_committee', VILLAGE_A);
    const resident = await t.given.user('resident', VILLAGE_A);
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
    const offered = await page.locator('[data-test=d-period] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
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

    // Entries one by one: an income and an expenditure.
    const addEntry = async (day: number, voucher: string, item: string, category: string, amount: string) => {
      await page.locator('[data-test=entry-add]').click();
      await page.locator('[data-test=entry-date]').fill(month.day(day));
      await page.locator('[data-test=entry-voucher] input').fill(voucher);
      await page.locator('[data-test=entry-item] input').fill(item);
      await page.locator('[data-test=entry-category]').selectOption(category);
      await page.locator('[data-test=entry-amount] input').fill(amount);
      await page.locator('[data-test=entry-submit]').click();
      await page.locator('[data-test=entry-row]').filter({ hasText: voucher }).waitFor();
    };
    await addEntry(5, '记-001', '鱼塘承包费', 'contracting_income', '5000');
    await addEntry(12, '记-002', '村道路灯电费', 'admin_expense', '1200.50');
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
    await page.locator('[data-test=disclosure-row]').filter({ hasText: `${month.year}年${month.month}月财务收支公开` }).click();
    await page.waitForURL(`**/disclosures/${id}`);
    expect(await page.locator('[data-test=disclosure-edit]').count()).toBe(0);
    failures.push(...(await a11yFailures(page, 'supervisor review')));
    await page.locator('[data-test=disclosure-return]').click();
    await page.locator('[data-test=return-submit]').click();
    await page.locator('[data-test=return-reason-input] .van-field__error-message').waitFor();
    await page.locator('[data-test=return-reason-input] textarea').fill('缺少月底慰问困难户支出 800 元（记-003），请补记并重新核对期末余额。');
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
    expect(await page.locator('[data-test=entry-row]').count()).toBe(3);
    expect(await page.locator('[data-test=balance-state]').textContent()).toContain('收支平衡');
    failures.push(...(await a11yFailures(page, 'resident detail')));
    await b.shot('openness-published-resident');

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

  it('the township watches the schedule: the oversight table and chart, a village’s slots', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.goto('/disclosures');
    expect(await a11yFailures(page, 'township list')).toEqual([]);
  });
});
