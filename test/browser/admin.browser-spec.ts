import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { Locator } from 'playwright-core';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession, waitInPage } from './support/browser.js';
import { queryRows } from '../support/sql.js';

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

/** The element is what the user sees at its centre: inside the window, not scrolled out of its sheet, not covered. */
async function onScreen(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    // The page's window (this project compiles its tests without the DOM library).
    const w = globalThis as unknown as {
      innerWidth: number;
      innerHeight: number;
      document: { elementFromPoint(x: number, y: number): unknown };
    };
    const r = node.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    if (r.height === 0 || y < 0 || y > w.innerHeight || x < 0 || x > w.innerWidth) return false;
    const hit = w.document.elementFromPoint(x, y) as typeof node;
    return !!hit && (node === hit || node.contains(hit));
  });
}

describe('roles and the audit log in the browser', () => {
  it('township staff grant a role to a registered person and find the grant in the audit log', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const person = await t.given.person(VILLAGE_A, { roles: ['resident'], name: '授权测试人' });
    b = await openBrowser(t.baseUrl, DESKTOP);
    const { page } = b;
    await loginThroughUi(page, staff.phone, staff.password);
    await page.getByText('角色授权').first().click();
    await page.getByRole('button', { name: '授予角色' }).click();
    const sheet = page.locator('.van-popup:visible');
    await sheet.locator('.van-search input').fill('授权测试人');
    await sheet.locator('button').filter({ hasText: '搜索' }).click();
    await sheet.getByText('授权测试人').click();
    await sheet
      .locator('.van-cell')
      .filter({ hasText: /^村民代表$/ })
      .click();
    // The grant is committed before the register's make-up is read: reading it earlier raced the click.
    const granted = page.waitForResponse((r) => r.url().endsWith('/api/v1/grants') && r.request().method() === 'POST');
    await sheet.getByRole('button', { name: '确认授予' }).click();
    expect((await granted).status()).toBe(201);
    // The register warns (not refuses) when the 村民代表会议's make-up falls short of Art. 25: the warnings
    // the server computes for this village are the ones the dialog shows.
    const composition = await t.api.get(`/api/v1/villages/${VILLAGE_A}/representatives-meeting`, staff.token);
    expect(composition.status).toBe(200);
    if (composition.body.warnings.length) {
      const dialog = page.locator('.van-dialog').filter({ hasText: '登记提示' });
      await dialog.waitFor();
      for (const w of composition.body.warnings as string[]) expect(await dialog.textContent()).toContain(w);
      await dialog.locator('.van-dialog__confirm').click();
    }
    await page.locator('.van-cell').filter({ hasText: '授权测试人 · 村民代表' }).waitFor();
    await b.shot('grants');
    const rows = await queryRows<{ role: string }>(
      t.db,
      `SELECT role FROM role_grant WHERE person_id = $1 AND revoked_at IS NULL ORDER BY role`,
      [person.personId],
    );
    expect(rows.map((r) => r.role)).toEqual(['resident', 'village_representative']);

    // A township mediator: the role's levels are offered, the township is filled in, no code is typed;
    // roles above the granter's own are not offered at all.
    await page.getByRole('button', { name: '授予角色' }).click();
    await sheet.locator('.van-search input').fill('授权测试人');
    await sheet.locator('button').filter({ hasText: '搜索' }).click();
    await sheet.getByText('授权测试人').click();
    expect(
      await sheet
        .locator('.van-cell')
        .filter({ hasText: /^县（区）管理员$/ })
        .count(),
    ).toBe(0);
    await sheet
      .locator('.van-cell')
      .filter({ hasText: /^人民调解员$/ })
      .click();
    await sheet.locator('.van-radio').filter({ hasText: '乡镇（街道）' }).click();
    await waitInPage(page, `[...document.querySelectorAll('[data-test=division-name]')].some((t) => t.textContent.includes('鲍店镇'))`);
    await b.shot('grant-mediator-township');
    await sheet.locator('[data-test=grant-submit]').click();
    await page.locator('.van-cell').filter({ hasText: '授权测试人 · 人民调解员' }).waitFor();
    const mediator = await queryRows<{ division_code: string }>(
      t.db,
      `SELECT division_code FROM role_grant WHERE person_id = $1 AND role = 'mediator' AND revoked_at IS NULL`,
      [person.personId],
    );
    expect(mediator).toEqual([{ division_code: TOWNSHIP_A }]);

    await page.goto('/audit');
    // Found by the Chinese words of the action; the row names the person who did it and the role they acted in.
    await page.locator('.van-search input').fill('授予角色');
    await page.locator('[data-test=search-button]').click();
    const entry = page.locator('[data-test=audit-row]').filter({ hasText: '授予角色' }).first();
    await entry.waitFor();
    expect(await entry.locator('[data-test=audit-actor]').textContent()).toContain(`操作人：${staff.realName}（乡镇干部）`);
    expect(await entry.textContent()).toContain('对象：角色授权');
    expect(await entry.textContent()).not.toContain('grant.create');
    await b.shot('audit');
    expect(b.problems).toEqual([]);
  });

  it('at 360 px a refused grant says why beside the field or the button it is about, on screen (issue 12 item 8)', async () => {
    // A county administrator: a township is picked by hand (a township's staff have theirs filled in).
    const admin = await t.given.user('county_admin', COUNTY);
    await t.given.person(VILLAGE_A, { roles: ['resident', 'village_representative'], name: '重复授权人' });
    await b?.close();
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, admin.phone, admin.password);
    await page.goto('/grants');
    await page.getByRole('button', { name: '授予角色' }).click();
    const sheet = page.locator('.van-popup:visible');
    await sheet.locator('.van-search input').fill('重复授权人');
    await sheet.locator('button').filter({ hasText: '搜索' }).click();
    await sheet.getByText('重复授权人').click();
    const submit = sheet.locator('[data-test=grant-submit]');

    // A township mediator with no township picked: the message is under the picker, scrolled into view.
    await sheet
      .locator('.van-cell')
      .filter({ hasText: /^人民调解员$/ })
      .click();
    await sheet.locator('.van-radio').filter({ hasText: '乡镇（街道）' }).click();
    await submit.click();
    const fieldError = sheet.locator('[data-test=division-picker-error]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('请选择授予角色所在的乡镇（街道）');
    expect(await onScreen(fieldError)).toBe(true);
    await b.shot('grant-field-error-360');

    // 村民代表, which the person already holds in the village: the server refuses; its reason is beside the button.
    await sheet
      .locator('.van-cell')
      .filter({ hasText: /^村民代表$/ })
      .click();
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/grants') && r.request().method() === 'POST');
    await submit.click();
    expect((await refused).status()).toBe(409);
    const alert = sheet.locator('[data-test=form-alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('该人员已在此区划持有该角色');
    expect(await onScreen(alert)).toBe(true);
    expect(await onScreen(submit)).toBe(true);
    const [a, s] = [(await alert.boundingBox())!, (await submit.boundingBox())!];
    expect(Math.abs(s.y - (a.y + a.height))).toBeLessThan(60);
    await b.shot('grant-refused-360');
    expect(b.problems).toEqual([]);
  });

  it('a county administrator checks the audit chain, sees its head, and sees a tampered row named', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    await b?.close();
    b = await openBrowser(t.baseUrl, DESKTOP);
    const { page } = b;
    await loginThroughUi(page, admin.phone, admin.password);
    await page.goto('/audit');
    await page.locator('[data-test=verify-chain]').click();
    await page.locator('[data-test=chain-result]').filter({ hasText: '链完整' }).waitFor();
    const [max] = await queryRows<{ seq: string; hash: string }>(
      t.db,
      `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`,
    );
    expect(await page.locator('[data-test=chain-head-seq]').textContent()).toBe(max.seq);
    expect(await page.locator('[data-test=chain-head-hash]').textContent()).toBe(max.hash);
    // The list reloads after the check: its rows show their numbers, none is left waiting.
    await page
      .locator('.van-cell')
      .filter({ hasText: `#${max.seq}` })
      .first()
      .waitFor();
    await b.shot('audit-chain');

    // A superuser edits a sealed row behind the application's back.
    await t.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard');
    try {
      await t.db.query(`UPDATE audit_log SET result = 'denied' WHERE seq = 1`);
    } finally {
      await t.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard');
    }
    await page.locator('[data-test=verify-chain]').click();
    await page.locator('[data-test=chain-result]').filter({ hasText: '链断裂' }).waitFor();
    expect(await page.locator('[data-test=audit-chain]').textContent()).toContain('第 1 号：该行内容与其哈希不符（被改动）');
    expect(b.problems).toEqual([]);
  });
});
