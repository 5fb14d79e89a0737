import fc from 'fast-check';
import type { CaseAccess } from './case-access.js';
import { type CaseFacts, caseActions, isSettled, refusalOf } from './case-actions.js';
import { CASE_ACTIONS, CASE_STATUSES, canApply } from './case-lifecycle.js';

const VILLAGE = '140428100201';
const none: CaseAccess = { visible: true, manager: false, member: false, assigned: false, full: false };
const head: CaseAccess = { ...none, manager: true, full: true };
const member: CaseAccess = { ...none, member: true };
const assigned: CaseAccess = { ...none, member: true, assigned: true, full: true };
const facts = (f: Partial<CaseFacts>): CaseFacts => ({
  status: 'accepted',
  committeeCode: VILLAGE,
  assigned: [],
  assignable: 2,
  missingIds: 0,
  confirmation: null,
  ...f,
});

describe('what a caller may do with a case now', () => {
  it('an accepted case without a mediator: assign, but 记录调解 and 达成协议 wait for one', () => {
    const v = caseActions(head, facts({ status: 'accepted' }));
    expect(v.allowed).toEqual(['assign', 'extend', 'terminate', 'escalate', 'flag_risk']);
    // Every ID number is in: 补充身份证号 has nothing to do and is not listed as missing.
    expect(v.blocked).toEqual([
      { action: 'session', code: 'MEDIATION_MEDIATORS_REQUIRED', reason: '请先指派调解员，调解记录须写明主持调解的调解员' },
    ]);
    expect(caseActions(head, facts({ status: 'accepted', missingIds: 1 })).allowed).toContain('identify');
    // 达成协议 is not of this stage (it needs a session first): not listed at all.
    expect(v.blocked.map((b) => b.action)).not.toContain('agree');
  });

  it('an unassigned mediator of the committee may assign (themselves) but not do the case work, and is told so', () => {
    const v = caseActions(member, facts({ status: 'mediating', assigned: ['x'] }));
    expect(v.allowed).toEqual(['assign']);
    expect(new Set(v.blocked.map((b) => b.reason))).toEqual(new Set(['您尚未被指派为本案调解员，请先指派后再办理']));
    expect(v.blocked.map((b) => b.action)).toEqual(['session', 'extend', 'agree', 'terminate', 'escalate', 'flag_risk']);
  });

  it('someone with no relation to the case is told who may act', () => {
    const v = caseActions(none, facts({ status: 'applied' }));
    expect(v.allowed).toEqual([]);
    expect(v.blocked.find((b) => b.action === 'accept')?.code).toBe('MEDIATION_NOT_COMMITTEE_MEMBER');
    expect(v.blocked.find((b) => b.action === 'flag_risk')?.reason).toBe('只有指派的调解员或本委员会主管人员可以办理此案件');
  });

  it('the county committee cannot escalate, and says so; with everyone assigned 指派 is simply not offered', () => {
    const v = caseActions(assigned, facts({ status: 'mediating', committeeCode: '140428', assigned: ['x'], assignable: 0 }));
    expect(v.blocked.map((b) => [b.action, b.code])).toEqual([['escalate', 'MEDIATION_ESCALATION_TOP']]);
    expect(v.allowed).toEqual(['session', 'extend', 'agree', 'terminate', 'flag_risk']);
    expect(refusalOf('assign', assigned, facts({ status: 'mediating', assigned: ['x'], assignable: 0 }))?.code).toBe(
      'MEDIATION_NO_ASSIGNABLE_MEDIATOR',
    );
  });

  it('a committee without any mediator: 指派 and 记录调解 are both listed as blocked, with why', () => {
    const v = caseActions(head, facts({ status: 'accepted', assigned: [], assignable: 0 }));
    expect(v.blocked.map((b) => [b.action, b.reason])).toEqual([
      ['assign', '本调解委员会没有可指派的调解员：现有调解员均已指派，或尚未设调解员'],
      ['session', '请先指派调解员，调解记录须写明主持调解的调解员'],
    ]);
  });

  it('司法确认: apply once, then record the ruling once; a terminated case has none', () => {
    const at = (confirmation: CaseFacts['confirmation'], status: CaseFacts['status'] = 'closed') =>
      caseActions(assigned, facts({ status, assigned: ['x'], confirmation }));
    expect(at('none').allowed).toEqual(['confirm_apply']);
    expect(at('none').blocked.map((b) => b.code)).toEqual(['MEDIATION_CONFIRMATION_NOT_APPLIED']);
    expect(at('applied').allowed).toEqual(['confirm_decide']);
    expect(at('applied').blocked).toEqual([]);
    // Done, or nothing to confirm: nothing is listed, and the API still refuses.
    expect(at('decided')).toEqual({ allowed: [], blocked: [] });
    expect(at(null)).toEqual({ allowed: [], blocked: [] });
    expect(refusalOf('confirm_decide', assigned, facts({ status: 'closed', confirmation: 'decided' }))?.code).toBe(
      'MEDIATION_CONFIRMATION_DECIDED',
    );
    expect(refusalOf('confirm_apply', assigned, facts({ status: 'closed', confirmation: null }))?.code).toBe('MEDIATION_NO_AGREEMENT');
    expect(at('none', 'agreed').allowed).toEqual(['follow_up', 'confirm_apply']);
  });

  it('for any case and caller: allowed, blocked and settled partition the stage’s actions, each as refusalOf decides', () => {
    const access = fc.record({
      visible: fc.constant(true),
      manager: fc.boolean(),
      member: fc.boolean(),
      assigned: fc.boolean(),
      full: fc.boolean(),
    });
    const f = fc.record({
      status: fc.constantFrom(...CASE_STATUSES),
      committeeCode: fc.constantFrom(VILLAGE, '140428100', '140428'),
      assigned: fc.array(fc.uuid(), { maxLength: 2 }),
      assignable: fc.nat(3),
      missingIds: fc.nat(2),
      confirmation: fc.constantFrom(null, 'none' as const, 'applied' as const, 'decided' as const),
    });
    fc.assert(
      fc.property(access, f, (a, c) => {
        const v = caseActions(a, c);
        const stage = CASE_ACTIONS.filter((x) => canApply(x, c.status));
        const listed = [...v.allowed, ...v.blocked.map((b) => b.action)];
        for (const x of v.allowed) expect(refusalOf(x, a, c)).toBeNull();
        for (const b of v.blocked) expect(refusalOf(b.action, a, c)?.message).toBe(b.reason);
        // What the stage has but the view leaves out is refused as settled, never as who or what is missing.
        for (const x of stage.filter((y) => !listed.includes(y))) {
          expect(isSettled(x, c)).toBe(true);
          expect(refusalOf(x, a, c)).not.toBeNull();
        }
        expect(listed.every((x) => stage.includes(x))).toBe(true);
        // Off-stage actions are refused as the wrong state, or for who the caller is.
        for (const x of CASE_ACTIONS.filter((y) => !stage.includes(y))) {
          expect(['MEDIATION_CASE_WRONG_STATE', 'MEDIATION_NOT_ASSIGNED', 'MEDIATION_NOT_COMMITTEE_MEMBER']).toContain(
            refusalOf(x, a, c)?.code,
          );
        }
      }),
    );
  });
});
