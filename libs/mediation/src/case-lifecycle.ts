/**
 * The case lifecycle as data. A transition is allowed when the case is in one of `from`;
 * `who` says which relation to the case the caller needs:
 * - `committee`: manages the committee (村委会 for a village committee, 乡镇干部 for the township's and
 *   its villages') or is a mediator of the committee itself — intake decisions.
 * - `handler`: manages the committee or is a mediator assigned to the case — the mediation work.
 */
import type { CaseAction, CaseStatus } from './names.js';

// The statuses, the actions and their names live in names.ts (shared with the web UI).
export { ACTION_NAMES, CASE_ACTIONS, CASE_STATUSES, type CaseAction, type CaseStatus, OPEN_STATUSES, STATUS_NAMES } from './names.js';

export type Relation = 'committee' | 'handler';

interface Rule {
  from: readonly CaseStatus[];
  /** The status after the action; null keeps the current one. */
  to: CaseStatus | null;
  who: Relation;
}

export const TRANSITIONS: Record<CaseAction, Rule> = {
  accept: { from: ['applied'], to: 'accepted', who: 'committee' },
  decline: { from: ['applied'], to: 'declined', who: 'committee' },
  // Identifiers left out at intake are completed when the case needs them (个人信息保护法: minimum necessary).
  identify: { from: ['applied', 'accepted', 'mediating'], to: null, who: 'handler' },
  assign: { from: ['accepted', 'mediating'], to: null, who: 'committee' },
  session: { from: ['accepted', 'mediating'], to: 'mediating', who: 'handler' },
  // Past the month, with the parties' consent (司法部《人民调解工作若干规定》Art. 33).
  extend: { from: ['accepted', 'mediating'], to: null, who: 'handler' },
  agree: { from: ['mediating'], to: 'agreed', who: 'handler' },
  terminate: { from: ['accepted', 'mediating'], to: 'terminated', who: 'handler' },
  follow_up: { from: ['agreed', 'follow_up'], to: 'follow_up', who: 'handler' },
  close: { from: ['follow_up', 'terminated'], to: 'closed', who: 'handler' },
  // Escalation hands the case to the higher committee, which then holds it as accepted.
  escalate: { from: ['accepted', 'mediating'], to: 'accepted', who: 'handler' },
  flag_risk: { from: ['applied', 'accepted', 'mediating'], to: null, who: 'handler' },
  // 司法确认 (人民调解法 Art. 33) is the parties' application to the court; it may outlast the case's closing.
  confirm_apply: { from: ['agreed', 'follow_up', 'closed'], to: null, who: 'handler' },
  confirm_decide: { from: ['agreed', 'follow_up', 'closed'], to: null, who: 'handler' },
};

export function canApply(action: CaseAction, status: CaseStatus): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** The status after `action`, or null when the action is not allowed in `status`. */
export function nextStatus(action: CaseAction, status: CaseStatus): CaseStatus | null {
  if (!canApply(action, status)) return null;
  return TRANSITIONS[action].to ?? status;
}

export type CommitteeLevel = 'village' | 'township' | 'county';

/** The committee a case escalates to: village → its township, township → its county; county is the top. */
export function escalationTarget(committeeCode: string): string | null {
  switch (committeeCode.length) {
    case 12:
      return committeeCode.slice(0, 9);
    case 9:
      return committeeCode.slice(0, 6);
    default:
      return null;
  }
}

export function committeeLevel(code: string): CommitteeLevel | null {
  switch (code.length) {
    case 12:
      return 'village';
    case 9:
      return 'township';
    case 6:
      return 'county';
    default:
      return null;
  }
}
