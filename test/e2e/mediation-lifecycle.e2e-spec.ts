import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  AGREEMENT,
  caseIn,
  FOLLOW_UP,
  givenCast,
  type MediationCast,
  SESSION,
  TARGET_STATES,
  type TargetState,
  TOWNSHIP_A,
  VILLAGE_A,
} from './mediation-fixtures.js';
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

type Who = keyof MediationCast;
type Action = 'accept' | 'decline' | 'assign' | 'session' | 'agree' | 'terminate' | 'follow_up' | 'close' | 'escalate' | 'flag_risk';

/** The expected lifecycle, written out independently of the implementation's table. */
const FROM: Record<Action, TargetState[]> = {
  accept: ['applied'],
  decline: ['applied'],
  assign: ['accepted', 'mediating'],
  session: ['accepted', 'mediating'],
  agree: ['mediating'],
  terminate: ['accepted', 'mediating'],
  follow_up: ['agreed', 'follow_up'],
  close: ['follow_up', 'terminated'],
  escalate: ['accepted', 'mediating'],
  flag_risk: ['applied', 'accepted', 'mediating'],
};
const TO: Record<Action, TargetState | 'same'> = {
  accept: 'accepted',
  decline: 'declined',
  assign: 'same',
  session: 'mediating',
  agree: 'agreed',
  terminate: 'terminated',
  follow_up: 'follow_up',
  close: 'closed',
  escalate: 'accepted',
  flag_risk: 'same',
};
/** Intake decisions: the committee's head, the township, any mediator of the committee. Case work: head, township, assigned mediator. */
const INTAKE: Who[] = ['vc', 'ts', 'medA', 'medA2'];
const HANDLERS: Who[] = ['vc', 'ts', 'medA'];
const MAY: Record<Action, Who[]> = {
  accept: INTAKE,
  decline: INTAKE,
  assign: INTAKE,
  session: HANDLERS,
  agree: HANDLERS,
  terminate: HANDLERS,
  follow_up: HANDLERS,
  close: HANDLERS,
  escalate: HANDLERS,
  flag_risk: HANDLERS,
};
/** Roles the route's permission refuses outright (403), and a role whose scope does not reach village A (404).
 * The township and county mediators see village cases (restricted) but have no relation to them: 403. */
const NO_PERMISSION: Who[] = ['county', 'resident'];
const OUT_OF_SCOPE: Who[] = ['vcB'];
const ROLES: Who[] = ['vc', 'medA', 'medA2', 'ts', 'county', 'vcB', 'resident', 'medT', 'medC'];
const ACTIONS = Object.keys(FROM) as Action[];

function call(action: Action, id: string, who: Who) {
  const p = `/api/v1/mediation/cases/${id}`;
  const token = cast[who].token;
  switch (action) {
    case 'accept':
      return t.api.post(`${p}/accept`, {}, token);
    case 'decline':
      return t.api.post(`${p}/decline`, { reason: '一方当事人拒绝调解' }, token);
    case 'assign':
      return t.api.post(`${p}/mediators`, { mediatorPersonIds: [cast.medA.personId, cast.medA2.personId] }, token);
    case 'session':
      return t.api.post(`${p}/sessions`, SESSION([cast.medA.personId]), token);
    case 'agree':
      return t.api.post(`${p}/agreement`, AGREEMENT, token);
    case 'terminate':
      return t.api.post(`${p}/terminate`, { reason: '调解不成', otherChannels: ['litigation', 'arbitration'] }, token);
    case 'follow_up':
      return t.api.post(`${p}/follow-ups`, FOLLOW_UP, token);
    case 'close':
      return t.api.post(`${p}/close`, {}, token);
    case 'escalate':
      return t.api.post(`${p}/escalate`, { reason: '涉及多户，村级难以化解' }, token);
    case 'flag_risk':
      return t.api.post(
        `${p}/risk`,
        { description: '一方扬言报复', policeNotifiedAt: '2026-01-05T08:00:00Z', policeContact: '鲍店派出所 张警官' },
        token,
      );
  }
}

