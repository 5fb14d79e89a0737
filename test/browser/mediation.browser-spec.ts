import path from 'node:path';
import { makeIdNumber, makePhone, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { examine, failuresOf } from './support/a11y.js';
import { assertWebBuilt, DESKTOP, loginThroughUi, openBrowser, PHONE, SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { queryRows } from '../support/sql.js';

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

describe('人民调解 in the browser', () => {
  it('a mediator takes a case from intake to a printed agreement', async () => {
    const mediator = await t.given.user('mediator', VILLAGE_A);
    const applicantId = makeIdNumber('1968-04-12');
    const respondentId = makeIdNumber('1972-09-30');
    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, mediator.phone, mediator.password);
    await page.getByText('登记案件').first().click();
    await page.waitForURL('**/mediation/new');

    await page.locator('[data-test=c-summary] textarea').fill('两家宅基地之间的排水沟堵塞，雨水倒灌进申请人院内。');
    await page.locator('[data-test=c-claims] textarea').fill('请求对方疏通排水沟并赔偿损失 800 元。');
    await page.locator('[data-test=party-0] [data-test=party-name] input').fill('赵大山');
    // A mistyped ID number: the server's checksum message appears under that party's field.
    await page
      .locator('[data-test=party-0] [data-test=party-id] input')
      .fill(applicantId.slice(0, 17) + (applicantId[17] === '1' ? '2' : '1'));
    await page.locator('[data-test=party-0] [data-test=party-phone] input').fill(makePhone());
    await page.locator('[data-test=party-1] [data-test=party-name] input').fill('钱小河');
    await page.locator('[data-test=party-1] [data-test=party-id] input').fill(respondentId);
    await page.locator('[data-test=c-submit]').click();
    const idError = page.locator('[data-test=party-0] [data-test=party-id] .van-field__error-message');
    await idError.waitFor();
    expect(await idError.textContent()).toMatch(/身份证/);
    await b.shot('mediation-intake-error');
    await page.locator('[data-test=party-0] [data-test=party-id] input').fill(applicantId);
    await page.locator('[data-test=c-submit]').click();
    await page.waitForURL(/\/mediation\/cases\/[0-9a-f-]{36}$/);
    const caseId = page.url().split('/').pop()!;
    const caseNo = (await page.locator('[data-test=case-no]').textContent())!.trim();
    expect(caseNo).toMatch(/^（\d{4}）.+调字第\d{3}号$/);

    const step = async (action: string, fill?: () => Promise<void>, status?: string) => {
      await page.locator(`[data-test=case-${action}]`).click();
      await page.locator('[data-test=case-action-form]').waitFor();
      if (fill) await fill();
      await page.locator('[data-test=m-submit]').click();
      if (status) await page.locator('[data-test=case-status]').filter({ hasText: status }).waitFor();
    };
    await step('accept', undefined, '已受理');
    // Not assigned yet: 记录调解 is not offered (it could only fail), and the page says why and what to do.
    await page.locator('button[data-test=case-assign]').waitFor();
    expect(await page.locator('button[data-test=case-session]').count()).toBe(0);
    const why = page.locator('[data-test=case-blocked-reason]').filter({ hasText: '记录调解' });
    expect(await why.textContent()).toContain('您尚未被指派为本案调解员，请先指派后再办理');
    await b.shot('mediation-blocked-actions');
    expect(failuresOf({ [`/mediation/cases/${caseId}`]: await examine(page) })).toEqual([]);
    // 指派调解员 offers the committee's mediators, the mediator themselves ticked.
    await page.locator('[data-test=case-assign]').click();
    const me = page.locator(`[data-test=m-mediator-${mediator.personId}]`);
    await me.waitFor();
    expect(await me.getAttribute('aria-checked')).toBe('true');
    await page.locator('[data-test=m-submit]').click();
    await page.locator('button[data-test=case-session]').waitFor();
    expect(await page.locator('[data-test=case-blocked-reason]').filter({ hasText: '记录调解' }).count()).toBe(0);
    await step(
      'session',
      async () => {
        // Who attended is not filled in for the mediator: they write it.
        expect(await page.locator('[data-test=m-attendees] input').inputValue()).toBe('');
        await page.locator('[data-test=m-attendees] input').fill('赵大山、钱小河');
        await page.locator('[data-test=m-place] input').fill('鲍店东街村调解室');
        await page.locator('[data-test=m-record] textarea').fill('双方到场陈述，查看现场，确认排水沟被杂物堵塞。');
      },
      '调解中',
    );
    await step(
      'agree',
      async () => {
        await page.locator('[data-test=m-points] textarea').fill('排水沟由谁疏通；损失是否赔偿。');
        await page.locator('[data-test=m-resp] textarea').fill('被申请人堆放杂物致排水沟堵塞，负主要责任。');
        await page.locator('[data-test=m-terms] textarea').fill('被申请人于三日内清理杂物、疏通排水沟，并一次性赔偿申请人 500 元。');
        await page.locator('[data-test=m-method] input').fill('现金当面交付，调解员见证');
        const d = new Date(t.clock.now().getTime() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
        await page.locator('[data-test=m-performBy]').fill(d);
        // Nothing is preselected: the form of the agreement and how each party executed it are chosen.
        expect(await page.locator('[data-test=case-action-form] .van-radio[aria-checked=true]').count()).toBe(0);
        await page.locator('[data-test=m-form]').getByText('书面协议').click();
        await page.locator('[data-test=m-mode-0]').getByText('签名').click();
        await page.locator('[data-test=m-mode-1]').getByText('按指印').click();
        await page.locator('[data-test=m-sealed]').click();
      },
      '达成协议',
    );
    await page.locator('[data-test=case-agreement]').waitFor();
    await b.shot('mediation-agreed');

    const [popup] = await Promise.all([b.context.waitForEvent('page'), page.locator('[data-test=print-agreement]').click()]);
    await popup.waitForLoadState();
    const printed = (await popup.locator('body').textContent())!.replace(/\s+/g, '');
    expect(printed).toContain('调解协议书');
    expect(printed).toContain(caseNo);
    expect(printed).toContain('赵大山');
    expect(printed).toContain('钱小河');
    expect(printed).toContain('一次性赔偿申请人500元');
    // The agreement keeps the ID numbers masked.
    expect(printed).not.toContain(applicantId);
    expect(printed).toContain(`${applicantId.slice(0, 4)}**********${applicantId.slice(-4)}`);
    await popup.screenshot({ path: path.join(SCREENSHOTS, 'mediation-agreement-print.png'), fullPage: true });
    await popup.close();

    // The 司法确认申请书 is for the court: full ID numbers, and the print is in the audit log under the mediator's account.
    const [application] = await Promise.all([b.context.waitForEvent('page'), page.locator('[data-test=print-confirmation]').click()]);
    await application.waitForLoadState();
    const applicationText = (await application.locator('body').textContent())!.replace(/\s+/g, '');
    expect(applicationText).toContain('司法确认申请书');
    expect(applicationText).toContain(applicantId);
    expect(applicationText).toContain(respondentId);
    await application.screenshot({ path: path.join(SCREENSHOTS, 'mediation-confirmation-application-print.png'), fullPage: true });
    await application.close();
    const prints = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'mediation.case.print_full' AND target_id = $1 AND account_id = $2`,
      [caseId, mediator.accountId],
    );
    expect(prints[0].n).toBe(1);

    // 回访: how the agreement was performed is not preselected; submitting without it names the field.
    await page.locator('[data-test=case-follow_up]').click();
    await page.locator('[data-test=case-action-form]').waitFor();
    expect(await page.locator('[data-test=m-performance] .van-radio[aria-checked=true]').count()).toBe(0);
    await page.locator('[data-test=m-submit]').click();
    const performanceError = page.locator('[data-test=m-performance] .van-field__error-message');
    await performanceError.waitFor();
    expect(await performanceError.textContent()).toBe('请选择履行情况');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'mediation-follow-up-unchosen.png') });
    expect((await queryRows(t.db, `SELECT 1 FROM mediation_follow_up WHERE case_id = $1`, [caseId])).length).toBe(0);
    await page.locator('[data-test=m-performance]').getByText('部分履行').click();
    await page.locator('[data-test=m-submit]').click();
    await page.locator('[data-test=case-status]').filter({ hasText: '回访中' }).waitFor();
    await step('close', undefined, '已结案');

    const [row] = await queryRows<{ status: string; sessions: number; terms: string }>(
      t.db,
      `SELECT c.status, (SELECT count(*)::int FROM mediation_session s WHERE s.case_id = c.id) AS sessions, a.terms
         FROM mediation_case c JOIN mediation_agreement a ON a.case_id = c.id WHERE c.id = $1`,
      [caseId],
    );
    expect(row).toEqual({ status: 'closed', sessions: 1, terms: '被申请人于三日内清理杂物、疏通排水沟，并一次性赔偿申请人 500 元。' });
    const executions = await queryRows<{ mode: string }>(
      t.db,
      `SELECT e.mode FROM mediation_agreement_execution e JOIN mediation_party p ON p.id = e.party_id WHERE e.case_id = $1 ORDER BY p.ord`,
      [caseId],
    );
    expect(executions.map((e) => e.mode)).toEqual(['sign', 'thumbprint']);
    const [visit] = await queryRows<{ performance: string }>(t.db, `SELECT performance FROM mediation_follow_up WHERE case_id = $1`, [
      caseId,
    ]);
    expect(visit.performance).toBe('partly');
    expect(b.problems).toEqual([]);
  });

  it('a mediator looks at a party’s full ID number, and the township finds who looked in the audit log', async () => {
    const mediator = await t.given.user('mediator', VILLAGE_A);
    const staff = await t.given.user('township_staff', VILLAGE_A.slice(0, 9));
    const idNumber = makeIdNumber('1958-11-20');
    const reg = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: VILLAGE_A,
        source: 'application',
        disputeType: 'neighbor',
        summary: '两家院墙之间的通道被占用',
        claims: '请求恢复通道',
        parties: [
          { role: 'applicant', kind: 'person', name: '冯大年', idNumber },
          { role: 'respondent', kind: 'person', name: '陈小满', idNumber: makeIdNumber('1963-05-05') },
        ],
      },
      mediator.token,
    );
    expect(reg.status).toBe(201);
    expect((await t.api.post(`/api/v1/mediation/cases/${reg.body.id}/accept`, {}, mediator.token)).status).toBe(200);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${reg.body.id}/mediators`, { mediatorPersonIds: [mediator.personId] }, mediator.token))
        .status,
    ).toBe(200);

    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, mediator.phone, mediator.password);
    await page.goto(`/mediation/cases/${reg.body.id}`);
    const shown = page.locator('[data-test=party-id-0]');
    await shown.waitFor();
    expect(await shown.textContent()).toContain(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    expect(await shown.textContent()).not.toContain(idNumber);
    await page.locator('[data-test=reveal-id-0]').click();
    await shown.filter({ hasText: idNumber }).waitFor();
    expect(await page.locator('[data-test=reveal-id-0]').count()).toBe(0);
    await b.shot('mediation-id-revealed');
    expect(failuresOf({ [`/mediation/cases/${reg.body.id}`]: await examine(page) })).toEqual([]);

    const tb = await openBrowser(t.baseUrl, PHONE);
    sessions.push(tb);
    await loginThroughUi(tb.page, staff.phone, staff.password);
    await tb.page.goto('/audit');
    await tb.page.locator('.van-search input').fill('查看 身份证');
    await tb.page.locator('[data-test=search-button]').click();
    const entry = tb.page.locator('[data-test=audit-row]').filter({ hasText: reg.body.caseNo });
    await entry.waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.locator('[data-test=audit-actor]').textContent()).toContain(`操作人：${mediator.realName}（人民调解员）`);
    expect(await entry.textContent()).toContain('查看的是身份证号');
    expect(await entry.textContent()).not.toContain(idNumber);
    await tb.shot('audit-id-reveal');
    // The row leads to the case.
    await entry.click();
    await tb.page.waitForURL(`**/mediation/cases/${reg.body.id}`);
    const [row] = await queryRows<{ account_id: string; field: string }>(
      t.db,
      `SELECT account_id, details->>'field' AS field FROM audit_log WHERE action = 'mediation.party.reveal' AND details->>'caseId' = $1`,
      [reg.body.id],
    );
    expect(row).toEqual({ account_id: mediator.accountId, field: 'idNumber' });
    expect([...b.problems, ...tb.problems]).toEqual([]);
  });

  it('a village mediator escalates a case to the township committee with a reason', async () => {
    const mediator = await t.given.user('mediator', VILLAGE_A);
    const townshipMediator = await t.given.user('mediator', VILLAGE_A.slice(0, 9));
    const reg = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: VILLAGE_A,
        source: 'police_referral',
        referringBody: '鲍店派出所',
        disputeType: 'homestead',
        summary: '宅基地界址争议，双方多次争吵',
        claims: '确认界址',
        parties: [
          { role: 'applicant', kind: 'person', name: '吴甲', idNumber: makeIdNumber('1970-01-01') },
          { role: 'respondent', kind: 'person', name: '郑乙', idNumber: makeIdNumber('1971-01-01') },
        ],
      },
      mediator.token,
    );
    expect(reg.status).toBe(201);
    expect((await t.api.post(`/api/v1/mediation/cases/${reg.body.id}/accept`, {}, mediator.token)).status).toBe(200);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${reg.body.id}/mediators`, { mediatorPersonIds: [mediator.personId] }, mediator.token))
        .status,
    ).toBe(200);

    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    await loginThroughUi(b.page, mediator.phone, mediator.password);
    await b.page.goto(`/mediation/cases/${reg.body.id}`);
    await b.page.locator('[data-test=case-escalate]').click();
    await b.page.locator('[data-test=m-reason] textarea').fill('涉及宅基地审批，村一级无法处理，上报镇调委会。');
    await b.page.locator('[data-test=m-submit]').click();
    await b.page.getByText('移交至 鲍店镇').waitFor();
    await b.shot('mediation-escalated');
    // The village committee no longer handles it: no buttons offered.
    expect(await b.page.locator('button[data-test=case-session], button[data-test=case-escalate]').count()).toBe(0);
    const [row] = await queryRows<{ committee_code: string; status: string }>(
      t.db,
      `SELECT committee_code, status FROM mediation_case WHERE id = $1`,
      [reg.body.id],
    );
    expect(row).toEqual({ committee_code: VILLAGE_A.slice(0, 9), status: 'accepted' });

    // The case is now in the township committee's queue.
    const tb = await openBrowser(t.baseUrl, PHONE);
    sessions.push(tb);
    await loginThroughUi(tb.page, townshipMediator.phone, townshipMediator.password);
    await tb.page.getByText('调解案件').first().click();
    await tb.page.locator('[data-test=case-row]').filter({ hasText: reg.body.caseNo }).waitFor();
    expect([...b.problems, ...tb.problems]).toEqual([]);
  });

  it('a resident applies online on a phone and finds the case among their own', async () => {
    const resident = await t.given.user('resident', VILLAGE_A);
    const b = await openBrowser(t.baseUrl, PHONE);
    sessions.push(b);
    const { page } = b;
    await loginThroughUi(page, resident.phone, resident.password);
    await page.getByText('申请调解').first().click();
    await page.locator('[data-test=c-summary] textarea').fill('邻居家的狗多次咬伤我家的鸡。');
    await page.locator('[data-test=c-claims] textarea').fill('请求对方拴好狗并赔偿。');
    await page.locator('[data-test=party-0] [data-test=party-name] input').fill('孙二');
    await page.locator('[data-test=party-0] [data-test=party-id] input').fill(makeIdNumber('1979-02-02'));
    await page.locator('[data-test=c-submit]').click();
    await page.waitForURL(/\/mediation\/mine\/[0-9a-f-]{36}$/);
    await page.locator('[data-test=case-status]').filter({ hasText: '已申请' }).waitFor();
    await b.shot('mediation-resident-applied');
    await page.goto('/mediation/mine');
    await page.locator('[data-test=case-row]').first().waitFor();
    expect(await page.locator('[data-test=case-row]').count()).toBe(1);
    expect(await page.locator('[data-test=case-row]').textContent()).toContain('孙二');
    expect(b.problems).toEqual([]);
  });

  it('the township dashboard lists an overdue case and charts the year', async () => {
    const staff = await t.given.user('township_staff', VILLAGE_A.slice(0, 9));
    const mediator = await t.given.user('mediator', VILLAGE_A);
    const reg = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: VILLAGE_A,
        source: 'initiative',
        disputeType: 'land_contract',
        summary: '承包地边界争议',
        claims: '确认边界',
        parties: [
          { role: 'applicant', kind: 'person', name: '李甲', idNumber: makeIdNumber('1960-01-01') },
          { role: 'respondent', kind: 'person', name: '周乙', idNumber: makeIdNumber('1961-01-01') },
        ],
      },
      mediator.token,
    );
    expect(reg.status).toBe(201);
    expect((await t.api.post(`/api/v1/mediation/cases/${reg.body.id}/accept`, {}, mediator.token)).status).toBe(200);
    t.clock.advance(40 * 86_400_000);

    const b = await openBrowser(t.baseUrl, DESKTOP);
    sessions.push(b);
    await loginThroughUi(b.page, staff.phone, staff.password);
    await b.page.getByText('调解工作台').first().click();
    const overdue = b.page.locator('[data-test=overdue-row]').filter({ hasText: reg.body.caseNo });
    await overdue.waitFor();
    await b.page.locator('canvas').first().waitFor();
    await b.shot('mediation-dashboard');
    expect(b.problems).toEqual([]);
  });
});
