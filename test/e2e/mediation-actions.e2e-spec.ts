import { makeIdNumber } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { AGREEMENT, caseBody, caseIn, FOLLOW_UP, givenCast, type MediationCast, SESSION, VILLAGE_A } from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

/**
 * The case view's `actions` (what the UI offers) per role and state, and that every action it lists
 * as blocked is refused by the API with the very reason it showed: the two come from one decision.
 */
let t: TestApp;
let cast: MediationCast;
beforeAll(async () => {
  t = await startTestApp();
  cast = await givenCast(t);
}, 60_000);
afterAll(async () => {
  await t.close();
});

type Who = 'vc' | 'medA' | 'medA2' | 'ts' | 'medT' | 'county';
interface Actions {
  allowed: string[];
  blocked: { action: string; code: string; reason: string }[];
}

async function actionsOf(id: string, who: Who): Promise<Actions & { assignable: { personId: string; name: string }[] }> {
  const r = await t.api.get(`/api/v1/mediation/cases/${id}`, cast[who].token);
  expect([who, r.status]).toEqual([who, 200]);
  return { ...r.body.actions, assignable: r.body.assignable };
}

/** Each action with a body the DTO accepts, so what answers is the decision, not the validation. */
async function attempt(action: string, id: string, who: Who) {
  const p = `/api/v1/mediation/cases/${id}`;
  const token = cast[who].token;
  const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  switch (action) {
    case 'accept':
      return t.api.post(`${p}/accept`, {}, token);
    case 'decline':
      return t.api.post(`${p}/decline`, { reason: '一方当事人拒绝调解' }, token);
    case 'identify': {
      const [party] = await queryRows<{ id: string }>(t.db, `SELECT id FROM mediation_party WHERE case_id = $1 ORDER BY ord LIMIT 1`, [id]);
      return t.api.post(`${p}/parties/${party.id}/id-number`, { idNumber: makeIdNumber('1966-06-06') }, token);
    }
    case 'assign':
      return t.api.post(`${p}/mediators`, { mediatorPersonIds: [cast.medA2.personId] }, token);
    case 'session':
      return t.api.post(`${p}/sessions`, SESSION([cast.medA.personId]), token);
    case 'extend':
      return t.api.post(`${p}/extensions`, { newDueOn: '2099-01-01', consentedOn: today, reason: '双方同意延长' }, token);
    case 'agree':
      return t.api.post(`${p}/agreement`, AGREEMENT, token);
    case 'terminate':
      return t.api.post(`${p}/terminate`, { reason: '调解不成', otherChannels: ['litigation'] }, token);
    case 'follow_up':
      return t.api.post(`${p}/follow-ups`, FOLLOW_UP, token);
    case 'close':
      return t.api.post(`${p}/close`, {}, token);
    case 'escalate':
      return t.api.post(`${p}/escalate`, { reason: '村级难以化解' }, token);
    case 'flag_risk':
      return t.api.post(
        `${p}/risk`,
        { description: '一方扬言报复', policeNotifiedAt: '2026-01-05T08:00:00Z', policeContact: '鲍店派出所' },
        token,
      );
    case 'confirm_apply':
      return t.api.post(`${p}/confirmation`, { appliedOn: today, court: '长子县人民法院' }, token);
    case 'confirm_decide':
      return t.api.post(`${p}/confirmation/outcome`, { outcome: 'confirmed', decidedOn: today }, token);
    default:
      throw new Error(`no such action ${action}`);
  }
}

/** Every blocked action is refused with the same code and message the view showed, and changes nothing. */
async function expectRefusedAsShown(id: string, who: Who, a: Actions) {
  const [before] = await queryRows<{ updated_at: Date }>(t.db, `SELECT updated_at FROM mediation_case WHERE id = $1`, [id]);
  for (const b of a.blocked) {
    const r = await attempt(b.action, id, who);
    expect([who, b.action, r.body.code, r.body.message]).toEqual([who, b.action, b.code, b.reason]);
    expect([403, 409]).toContain(r.status);
  }
  const [after] = await queryRows<{ updated_at: Date }>(t.db, `SELECT updated_at FROM mediation_case WHERE id = $1`, [id]);
  expect(after.updated_at).toEqual(before.updated_at);
}

const NOT_ASSIGNED = '只有指派的调解员或本委员会主管人员可以办理此案件';
const MEMBER_NOT_ASSIGNED = '您尚未被指派为本案调解员，请先指派后再办理';

