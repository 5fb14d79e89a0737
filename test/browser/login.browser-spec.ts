import { COUNTY, TEST_PASSWORD, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

let t: TestApp;
let b: BrowserSession;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await b?.close();
});

describe('login on a phone', () => {
  it('a resident sees the server message for a wrong password, then logs in at 360 px and sees their role', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.locator('[data-test=login-phone] input').fill(u.phone);
    await page.locator('[data-test=login-password] input').fill('wrong-password-1');
    await page.locator('[data-test=login-submit]').click();
    await expectText(page.locator('[data-test=form-alert]'), '手机号或密码错误');

    await page.locator('[data-test=login-password] input').fill(TEST_PASSWORD);
    await page.locator('[data-test=login-submit]').click();
    const acting = page.locator('[data-test=acting]');
    await expectText(acting, '当前身份：村民');
    await expectText(acting, '鲍店东街村');
    expect(await acting.textContent()).toContain(u.realName);
    // Nothing sticks out sideways on a 360 px screen.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await b.shot('login-phone-home');
    expect(b.problems).toEqual([]);
  });

  it('shows the inline field message from VALIDATION_FAILED for a malformed phone', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await page.goto('/login');
    await page.locator('[data-test=login-phone] input').fill('12345');
    await page.locator('[data-test=login-password] input').fill('whatever-123');
    await page.locator('[data-test=login-submit]').click();
    const fieldError = page.locator('[data-test=login-phone] .van-field__error-message');
    await fieldError.waitFor();
    expect((await fieldError.textContent())?.trim()).toMatch(/手机/);
    await b.shot('login-phone-invalid');
    expect(b.problems).toEqual([]);
  });
});

describe('roles and the acting division', () => {
  it('a person with two roles switches the division they act in, and the menu follows', async () => {
    const u = await t.given.user('village_committee', VILLAGE_A);
    await t.given.grant(u.personId, 'mediator', COUNTY);
    b = await openBrowser(t.baseUrl, DESKTOP);
    const { page } = b;
    await loginThroughUi(page, u.phone, u.password);
    await page.locator('[data-test=switch-role]').click();
    const options = page.locator('[data-test=grant-option]');
    await options.first().waitFor();
    expect(await options.count()).toBe(2);
    await b.shot('roles-switch');
    await options.filter({ hasText: '村委会' }).click();
    await expectText(page.locator('[data-test=acting]'), '当前身份：村委会');
    await page.getByText('村民名册').first().waitFor();

    await page.locator('[data-test=switch-role]').click();
    await options.filter({ hasText: '人民调解员' }).click();
    await expectText(page.locator('[data-test=acting]'), '当前身份：人民调解员');
    await expectText(page.locator('[data-test=acting]'), '长子县');
    // A mediator may not read the register: that entry is gone.
    expect(await page.getByText('村民名册').count()).toBe(0);

    // The choice survives a reload.
    await page.reload();
    await expectText(page.locator('[data-test=acting]'), '当前身份：人民调解员');
    expect(b.problems).toEqual([]);
  });

  it('a committee chair who is also a villager opens as the chair, and is offered the villager role where only it may act', async () => {
    const u = await t.given.user('resident', VILLAGE_A, { extraRoles: ['village_committee', 'collective_member'] });
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, u.phone, u.password);
    await expectText(page.locator('[data-test=acting]'), '当前身份：村委会');
    await page.goto('/proposals');
    await page.locator('[data-test=new-proposal]').waitFor();
    expect(await page.locator('[data-test=role-switch-hint]').count()).toBe(0);

    await page.goto('/joint-requests');
    const hint = page.locator('[data-test=role-switch-hint]');
    await expectText(hint, '切换为村民即可发起联名或签名');
    expect(await page.getByText('发起联名提议').count()).toBe(0);
    await b.shot('role-switch-hint');
    await hint.locator('button').click();
    await page.getByText('发起联名提议').first().waitFor();
    expect(await hint.count()).toBe(0);
    // The choice is remembered on this device.
    await page.reload();
    await page.getByText('发起联名提议').first().waitFor();
    await page.goto('/');
    await expectText(page.locator('[data-test=acting]'), '当前身份：村民');
    expect(b.problems).toEqual([]);
  });

  it('a village mediator in the register as a villager opens as the mediator; a villager who is also a collective member opens as 村民', async () => {
    // Everyone an office is given to is also in the register, so also holds the villager grant.
    const mediator = await t.given.user('mediator', VILLAGE_A, { extraRoles: ['resident'] });
    b = await openBrowser(t.baseUrl, PHONE);
    await loginThroughUi(b.page, mediator.phone, mediator.password);
    await expectText(b.page.locator('[data-test=acting]'), '当前身份：人民调解员');
    await b.page.getByText('登记案件').first().waitFor();
    expect(b.problems).toEqual([]);
    await b.close();

    // The two villager grants have as many permissions; 村民 is the one that may also sign a joint proposal.
    const villager = await t.given.user('collective_member', VILLAGE_A, { extraRoles: ['resident'] });
    b = await openBrowser(t.baseUrl, PHONE);
    await loginThroughUi(b.page, villager.phone, villager.password);
    await expectText(b.page.locator('[data-test=acting]'), '当前身份：村民');
    await b.page.goto('/joint-requests');
    await b.page.getByText('发起联名提议').first().waitFor();
    expect(await b.page.locator('[data-test=role-switch-hint]').count()).toBe(0);
    await b.shot('villager-opens-as-resident');
    expect(b.problems).toEqual([]);
  });

  it('logging out ends the session on the server: the old token is refused', async () => {
    const u = await t.given.user('township_staff', TOWNSHIP_A);
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await loginThroughUi(page, u.phone, u.password);
    const token = await page.evaluate<string>(`JSON.parse(localStorage.getItem('sangong.tokens') ?? '{}').accessToken`);
    expect((await t.api.get('/api/v1/me', token)).status).toBe(200);
    await page.goto('/me');
    await page.locator('[data-test=logout]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.waitForURL('**/login');
    const after = await t.api.get('/api/v1/me', token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_REVOKED');
    expect(b.problems).toEqual([]);
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}
