import { makeIdNumber, makePhone, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, loginThroughUi, openBrowser, PHONE, waitInPage, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let b: BrowserSession;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await b?.close();
  await t?.close();
});

describe('the village register: CSV import with an error report, then fixed', () => {
  it('a village committee member sees each bad row, fixes the file, imports it and finds the people in the register', async () => {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const good1 = makeIdNumber('1975-03-02');
    const good2 = makeIdNumber('1990-11-20');
    const good3 = makeIdNumber('2001-01-09');
    const badId = good2.slice(0, 17) + (good2[17] === '0' ? '1' : '0');
    const phone1 = makePhone();
    const phone2 = makePhone();
    const header = '姓名,身份证号,手机号,户号,村民代表,党员,集体经济组织成员';
    const broken =
      [header, `浏览器甲,${good1},${phone1},H01,是,,`, `浏览器乙,${badId},${phone2},H01,,是,`, `浏览器丙,${good3},${phone1},H02,,,是`].join(
        '\n',
      ) + '\n';
    const fixed =
      [header, `浏览器甲,${good1},${phone1},H01,是,,`, `浏览器乙,${good2},${phone2},H01,,是,`, `浏览器丙,${good3},,H02,,,是`].join('\n') +
      '\n';

    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, committee.phone, committee.password);
    await page.getByText('批量导入').first().click();
    await page.waitForURL('**/register/import');
    // The village is the committee's own: chosen already.
    await waitInPage(page, `document.querySelector('[data-test=division-name]')?.textContent.includes('鲍店东街村')`);

    await page
      .locator('[data-test=file-input]')
      .setInputFiles({ name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + broken, 'utf8') });
    await page.locator('[data-test=import-check]').click();
    const report = page.locator('[data-test=row-errors]');
    await report.waitFor();
    const rows = await report.locator('tbody tr').allTextContents();
    // Line 3: the ID checksum; line 4: the phone repeats line 2's.
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('第 3 行');
    expect(rows[0]).toContain('身份证号');
    expect(rows[0]).toMatch(/校验/);
    expect(rows[1]).toContain('第 4 行');
    expect(rows[1]).toContain('手机号');
    expect(rows[1]).toContain('与第 2 行手机号重复');
    expect(await page.locator('[data-test=form-alert]').textContent()).toContain('有 2 处错误，未导入任何数据');
    expect(await page.locator('[data-test=import-run]').isDisabled()).toBe(true);
    await b.shot('register-import-errors');
    const before = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM person WHERE home_division_code = $1 AND real_name LIKE '浏览器%'`,
      [VILLAGE_A],
    );
    expect(before[0].n).toBe(0);

    await page.locator('[data-test=csv-text] textarea').fill(fixed);
    await page.locator('[data-test=import-check]').click();
    await page.locator('[data-test=check-ok]').waitFor();
    expect(await page.locator('[data-test=check-ok]').textContent()).toContain('共 3 行');
    await page.locator('[data-test=import-run]').click();
    const done = page.locator('[data-test=import-done]');
    await done.waitFor();
    expect(await done.textContent()).toContain('新登记 3 人');
    await b.shot('register-import-done');

    const people = await queryRows<{ real_name: string; household_no: string; roles: string[] }>(
      t.db,
      `SELECT p.real_name, p.household_no,
              ARRAY(SELECT g.role FROM role_grant g WHERE g.person_id = p.id AND g.revoked_at IS NULL ORDER BY g.role)::text[] AS roles
         FROM person p WHERE p.home_division_code = $1 AND p.real_name LIKE '浏览器%' ORDER BY p.real_name`,
      [VILLAGE_A],
    );
    expect(people.map((p) => [p.real_name, p.household_no])).toEqual([
      ['浏览器丙', 'H02'],
      ['浏览器乙', 'H01'],
      ['浏览器甲', 'H01'],
    ]);
    expect(people.find((p) => p.real_name === '浏览器乙')!.roles).toContain('party_member');

    // The register list finds them by name.
    await page.goto('/register');
    await page.locator('.van-search input').fill('浏览器');
    await page.locator('[data-test=search-button]').click();
    await page.locator('[data-test=person-row]').first().waitFor();
    expect(await page.locator('[data-test=person-row]').count()).toBe(3);
    expect(await page.locator('.paged-list').textContent()).toContain('共 3 条');
    await b.shot('register-list');
    expect(b.problems).toEqual([]);
  });
});
