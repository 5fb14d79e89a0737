import { agreementDates, cstDate, dayKind, loadMediationSettings, mediationDue, OverdueJobService } from '#mediation';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { caseIn, FOLLOW_UP, givenCast, type MediationCast, TOWNSHIP_A, VILLAGE_A, VILLAGE_B } from './mediation-fixtures.js';
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

const DAY = 86_400_000;
let shifted = 0;
const advance = (ms: number) => {
  t.clock.advance(ms);
  shifted += ms;
};
afterEach(() => {
  t.clock.advance(-shifted);
  shifted = 0;
});

async function listed(who: keyof MediationCast, divisionCode: string, scope: 'committee' | 'township', state: 'due_soon' | 'overdue') {
  const r = await t.api.get(`/api/v1/mediation/deadlines?divisionCode=${divisionCode}&scope=${scope}&state=${state}`, cast[who].token);
  expect(r.status).toBe(200);
  return r.body.items as { caseId: string; deadline: string; due: string }[];
}
/**
 * Deadlines follow the holiday calendar (民事诉讼法 Art. 85), so where one falls depends on the day the
 * suite runs: the steps below are placed relative to the stored deadline, which is checked against the rule.
 */
const settings = loadMediationSettings({});
const dueOf = async (id: string) =>
  (await queryRows<{ due_at: Date; accepted_at: Date }>(t.db, `SELECT due_at, accepted_at FROM mediation_case WHERE id = $1`, [id]))[0];