async function statusOf(id: string): Promise<{ status: string; committee_code: string }> {
  const [r] = await queryRows<{ status: string; committee_code: string }>(
    t.db,
    `SELECT status, committee_code FROM mediation_case WHERE id = $1`,
    [id],
  );
  return r;
}

describe('mediation lifecycle: every (state, action, role)', () => {
  // One case per state serves every refused call (refusals change nothing, which is asserted);
  // each allowed combination gets a fresh case in that state.
  const shared = new Map<TargetState, string>();
  beforeAll(async () => {
    for (const s of TARGET_STATES) shared.set(s, (await caseIn(t, cast, s)).id);
  });

  for (const state of TARGET_STATES) {
    for (const action of ACTIONS) {
      it(`${state} × ${action}`, async () => {
        for (const who of ROLES) {
          const allowedHere = FROM[action].includes(state);
          // Mediators are assigned on acceptance: before it, medA is just a member of the committee like medA2.
          const relation: Who = who === 'medA' && (state === 'applied' || state === 'declined') ? 'medA2' : who;
          const mayAct = MAY[action].includes(relation);
          if (NO_PERMISSION.includes(who)) {
            const r = await call(action, shared.get(state)!, who);
            expect([who, r.status]).toEqual([who, 403]);
            expect(r.body.code).toBe('PERMISSION_DENIED');
          } else if (OUT_OF_SCOPE.includes(who)) {
            const r = await call(action, shared.get(state)!, who);
            expect([who, r.status]).toEqual([who, 404]);
          } else if (!mayAct) {
            const r = await call(action, shared.get(state)!, who);
            expect([who, r.status]).toEqual([who, 403]);
            expect(r.body.code).toMatch(/^MEDIATION_NOT_(ASSIGNED|COMMITTEE_MEMBER)$/);
          } else if (!allowedHere) {
            const r = await call(action, shared.get(state)!, who);
            expect([who, r.status, r.body.code]).toEqual([who, 409, 'MEDIATION_CASE_WRONG_STATE']);
          } else {
            const fresh = (await caseIn(t, cast, state)).id;
            const auditCount = async () =>
              (
                await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = $2`, [
                  fresh,
                  `mediation.case.${action}`,
                ])
              )[0].n;
            const before = await auditCount();
            const r = await call(action, fresh, who);
            expect([who, r.status]).toEqual([who, 200]);
            const after = await statusOf(fresh);
            const expected = TO[action] === 'same' ? state : TO[action];
            expect([who, after.status]).toEqual([who, expected]);
            expect(after.committee_code).toBe(action === 'escalate' ? TOWNSHIP_A : VILLAGE_A);
            expect(await auditCount()).toBe(before + 1);
          }
        }
        // Refusals left the shared case where it was.
        expect((await statusOf(shared.get(state)!)).status).toBe(state);
      });
    }
  }
});

describe('escalation, decline and termination', () => {
  it('escalates twice, village → township → county, keeping the history and the number', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const up1 = await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '村级调解不成' }, cast.medA.token);
    expect(up1.body).toMatchObject({ status: 'accepted', committeeCode: TOWNSHIP_A, caseNo: c.caseNo });
    // The village mediator's assignment ended with the move: they can no longer work on it.
    const late = await t.api.post(`/api/v1/mediation/cases/${c.id}/sessions`, SESSION([cast.medA.personId]), cast.medA.token);
    expect(late.status).toBe(403);
    // It is in the township committee's queue now.
    const queue = await t.api.get(`/api/v1/mediation/cases?divisionCode=${TOWNSHIP_A}&status=accepted`, cast.ts.token);
    expect(
      queue.body.items.filter((i: { id: string; committeeCode: string }) => i.id === c.id && i.committeeCode === TOWNSHIP_A),
    ).toHaveLength(1);
    const assign = await t.api.post(
      `/api/v1/mediation/cases/${c.id}/mediators`,
      { mediatorPersonIds: [cast.medT.personId] },
      cast.ts.token,
    );
    expect(assign.status).toBe(200);
    // The township committee's only mediator is assigned: nobody is left to assign.
    const nobody = await t.api.post(
      `/api/v1/mediation/cases/${c.id}/mediators`,
      { mediatorPersonIds: [cast.medA2.personId] },
      cast.ts.token,
    );
    expect([nobody.status, nobody.body.code]).toEqual([409, 'MEDIATION_NO_ASSIGNABLE_MEDIATOR']);
    // With a second one there, a village mediator still cannot be assigned at the township committee.
    await t.given.user('mediator', TOWNSHIP_A);
    const wrong = await t.api.post(
      `/api/v1/mediation/cases/${c.id}/mediators`,
      { mediatorPersonIds: [cast.medA2.personId] },
      cast.ts.token,
    );
    expect([wrong.status, wrong.body.code]).toEqual([400, 'MEDIATION_NOT_A_MEDIATOR']);
    const up2 = await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '涉及跨乡镇' }, cast.medT.token);
    expect(up2.body).toMatchObject({ status: 'accepted', committeeCode: '140428' });
    // The county is the top.
    await t.api.post(`/api/v1/mediation/cases/${c.id}/mediators`, { mediatorPersonIds: [cast.medC.personId] }, cast.medC.token);
    const up3 = await t.api.post(`/api/v1/mediation/cases/${c.id}/escalate`, { reason: '再上报' }, cast.medC.token);
    expect([up3.status, up3.body.code]).toEqual([409, 'MEDIATION_ESCALATION_TOP']);

    const detail = await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.medC.token);
    expect(detail.status).toBe(200);
    expect(detail.body.escalationCount).toBe(2);
    expect(detail.body.caseNo).toBe(c.caseNo);
    const moves = detail.body.history.filter((h: { action: string }) => h.action === 'escalate');
    expect(moves.map((m: { fromCommittee: string; toCommittee: string }) => [m.fromCommittee, m.toCommittee])).toEqual([
      [VILLAGE_A, TOWNSHIP_A],
      [TOWNSHIP_A, '140428'],
    ]);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual([
      'register',
      'accept',
      'assign',
      'session',
      'escalate',
      'assign',
      'escalate',
      'assign',
    ]);
    expect(detail.body.sessions).toHaveLength(1);
    // The village committee still sees the case it escalated, but no longer as its head.
    const fromVillage = await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.vc.token);
    expect([fromVillage.status, fromVillage.body.view]).toEqual([200, 'restricted']);
  });

  it('declines with the reason (a party refuses, Art. 17)', async () => {
    const c = await caseIn(t, cast, 'applied');
    const r = await t.api.post(`/api/v1/mediation/cases/${c.id}/decline`, { reason: '被申请人拒绝调解' }, cast.medA2.token);
    expect(r.body.status).toBe('declined');
    const [row] = await queryRows<{ outcome: string; decline_reason: string; concluded_at: Date }>(
      t.db,
      `SELECT outcome, decline_reason, concluded_at FROM mediation_case WHERE id = $1`,
      [c.id],
    );
    expect(row).toMatchObject({ outcome: 'declined', decline_reason: '被申请人拒绝调解' });
    expect(row.concluded_at).not.toBeNull();
    const empty = await t.api.post(`/api/v1/mediation/cases/${c.id}/decline`, {}, cast.vc.token);
    expect(empty.status).toBe(400);
  });

  it('terminates with the reason and the other channels the parties were told of (Art. 26)', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const none = await t.api.post(`/api/v1/mediation/cases/${c.id}/terminate`, { reason: '调解不成', otherChannels: [] }, cast.medA.token);
    expect(none.status).toBe(400);
    const r = await t.api.post(
      `/api/v1/mediation/cases/${c.id}/terminate`,
      { reason: '调解不成', otherChannels: ['arbitration', 'litigation'] },
      cast.medA.token,
    );
    expect(r.body.status).toBe('terminated');
    const d = await t.api.get(`/api/v1/mediation/cases/${c.id}`, cast.medA.token);
    expect(d.body).toMatchObject({ outcome: 'terminated', terminateReason: '调解不成', otherChannels: ['arbitration', 'litigation'] });
    const closed = await t.api.post(`/api/v1/mediation/cases/${c.id}/close`, {}, cast.medA.token);
    expect(closed.body.status).toBe('closed');
  });

  it('a violence risk alerts the township at once and records that the police were told', async () => {
    const c = await caseIn(t, cast, 'accepted');
    const r = await t.api.post(
      `/api/v1/mediation/cases/${c.id}/risk`,
      { description: '一方持械威胁', policeNotifiedAt: '2026-01-05T08:00:00Z', policeContact: '鲍店派出所' },
      cast.medA.token,
    );
    expect(r.status).toBe(200);
    const alerts = await t.api.get('/api/v1/mediation/alerts', cast.ts.token);
    const mine = alerts.body.items.filter((a: { caseId: string }) => a.caseId === c.id);
    expect(mine).toEqual([
      expect.objectContaining({
        townshipCode: TOWNSHIP_A,
        kind: 'violence_risk',
        policeContact: '鲍店派出所',
        policeNotifiedAt: '2026-01-05T08:00:00.000Z',
      }),
    ]);
    const other = await t.api.get('/api/v1/mediation/alerts', cast.vcB.token);
    expect(other.body.items.some((a: { caseId: string }) => a.caseId === c.id)).toBe(false);
    const [row] = await queryRows<{ violence_risk: boolean; risk_level: string }>(
      t.db,
      `SELECT violence_risk, risk_level FROM mediation_case WHERE id = $1`,
      [c.id],
    );
    expect(row).toEqual({ violence_risk: true, risk_level: 'high' });
  });

  it('two handlers racing on the same transition: one wins, the other gets 409', async () => {
    const c = await caseIn(t, cast, 'mediating');
    const [a, b] = await Promise.all([
      t.api.post(`/api/v1/mediation/cases/${c.id}/agreement`, AGREEMENT, cast.medA.token),
      t.api.post(`/api/v1/mediation/cases/${c.id}/terminate`, { reason: '调解不成', otherChannels: ['litigation'] }, cast.vc.token),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const agreements = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM mediation_agreement WHERE case_id = $1`, [
      c.id,
    ]);
    expect(agreements[0].n).toBe(a.status === 200 ? 1 : 0);
  });
});

describe('intake', () => {
  it('a resident applies online, is linked as the applicant and sees the case under my cases', async () => {
    const me = await t.given.user('resident', VILLAGE_A);
    const r = await t.api.post(
      '/api/v1/mediation/applications',
      {
        disputeType: 'homestead',
        summary: '宅基地界址争议',
        claims: '请求确认界址',
        otherParties: [{ role: 'respondent', kind: 'person', name: '赵德明', idNumber: '11010519491231002X' }],
      },
      me.token,
    );
    expect(r.status).toBe(201);
    expect(r.body.caseNo).toMatch(/^（\d{4}）长子鲍店东街调字第\d{3}号$/);
    const [party] = await queryRows<{ person_id: string; name: string }>(
      t.db,
      `SELECT person_id, name FROM mediation_party WHERE case_id = $1 AND party_role = 'applicant'`,
      [r.body.id],
    );
    expect(party).toEqual({ person_id: me.personId, name: me.realName });
    const mine = await t.api.get('/api/v1/mediation/my-cases', me.token);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([r.body.id]);
    const detail = await t.api.get(`/api/v1/mediation/my-cases/${r.body.id}`, me.token);
    expect(detail.body).toMatchObject({ status: 'applied', source: 'application', view: 'party' });
    // Another resident does not see it, and residents cannot use the staff list.
    const other = await t.given.user('resident', VILLAGE_A);
    expect((await t.api.get(`/api/v1/mediation/my-cases/${r.body.id}`, other.token)).status).toBe(404);
    expect((await t.api.get('/api/v1/mediation/my-cases', other.token)).body.items).toEqual([]);
    expect((await t.api.get(`/api/v1/mediation/cases/${r.body.id}`, me.token)).status).toBe(403);
    // The applicant online is always the caller.
    const asOther = await t.api.post(
      '/api/v1/mediation/applications',
      {
        disputeType: 'neighbor',
        summary: 's',
        claims: 'c',
        otherParties: [{ role: 'applicant', kind: 'person', name: '冒名', idNumber: '11010519491231002X' }],
      },
      me.token,
    );
    expect([asOther.status, asOther.body.code]).toEqual([400, 'MEDIATION_APPLICATION_PARTY_ROLE']);
  });

  it('links a staff-registered party to the register by ID number, so the resident finds it too', async () => {
    const me = await t.given.user('resident', VILLAGE_A);
    const r = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: VILLAGE_A,
        source: 'police_referral',
        referringBody: '长子县公安局鲍店派出所',
        disputeType: 'damages',
        summary: '交通事故损害赔偿',
        claims: '赔偿医疗费',
        parties: [
          { role: 'applicant', kind: 'person', name: me.realName, idNumber: me.idNumber },
          { role: 'respondent', kind: 'organization', name: '长子县某运输有限公司', creditCode: '91350100M000100Y43' },
          { role: 'agent', kind: 'person', name: '钱律师', idNumber: '11010519491231002X', represents: 1 },
        ],
      },
      cast.vc.token,
    );
    expect(r.status).toBe(201);
    const mine = await t.api.get('/api/v1/mediation/my-cases', me.token);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(r.body.id);
  });

  it('refuses bad input: a referral without its body, a missing respondent, a bad ID checksum, a committee outside scope', async () => {
    const base = { committeeCode: VILLAGE_A, disputeType: 'neighbor', summary: 's', claims: 'c' };
    const applicant = { role: 'applicant', kind: 'person', name: '王某', idNumber: '11010519491231002X' };
    const respondent = { role: 'respondent', kind: 'person', name: '李某', idNumber: '11010519491231002X' };
    const noBody = await t.api.post(
      '/api/v1/mediation/cases',
      { ...base, source: 'court_referral', parties: [applicant, respondent] },
      cast.vc.token,
    );
    expect([noBody.status, noBody.body.code]).toEqual([400, 'MEDIATION_REFERRING_BODY']);
    const noResp = await t.api.post(
      '/api/v1/mediation/cases',
      { ...base, source: 'initiative', parties: [applicant, { ...respondent, role: 'third_party' }] },
      cast.vc.token,
    );
    expect([noResp.status, noResp.body.code]).toEqual([400, 'MEDIATION_PARTIES_INCOMPLETE']);
    const badId = await t.api.post(
      '/api/v1/mediation/cases',
      { ...base, source: 'initiative', parties: [applicant, { ...respondent, idNumber: '110105194912310021' }] },
      cast.vc.token,
    );
    expect([badId.status, badId.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const outside = await t.api.post(
      '/api/v1/mediation/cases',
      { ...base, source: 'initiative', parties: [applicant, respondent] },
      cast.vcB.token,
    );
    expect([outside.status, outside.body.code]).toEqual([404, 'MEDIATION_COMMITTEE_NOT_FOUND']);
    const count = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM mediation_case WHERE summary = 's'`);
    expect(count[0].n).toBe(0);
  });
});
