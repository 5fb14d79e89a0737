import { calendarYears, cstDate } from '#mediation';
import { makeIdNumber, makePhone } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { AGREEMENT, caseIn, FOLLOW_UP, givenCast, type MediationCast, SESSION, VILLAGE_A } from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let cast: MediationCast;
beforeAll(async () => {
  t = await startTestApp();
  cast = await givenCast(t);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const M = '/api/v1/mediation';
const DAY = 86_400_000;
let shifted = 0;
afterEach(() => {
  t.clock.advance(-shifted);
  shifted = 0;
});
const advance = (ms: number) => {
  t.clock.advance(ms);
  shifted += ms;
};
const post = (path: string, body: unknown, who = cast.vc) => t.api.post(`${M}${path}`, body, who.token);
const getHtml = async (path: string, token: string) => {
  const r = await t.api.get<string>(path, token);
  return { status: r.status, text: String(r.body) };
};
const detail = async (id: string) => (await t.api.get(`${M}/cases/${id}`, cast.medA.token)).body;

describe('a. intake without the other party’s ID number', () => {
  it('a resident applies naming the respondent and a phone only; the ID number is completed at acceptance, masked, audited without the value', async () => {
    const resident = await t.given.user('resident', VILLAGE_A);
    const phone = makePhone();
    const applied = await post(
      '/applications',
      {
        disputeType: 'neighbor',
        summary: '邻居堆放柴草堵住通道',
        claims: '请求清理通道',
        otherParties: [{ role: 'respondent', kind: 'person', name: '赵有田', phone }],
      },
      resident,
    );
    expect(applied.status).toBe(201);
    const [row] = await queryRows<{ id: string; id_number_hash: Buffer | null; phone_masked: string }>(
      t.db,
      `SELECT id, id_number_hash, phone_masked FROM mediation_party WHERE case_id = $1 AND party_role = 'respondent'`,
      [applied.body.id],
    );
    expect(row.id_number_hash).toBeNull();
    expect(row.phone_masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);

    // Neither an ID nor a way to reach the party: refused.
    const unreachable = await post(
      '/applications',
      { disputeType: 'neighbor', summary: 'x', claims: 'y', otherParties: [{ role: 'respondent', kind: 'person', name: '无名' }] },
      resident,
    );
    expect([unreachable.status, unreachable.body.code]).toEqual([400, 'MEDIATION_PARTY_CONTACT']);

    // A written agreement needs the parties' ID numbers: accept, completing it, then it shows masked.
    const idNumber = makeIdNumber('1968-07-02', true);
    const bad = await post(`/cases/${applied.body.id}/accept`, { identifiers: [{ partyId: row.id, idNumber: '110105194912310021' }] });
    expect(bad.status).toBe(400);
    const accepted = await post(`/cases/${applied.body.id}/accept`, { identifiers: [{ partyId: row.id, idNumber }] });
    expect(accepted.status).toBe(200);
    const d = await (await t.api.get(`${M}/cases/${applied.body.id}`, cast.vc.token)).body;
    const respondent = d.parties.find((p: { role: string }) => p.role === 'respondent');
    expect(respondent.idNumberMasked).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
    expect(JSON.stringify(d)).not.toContain(idNumber);
    const audits = await queryRows<{ details: unknown }>(
      t.db,
      `SELECT details FROM audit_log WHERE target_id = $1 AND action = 'mediation.case.accept'`,
      [applied.body.id],
    );
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0].details)).not.toContain(idNumber);
    // Completing it twice is refused: no party lacks an ID number any more.
    const again = await post(`/cases/${applied.body.id}/parties/${row.id}/id-number`, { idNumber });
    expect([again.status, again.body.code]).toEqual([409, 'MEDIATION_NO_ID_MISSING']);
  });

  it('a party that has its ID number and a case with none missing are refused with codes of their own', async () => {
    const resident = await t.given.user('resident', VILLAGE_A);
    const applied = await post(
      '/applications',
      {
        disputeType: 'neighbor',
        summary: '两户共用的井被一户封闭',
        claims: '请求恢复共用',
        otherParties: [
          { role: 'respondent', kind: 'person', name: '孙大成', phone: makePhone() },
          { role: 'third_party', kind: 'person', name: '孙小成', phone: makePhone() },
        ],
      },
      resident,
    );
    expect(applied.status).toBe(201);
    const rows = await queryRows<{ id: string }>(
      t.db,
      `SELECT id FROM mediation_party WHERE case_id = $1 AND party_role <> 'applicant' ORDER BY ord`,
      [applied.body.id],
    );
    const [first, second] = rows.map((r) => r.id);
    const identify = (partyId: string) =>
      post(`/cases/${applied.body.id}/parties/${partyId}/id-number`, { idNumber: makeIdNumber('1970-01-15', true) });
    expect((await identify(first)).status).toBe(200);
    // The other party still lacks one, so the step is open; this party already has its number.
    const twice = await identify(first);
    expect([twice.status, twice.body.code]).toEqual([409, 'MEDIATION_PARTY_ID_PRESENT']);
    expect((await identify(second)).status).toBe(200);
    // Now no party lacks one: the step itself has nothing to do.
    const done = await identify(second);
    expect([done.status, done.body.code]).toEqual([409, 'MEDIATION_NO_ID_MISSING']);
    const stored = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM mediation_party WHERE case_id = $1 AND id_number_hash IS NOT NULL`,
      [applied.body.id],
    );
    expect(stored[0].n).toBe(3);
  });

  it('a written agreement is refused while a party has no ID number; completing it afterwards unblocks it', async () => {
    const created = await post('/cases', {
      committeeCode: VILLAGE_A,
      source: 'initiative',
      disputeType: 'damages',
      summary: '羊吃了邻居的麦苗',
      claims: '赔偿损失',
      parties: [
        { role: 'applicant', kind: 'person', name: '钱多田', idNumber: makeIdNumber('1970-01-01', true), phone: makePhone() },
        { role: 'respondent', kind: 'person', name: '孙放羊', address: '鲍店镇东街 9 号' },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await post(`/cases/${id}/accept`, {})).status).toBe(200);
    expect((await post(`/cases/${id}/mediators`, { mediatorPersonIds: [cast.medA.personId] })).status).toBe(200);
    expect((await post(`/cases/${id}/sessions`, SESSION([cast.medA.personId]), cast.medA)).status).toBe(200);
    const refused = await post(`/cases/${id}/agreement`, AGREEMENT, cast.medA);
    expect([refused.status, refused.body.code]).toEqual([409, 'MEDIATION_PARTY_ID_REQUIRED']);
    expect(refused.body.message).toContain('孙放羊');
    const party = (await detail(id)).parties.find((p: { role: string }) => p.role === 'respondent');
    expect(
      (await post(`/cases/${id}/parties/${party.id}/id-number`, { idNumber: makeIdNumber('1980-02-02', false) }, cast.medA)).status,
    ).toBe(200);
    expect((await post(`/cases/${id}/agreement`, AGREEMENT, cast.medA)).status).toBe(200);
  });
});

describe('b. written agreements: signed, sealed or thumb-printed, then sealed by the committee', () => {
  it('records each party’s mode and the mediators’ signatures; refuses a missing party, a missing seal, and a mediator who does not sign', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const tries: [Record<string, unknown>, string][] = [
      [{ partyExecutions: [{ ord: 0, mode: 'sign' }] }, 'MEDIATION_AGREEMENT_NOT_EXECUTED'],
      [
        {
          partyExecutions: [
            { ord: 0, mode: 'sign' },
            { ord: 0, mode: 'seal' },
          ],
        },
        'MEDIATION_AGREEMENT_EXECUTION_PARTY',
      ],
      [
        {
          partyExecutions: [
            { ord: 0, mode: 'sign' },
            { ord: 5, mode: 'seal' },
          ],
        },
        'MEDIATION_AGREEMENT_EXECUTION_PARTY',
      ],
      [{ committeeSealed: false }, 'MEDIATION_AGREEMENT_NOT_SEALED'],
      [{ committeeSealed: undefined }, 'MEDIATION_AGREEMENT_NOT_SEALED'],
      [{ mediatorPersonIds: [cast.medA2.personId] }, 'MEDIATION_AGREEMENT_MEDIATOR'],
      [{ facts: undefined }, 'MEDIATION_AGREEMENT_CONTENTS'],
    ];
    for (const [over, code] of tries) {
      const r = await post(`/cases/${c.id}/agreement`, { ...AGREEMENT, ...over }, cast.medA);
      expect({ over, status: r.status, code: r.body.code }).toEqual({ over, status: r.status === 409 ? 409 : 400, code });
    }
    const bad = await post(`/cases/${c.id}/agreement`, { ...AGREEMENT, partyExecutions: [{ ord: 0, mode: 'fingerprint' }] }, cast.medA);
    expect(bad.status).toBe(400);
    expect((await detail(c.id)).status).toBe('mediating');

    const ok = await post(`/cases/${c.id}/agreement`, AGREEMENT, cast.medA);
    expect(ok.status).toBe(200);
    const d = await detail(c.id);
    expect(d.status).toBe('agreed');
    expect(d.agreement).toMatchObject({ form: 'written', committeeSealed: true, effectiveOn: cstDate(t.clock.now()) });
    expect(d.agreement.partyExecutions.map((e: { ord: number; mode: string }) => [e.ord, e.mode])).toEqual([
      [0, 'sign'],
      [1, 'thumbprint'],
    ]);
    expect(d.agreement.mediatorSignatures.map((m: { personId: string }) => m.personId)).toEqual([cast.medA.personId]);
    const rows = await queryRows<{ mode: string; party: boolean }>(
      t.db,
      `SELECT mode, party_id IS NOT NULL AS party FROM mediation_agreement_execution WHERE case_id = $1 ORDER BY party DESC, mode`,
      [c.id],
    );
    expect(rows).toEqual([
      { mode: 'sign', party: true },
      { mode: 'thumbprint', party: true },
      { mode: 'sign', party: false },
    ]);
    // The database refuses a mediator who thumb-prints, whatever writes it.
    await expect(
      t.db.query(`UPDATE mediation_agreement_execution SET mode = 'thumbprint' WHERE case_id = $1 AND mediator_person_id IS NOT NULL`, [
        c.id,
      ]),
    ).rejects.toThrow(/mediation_execution_mediator_signs/);

    const html = await getHtml(`${M}/cases/${c.id}/agreement.html`, cast.medA.token);
    expect(html.status).toBe(200);
    expect(html.text).toContain('<h1>人民调解协议书</h1>');
    expect(html.text).toContain('申请人（签名）：王建国');
    expect(html.text).toContain('被申请人（按指印）：李秀英');
  });
});

describe('c. oral agreements', () => {
  it('are recorded by the mediator with their content, need no signatures, take effect the day agreed, and print as a record', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const oral = {
      form: 'oral',
      terms: '被申请人当场赔偿申请人损失 300 元，双方再无争议。',
      performanceMethod: '当场现金支付',
      performBy: cstDate(t.clock.now()),
    };
    const withSignatures = await post(`/cases/${c.id}/agreement`, { ...oral, partyExecutions: [{ ord: 0, mode: 'sign' }] }, cast.medA);
    expect([withSignatures.status, withSignatures.body.code]).toEqual([400, 'MEDIATION_ORAL_AGREEMENT_EXECUTION']);
    const notAssigned = await post(`/cases/${c.id}/agreement`, { ...oral, recordedBy: cast.medA2.personId }, cast.medA);
    expect(notAssigned.body.code).toBe('MEDIATION_AGREEMENT_MEDIATOR');

    const r = await post(`/cases/${c.id}/agreement`, oral, cast.medA);
    expect(r.status).toBe(200);
    const d = await detail(c.id);
    expect(d.agreement).toMatchObject({
      form: 'oral',
      terms: oral.terms,
      facts: null,
      committeeSealed: null,
      recordedByName: cast.medA.realName,
      partyExecutions: [],
      mediatorSignatures: [],
      effectiveOn: cstDate(t.clock.now()),
    });
    const [row] = await queryRows<{ form: string; recorded_by: string; n: number }>(
      t.db,
      `SELECT a.form, a.recorded_by, (SELECT count(*)::int FROM mediation_agreement_execution e WHERE e.case_id = a.case_id) AS n
         FROM mediation_agreement a WHERE a.case_id = $1`,
      [c.id],
    );
    expect(row).toEqual({ form: 'oral', recorded_by: cast.medA.personId, n: 0 });
    const html = await getHtml(`${M}/cases/${c.id}/agreement.html`, cast.medA.token);
    expect(html.text).toContain('<h1>口头调解协议记录</h1>');
    expect(html.text).toContain(`记录人（人民调解员）：${cast.medA.realName}`);
    expect(html.text).not.toContain('class="sig"');
  });
});

describe('d. extension past the month with the parties’ consent', () => {
  it('records the new deadline and the reason; the overdue lists and the daily job use the extended deadline', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const [{ due_at: first }] = await queryRows<{ due_at: Date }>(t.db, `SELECT due_at FROM mediation_case WHERE id = $1`, [c.id]);
    const firstDay = cstDate(first);
    const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
    const today = cstDate(t.clock.now());
    const notLater = await post(`/cases/${c.id}/extensions`, { newDueOn: firstDay, consentedOn: today, reason: '等待鉴定' }, cast.medA);
    expect([notLater.status, notLater.body.code]).toEqual([400, 'MEDIATION_EXTENSION_NOT_LATER']);
    const future = await post(
      `/cases/${c.id}/extensions`,
      { newDueOn: plus(firstDay, 20), consentedOn: plus(today, 1), reason: '等待鉴定' },
      cast.medA,
    );
    expect(future.body.code).toBe('MEDIATION_FUTURE_DATE');
    const outsider = await post(
      `/cases/${c.id}/extensions`,
      { newDueOn: plus(firstDay, 20), consentedOn: today, reason: '等待鉴定' },
      cast.medA2,
    );
    expect(outsider.status).toBe(403);

    const r = await post(
      `/cases/${c.id}/extensions`,
      { newDueOn: plus(firstDay, 20), consentedOn: today, reason: '双方同意待损失鉴定结论出具后继续调解' },
      cast.medA,
    );
    expect(r.status).toBe(200);
    const [row] = await queryRows<{ due_at: Date; n: number; reason: string; previous: Date }>(
      t.db,
      `SELECT c.due_at, (SELECT count(*)::int FROM mediation_extension e WHERE e.case_id = c.id) AS n,
              (SELECT reason FROM mediation_extension e WHERE e.case_id = c.id) AS reason,
              (SELECT previous_due_at FROM mediation_extension e WHERE e.case_id = c.id) AS previous
         FROM mediation_case c WHERE c.id = $1`,
      [c.id],
    );
    expect(row.n).toBe(1);
    expect(row.reason).toBe('双方同意待损失鉴定结论出具后继续调解');
    expect(row.previous.getTime()).toBe(first.getTime());
    expect(cstDate(row.due_at)).toBe(plus(firstDay, 20));
    const d = await detail(c.id);
    expect(d.extensions).toHaveLength(1);
    expect(d.extensions[0]).toMatchObject({ newDueOn: plus(firstDay, 20), consentedOn: today });
    expect(d.history.map((h: { action: string }) => h.action)).toContain('extend');

    // Past the first deadline: not overdue, and the job leaves it alone; past the extended one: overdue.
    advance(first.getTime() - t.clock.now().getTime() + DAY);
    const list = async () =>
      (await t.api.get(`${M}/deadlines?divisionCode=${VILLAGE_A}&scope=committee&state=overdue`, cast.vc.token)).body.items.filter(
        (i: { caseId: string }) => i.caseId === c.id,
      );
    expect(await list()).toEqual([]);
    const { OverdueJobService } = await import('#mediation');
    await t.app.get(OverdueJobService).markOverdue();
    expect((await queryRows(t.db, `SELECT 1 FROM mediation_case WHERE id = $1 AND overdue_at IS NOT NULL`, [c.id])).length).toBe(0);
    advance(row.due_at.getTime() - t.clock.now().getTime() + 60_000);
    expect((await list()).map((i: { deadline: string }) => i.deadline)).toEqual(['mediation']);
  });
});

describe('e. 司法确认 application and outcome', () => {
  it('records the application within the 30 days, the court and the ruling; the deadline leaves the due-soon list once applied', async () => {
    const c = await caseIn(t, cast, 'agreed');
    const a = (await detail(c.id)).agreement;
    const outcomeFirst = await post(`/cases/${c.id}/confirmation/outcome`, { outcome: 'confirmed', decidedOn: a.effectiveOn }, cast.medA);
    expect([outcomeFirst.status, outcomeFirst.body.code]).toEqual([409, 'MEDIATION_CONFIRMATION_NOT_APPLIED']);
    const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
    const early = await post(`/cases/${c.id}/confirmation`, { appliedOn: plus(a.effectiveOn, -1), court: '长子县人民法院' }, cast.medA);
    expect([early.status, early.body.code]).toEqual([400, 'MEDIATION_CONFIRMATION_WINDOW']);

    // Near the end of the window it is listed as due soon; applying takes it off.
    advance(Date.parse(`${a.confirmDeadline}T00:00:00Z`) - Date.parse(`${cstDate(t.clock.now())}T00:00:00Z`) - 3 * DAY);
    const dueSoon = async () =>
      (await t.api.get(`${M}/deadlines?divisionCode=${VILLAGE_A}&scope=committee&state=due_soon`, cast.vc.token)).body.items
        .filter((i: { caseId: string }) => i.caseId === c.id)
        .map((i: { deadline: string }) => i.deadline);
    expect(await dueSoon()).toContain('confirmation');
    const appliedOn = cstDate(t.clock.now());
    const r = await post(`/cases/${c.id}/confirmation`, { appliedOn, court: '长子县人民法院' }, cast.medA);
    expect(r.status).toBe(200);
    expect(await dueSoon()).not.toContain('confirmation');
    const twice = await post(`/cases/${c.id}/confirmation`, { appliedOn, court: '长子县人民法院' }, cast.medA);
    expect(twice.body.code).toBe('MEDIATION_CONFIRMATION_EXISTS');

    // The case may close (after the follow-up) before the court rules; the ruling is still recorded.
    expect((await post(`/cases/${c.id}/follow-ups`, { ...FOLLOW_UP, visitedOn: appliedOn }, cast.medA)).status).toBe(200);
    expect((await post(`/cases/${c.id}/close`, {}, cast.medA)).status).toBe(200);
    const before = await post(`/cases/${c.id}/confirmation/outcome`, { outcome: 'confirmed', decidedOn: plus(appliedOn, -1) }, cast.medA);
    expect(before.body.code).toBe('MEDIATION_CONFIRMATION_ORDER');
    advance(5 * DAY);
    const decidedOn = plus(appliedOn, 4);
    expect((await post(`/cases/${c.id}/confirmation/outcome`, { outcome: 'rejected', decidedOn }, cast.medA)).status).toBe(200);
    const decidedTwice = await post(`/cases/${c.id}/confirmation/outcome`, { outcome: 'confirmed', decidedOn }, cast.medA);
    expect(decidedTwice.body.code).toBe('MEDIATION_CONFIRMATION_DECIDED');
    const d = await detail(c.id);
    expect(d.status).toBe('closed');
    expect(d.agreement.confirmation).toEqual({ appliedOn, court: '长子县人民法院', outcome: 'rejected', decidedOn });
    const [row] = await queryRows(
      t.db,
      `SELECT to_char(applied_on, 'YYYY-MM-DD') AS applied, court, outcome FROM mediation_confirmation WHERE case_id = $1`,
      [c.id],
    );
    expect(row).toEqual({ applied: appliedOn, court: '长子县人民法院', outcome: 'rejected' });
    const html = await getHtml(`${M}/cases/${c.id}/agreement.html`, cast.medA.token);
    expect(html.text).toContain('裁定驳回申请');
  });

  it('refuses an application after the window', async () => {
    const c = await caseIn(t, cast, 'agreed');
    const a = (await detail(c.id)).agreement;
    advance(Date.parse(`${a.confirmDeadline}T00:00:00Z`) - Date.parse(`${cstDate(t.clock.now())}T00:00:00Z`) + 2 * DAY);
    const late = await post(`/cases/${c.id}/confirmation`, { appliedOn: cstDate(t.clock.now()), court: '长子县人民法院' }, cast.medA);
    // Past the window: late, or (when the window's year has no calendar yet) not decidable.
    expect(late.status).toBe(a.confirmUnverifiedYear ? 409 : 400);
    expect(late.body.code).toBe(a.confirmUnverifiedYear ? 'MEDIATION_CALENDAR_MISSING' : 'MEDIATION_CONFIRMATION_WINDOW');
  });
});

describe('f. deadlines in a year without a holiday calendar', () => {
  it('are stored unadjusted and flagged with the missing year, never guessed', async () => {
    const lastYear = Math.max(...calendarYears());
    // Move into the first year without a calendar (forward only: tokens are issued by today's clock).
    const target = Date.parse(`${lastYear + 1}-03-02T02:00:00Z`);
    if (target > t.clock.now().getTime()) advance(target - t.clock.now().getTime());
    const c = await caseIn(t, cast, 'accepted');
    const d = await detail(c.id);
    const year = Number(cstDate(new Date(d.dueAt)).slice(0, 4));
    expect(calendarYears()).not.toContain(year);
    expect(d.dueUnverifiedYear).toBe(year);
    const acceptedDay = cstDate(new Date(d.acceptedAt));
    expect(cstDate(new Date(d.dueAt))).toBe(new Date(Date.parse(`${acceptedDay}T00:00:00Z`) + 30 * DAY).toISOString().slice(0, 10));
  });
});