const advanceTo = (at: number) => advance(at - t.clock.now().getTime());
const daysFromToday = (date: string) =>
  Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${cstDate(t.clock.now())}T00:00:00Z`)) / DAY);
const kindsFor = (items: { caseId: string; deadline: string }[], id: string) =>
  items
    .filter((i) => i.caseId === id)
    .map((i) => i.deadline)
    .sort();

describe('mediation deadlines', () => {
  it('an accepted case becomes due soon in its last 7 days and overdue after 30, per committee and per township', async () => {
    const c = await caseIn(t, cast, 'accepted');
    const { due_at, accepted_at } = await dueOf(c.id);
    // The end (24:00 CST) of the 30th day after acceptance, or of the first working day after it.
    const rule = mediationDue(accepted_at, settings);
    expect(due_at.toISOString()).toBe(rule.dueAt.toISOString());
    expect(rule.dueOn >= cstDate(new Date(accepted_at.getTime() + 30 * DAY))).toBe(true);
    expect(rule.unverifiedYear === null ? ['workday', 'makeup_workday'] : [null]).toContain(dayKind(rule.dueOn));

    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual([]);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'overdue'), c.id)).toEqual([]);

    advanceTo(due_at.getTime() - 7 * DAY - 3_600_000);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual([]);
    advance(2 * 3_600_000);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual(['mediation']);
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'township', 'due_soon'), c.id)).toEqual(['mediation']);
    // The township committee's own list holds only its own cases.
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'committee', 'due_soon'), c.id)).toEqual([]);
    expect((await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.vc.token)).body.deadlineState).toBe('due_soon');

    advanceTo(due_at.getTime() + 60_000);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'overdue'), c.id)).toEqual(['mediation']);
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'township', 'overdue'), c.id)).toEqual(['mediation']);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual([]);
    // Another township's official cannot ask for this township's list.
    expect(
      (await t.api.get(`/api/v1/mediation/deadlines?divisionCode=${TOWNSHIP_A}&scope=township&state=overdue`, cast.vcB.token)).status,
    ).toBe(404);
  });

  it('the daily job marks overdue cases once, with an event and an audit row', async () => {
    const late = await caseIn(t, cast, 'mediating');
    const onTime = await caseIn(t, cast, 'accepted');
    const concluded = await caseIn(t, cast, 'agreed');
    const job = t.app.get(OverdueJobService);
    const { due_at } = await dueOf(late.id);
    advanceTo(due_at.getTime() - DAY);
    const early = await job.markOverdue();
    expect(early.ran).toBe(true);
    const marked0 = await queryRows<{ id: string }>(
      t.db,
      `SELECT id FROM mediation_case WHERE overdue_at IS NOT NULL AND id = ANY($1::uuid[])`,
      [[late.id, onTime.id, concluded.id]],
    );
    expect(marked0).toEqual([]);
    // onTime concludes before the deadline; late does not.
    await t.api.post(
      `/api/v1/mediation/cases/${onTime.id}/terminate`,
      { reason: '当事人撤回', otherChannels: ['litigation'] },
      cast.medA.token,
    );
    advanceTo(due_at.getTime() + 60_000);
    const run = await job.markOverdue();
    expect(run.marked).toBeGreaterThanOrEqual(1);
    const marked = await queryRows<{ id: string }>(
      t.db,
      `SELECT id FROM mediation_case WHERE overdue_at IS NOT NULL AND id = ANY($1::uuid[])`,
      [[late.id, onTime.id, concluded.id]],
    );
    expect(marked.map((m) => m.id)).toEqual([late.id]);
    expect((await job.markOverdue()).marked).toBe(0);
    const events = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM mediation_case_event WHERE case_id = $1 AND action = 'overdue'`,
      [late.id],
    );
    expect(events[0].n).toBe(1);
    const audits = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'mediation.case.overdue' AND account_id IS NULL`,
      [late.id],
    );
    expect(audits[0].n).toBe(1);
    const detail = await t.api.get(`/api/v1/mediation/cases/${late.id}`, cast.medA.token);
    expect(detail.body.overdueAt).not.toBeNull();
    expect(detail.body.deadlineState).toBe('overdue');
  });

  it('escalation gives the higher committee a new 30-day window', async () => {
    const c = await caseIn(t, cast, 'mediating');
    advanceTo((await dueOf(c.id)).due_at.getTime() + DAY);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'overdue'), c.id)).toEqual(['mediation']);
    const escalatedAt = t.clock.now();
    await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '超期未能化解' }, cast.medA.token);
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'committee', 'overdue'), c.id)).toEqual([]);
    const renewed = (await dueOf(c.id)).due_at;
    expect(renewed.toISOString()).toBe(mediationDue(escalatedAt, settings).dueAt.toISOString());
    advanceTo(renewed.getTime() - 6 * DAY);
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'committee', 'due_soon'), c.id)).toEqual(['mediation']);
  });

  it('after agreement: the follow-up falls due in 15 days and the 司法确认 window closes after 30', async () => {
    const c = await caseIn(t, cast, 'agreed');
    const d = await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.medA.token);
    const eff = d.body.agreement.effectiveOn as string;
    const plus = (n: number) => new Date(Date.parse(`${eff}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
    const { confirmDeadline } = agreementDates(eff, settings);
    expect(confirmDeadline >= plus(30)).toBe(true);
    expect(d.body.agreement).toMatchObject({ confirmDeadline, followUpDue: plus(15) });
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual([]);
    advance(9 * DAY);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual(['follow_up']);
    advance(7 * DAY);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'overdue'), c.id)).toEqual(['follow_up']);
    advance((daysFromToday(confirmDeadline) - 6) * DAY);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual(['confirmation']);
    // A follow-up visit takes it off the follow-up list; the 司法确认 window still shows.
    await t.api.post(`/api/v1/mediation/cases/${c.id}/follow-ups`, { ...FOLLOW_UP, visitedOn: eff }, cast.medA.token);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'overdue'), c.id)).toEqual([]);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual(['confirmation']);
    advance(8 * DAY);
    expect(kindsFor(await listed('vc', VILLAGE_A, 'committee', 'due_soon'), c.id)).toEqual([]);
  });

  it('cases of another township never appear in this township list', async () => {
    const b = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: VILLAGE_B,
        source: 'initiative',
        disputeType: 'other',
        summary: 'x',
        claims: 'y',
        parties: [
          { role: 'applicant', kind: 'person', name: '甲', idNumber: '11010519491231002X' },
          { role: 'respondent', kind: 'person', name: '乙', idNumber: '11010519491231002X' },
        ],
      },
      cast.vcB.token,
    );
    await t.api.post(`/api/v1/mediation/cases/${b.body.id}/accept`, {}, cast.vcB.token);
    advanceTo((await dueOf(b.body.id)).due_at.getTime() + 60_000);
    expect(kindsFor(await listed('ts', TOWNSHIP_A, 'township', 'overdue'), b.body.id)).toEqual([]);
    expect(kindsFor(await listed('vcB', VILLAGE_B, 'committee', 'overdue'), b.body.id)).toEqual(['mediation']);
  });
});