describe('the actions a case view offers, per role and state', () => {
  it('applied: the committee decides on intake; no one is assigned yet', async () => {
    const c = await caseIn(t, cast, 'applied');
    const expected: Record<Who, string[]> = {
      vc: ['accept', 'decline', 'flag_risk'],
      ts: ['accept', 'decline', 'flag_risk'],
      medA: ['accept', 'decline'],
      medA2: ['accept', 'decline'],
      medT: [],
      county: [],
    };
    for (const who of Object.keys(expected) as Who[]) {
      const a = await actionsOf(c.id, who);
      expect([who, a.allowed]).toEqual([who, expected[who]]);
      await expectRefusedAsShown(c.id, who, a);
    }
    // The parties' ID numbers were all given: 补充身份证号 has nothing to do, so it is neither offered nor listed; the API refuses it.
    expect((await actionsOf(c.id, 'vc')).blocked).toEqual([]);
    const identify = await attempt('identify', c.id, 'vc');
    expect([identify.status, identify.body.code]).toEqual([409, 'MEDIATION_NO_ID_MISSING']);
    // A mediator of the committee is told to get assigned before the case work; the township mediator, who handles it.
    expect((await actionsOf(c.id, 'medA2')).blocked.find((b) => b.action === 'flag_risk')?.reason).toBe(MEMBER_NOT_ASSIGNED);
    expect((await actionsOf(c.id, 'medT')).blocked.find((b) => b.action === 'flag_risk')?.reason).toBe(NOT_ASSIGNED);
    expect((await actionsOf(c.id, 'medT')).blocked.find((b) => b.action === 'accept')?.code).toBe('MEDIATION_NOT_COMMITTEE_MEMBER');
    // Roles without case work see no list at all.
    expect(await actionsOf(c.id, 'county')).toEqual({ allowed: [], blocked: [], assignable: [] });
  });

  it('accepted without a mediator: 记录调解 says 请先指派调解员 until one is assigned from the offered list, then works', async () => {
    const created = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
    const id: string = created.body.id;
    expect((await t.api.post(`/api/v1/mediation/cases/${id}/accept`, {}, cast.vc.token)).status).toBe(200);

    const a = await actionsOf(id, 'vc');
    expect(a.allowed).toEqual(['assign', 'extend', 'terminate', 'escalate', 'flag_risk']);
    expect(a.blocked.find((b) => b.action === 'session')).toEqual({
      action: 'session',
      code: 'MEDIATION_MEDIATORS_REQUIRED',
      reason: '请先指派调解员，调解记录须写明主持调解的调解员',
    });
    // 达成协议 belongs to a later stage (after a session): not listed.
    expect([...a.allowed, ...a.blocked.map((b) => b.action)]).not.toContain('agree');
    expect(new Set(a.assignable.map((m) => m.personId))).toEqual(new Set([cast.medA.personId, cast.medA2.personId]));
    await expectRefusedAsShown(id, 'vc', a);
    // An unassigned mediator of the committee may assign (themselves); the rest waits for that.
    const m = await actionsOf(id, 'medA');
    expect(m.allowed).toEqual(['assign']);
    expect(m.blocked.filter((b) => b.reason === MEMBER_NOT_ASSIGNED).map((b) => b.action)).toEqual([
      'session',
      'extend',
      'terminate',
      'escalate',
      'flag_risk',
    ]);
    await expectRefusedAsShown(id, 'medA', m);

    const pick = a.assignable.find((x) => x.personId === cast.medA.personId)!;
    expect(pick.name).toBe(cast.medA.realName);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${id}/mediators`, { mediatorPersonIds: [pick.personId] }, cast.vc.token)).status,
    ).toBe(200);
    const after = await actionsOf(id, 'medA');
    expect(after.allowed).toEqual(['assign', 'session', 'extend', 'terminate', 'escalate', 'flag_risk']);
    expect(after.assignable.map((x) => x.personId)).toEqual([cast.medA2.personId]);
    const r = await attempt('session', id, 'medA');
    expect(r.status).toBe(200);
    expect((await actionsOf(id, 'medA')).allowed).toContain('agree');
  });

  it('mediating: the assigned mediator and the heads do the work; with everyone assigned, 指派 is no longer offered', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const work = ['assign', 'session', 'extend', 'agree', 'terminate', 'escalate', 'flag_risk'];
    for (const who of ['vc', 'ts', 'medA'] as Who[]) expect([who, (await actionsOf(c.id, who)).allowed]).toEqual([who, work]);
    const other = await actionsOf(c.id, 'medA2');
    expect(other.allowed).toEqual(['assign']);
    await expectRefusedAsShown(c.id, 'medA2', other);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${c.id}/mediators`, { mediatorPersonIds: [cast.medA2.personId] }, cast.medA2.token))
        .status,
    ).toBe(200);
    const full = await actionsOf(c.id, 'vc');
    expect(full.allowed).toEqual(work.filter((x) => x !== 'assign'));
    expect(full.blocked).toEqual([]);
    expect(full.assignable).toEqual([]);
    const again = await attempt('assign', c.id, 'vc');
    expect([again.status, again.body.code]).toEqual([409, 'MEDIATION_NO_ASSIGNABLE_MEDIATOR']);
  });

  it('agreed, then 司法确认 applied and ruled on: each step offered once, in order', async () => {
    const c = await caseIn(t, cast, 'agreed');
    const a = await actionsOf(c.id, 'medA');
    expect(a.allowed).toEqual(['follow_up', 'confirm_apply']);
    expect(a.blocked.map((b) => [b.action, b.code])).toEqual([['confirm_decide', 'MEDIATION_CONFIRMATION_NOT_APPLIED']]);
    await expectRefusedAsShown(c.id, 'medA', a);
    expect((await attempt('confirm_apply', c.id, 'medA')).status).toBe(200);
    const applied = await actionsOf(c.id, 'medA');
    expect(applied.allowed).toEqual(['follow_up', 'confirm_decide']);
    await expectRefusedAsShown(c.id, 'medA', applied);
    expect((await attempt('confirm_decide', c.id, 'medA')).status).toBe(200);
    const decided = await actionsOf(c.id, 'medA');
    expect([decided.allowed, decided.blocked]).toEqual([['follow_up'], []]);
    expect((await attempt('confirm_apply', c.id, 'medA')).body.code).toBe('MEDIATION_CONFIRMATION_EXISTS');
    expect((await attempt('confirm_decide', c.id, 'medA')).body.code).toBe('MEDIATION_CONFIRMATION_DECIDED');
  });

  it('terminated and closed without an agreement: 结案, then nothing listed; the API refuses a 司法确认', async () => {
    const c = await caseIn(t, cast, 'terminated');
    expect((await actionsOf(c.id, 'medA')).allowed).toEqual(['close']);
    expect((await attempt('close', c.id, 'medA')).status).toBe(200);
    const closed = await actionsOf(c.id, 'medA');
    expect([closed.allowed, closed.blocked]).toEqual([[], []]);
    for (const a of ['confirm_apply', 'confirm_decide']) expect((await attempt(a, c.id, 'medA')).body.code).toBe('MEDIATION_NO_AGREEMENT');
  });

  it('the county committee cannot escalate further, and says so', async () => {
    const c = await caseIn(t, cast, 'mediating');
    await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '村级难以化解' }, cast.medA.token);
    await t.api.post(`/api/v1/mediation/cases/${c.id}/mediators`, { mediatorPersonIds: [cast.medT.personId] }, cast.ts.token);
    await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '涉及跨乡镇' }, cast.medT.token);
    await t.api.post(`/api/v1/mediation/cases/${c.id}/mediators`, { mediatorPersonIds: [cast.medC.personId] }, cast.medC.token);
    const r = await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.medC.token);
    expect(r.body.committeeCode).toBe('140428');
    expect(r.body.actions.blocked.find((b: { action: string }) => b.action === 'escalate')).toEqual({
      action: 'escalate',
      code: 'MEDIATION_ESCALATION_TOP',
      reason: '县级调解委员会已是最高一级，不能再上报',
    });
    expect((await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '再上报' }, cast.medC.token)).body.message).toBe(
      '县级调解委员会已是最高一级，不能再上报',
    );
  });

  it('a party reading their own case gets no actions', async () => {
    const resident = await t.given.user('resident', VILLAGE_A);
    const r = await t.api.post(
      '/api/v1/mediation/applications',
      {
        disputeType: 'neighbor',
        summary: '邻居家的狗多次咬伤我家的鸡',
        claims: '拴好狗并赔偿',
        otherParties: [{ role: 'respondent', kind: 'person', name: '孙二', phone: '13912345678' }],
      },
      resident.token,
    );
    expect(r.status).toBe(201);
    const mine = await t.api.get(`/api/v1/mediation/my-cases/${r.body.id}`, resident.token);
    expect(mine.status).toBe(200);
    expect(mine.body.actions).toBeUndefined();
    expect(mine.body.assignable).toBeUndefined();
  });
});
