import fc from 'fast-check';
import { CASE_ACTIONS, CASE_STATUSES, canApply, escalationTarget, nextStatus, OPEN_STATUSES } from './case-lifecycle.js';

describe('case lifecycle', () => {
  it('follows the statutory path applied → accepted → mediating → agreed → follow_up → closed', () => {
    let s = nextStatus('accept', 'applied');
    expect(s).toBe('accepted');
    s = nextStatus('session', s!);
    expect(s).toBe('mediating');
    s = nextStatus('agree', s!);
    expect(s).toBe('agreed');
    s = nextStatus('follow_up', s!);
    expect(s).toBe('follow_up');
    expect(nextStatus('close', s!)).toBe('closed');
  });

  it('allows decline only from applied, and terminate only while open after acceptance', () => {
    expect(CASE_STATUSES.filter((s) => canApply('decline', s))).toEqual(['applied']);
    expect(CASE_STATUSES.filter((s) => canApply('terminate', s))).toEqual(['accepted', 'mediating']);
    expect(nextStatus('close', 'terminated')).toBe('closed');
  });

  it('has no way out of declined or closed; a closed case only records the 司法确认 application and outcome', () => {
    for (const a of CASE_ACTIONS) {
      expect(canApply(a, 'declined')).toBe(false);
      if (canApply(a, 'closed')) expect(nextStatus(a, 'closed')).toBe('closed');
    }
    expect(CASE_ACTIONS.filter((a) => canApply(a, 'closed'))).toEqual(['confirm_apply', 'confirm_decide']);
  });

  it('extends and completes identifiers only while the case is open, and never changes its status doing so', () => {
    expect(CASE_STATUSES.filter((s) => canApply('extend', s))).toEqual(['accepted', 'mediating']);
    expect(CASE_STATUSES.filter((s) => canApply('identify', s))).toEqual(['applied', 'accepted', 'mediating']);
    expect(CASE_STATUSES.filter((s) => canApply('confirm_apply', s))).toEqual(['agreed', 'follow_up', 'closed']);
    for (const a of ['extend', 'identify', 'confirm_apply', 'confirm_decide'] as const) {
      for (const s of CASE_STATUSES) if (canApply(a, s)) expect(nextStatus(a, s)).toBe(s);
    }
  });

  it('never moves an open case back to applied, and any allowed action lands on a known status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASE_ACTIONS), fc.constantFrom(...CASE_STATUSES), (a, s) => {
        const n = nextStatus(a, s);
        if (n === null) return;
        expect(CASE_STATUSES).toContain(n);
        if (s !== 'applied') expect(n).not.toBe('applied');
        if (!OPEN_STATUSES.includes(s)) expect(OPEN_STATUSES).not.toContain(n);
      }),
    );
  });

  it('escalates village → township → county and no further', () => {
    expect(escalationTarget('140428101200')).toBe('140428101');
    expect(escalationTarget('140428101')).toBe('140428');
    expect(escalationTarget('140428')).toBeNull();
  });
});
