/**
 * The case lifecycle as data. A transition is allowed when the case is in one of `from`;
 * `who` says which relation to the case the caller needs:
 * - `committee`: manages the committee (村委会 for a village committee, 乡镇干部 for the township's and
 *   its villages') or is a mediator of the committee itself — intake decisions.
 * - `handler`: manages the committee or is a mediator assigned to the case — the mediation work.
 */
export const CASE_STATUSES = ['applied', 'accepted', 'declined', 'mediating', 'agreed', 'terminated', 'follow_up', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['accept', 'decline', 'assign', 'session', 'agree', 'terminate', 'follow_up', 'close', 'escalate', 'flag_risk'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

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
  assign: { from: ['accepted', 'mediating'], to: null, who: 'committee' },
  session: { from: ['accepted', 'mediating'], to: 'mediating', who: 'handler' },
  agree: { from: ['mediating'], to: 'agreed', who: 'handler' },
  terminate: { from: ['accepted', 'mediating'], to: 'terminated', who: 'handler' },
  follow_up: { from: ['agreed', 'follow_up'], to: 'follow_up', who: 'handler' },
  close: { from: ['follow_up', 'terminated'], to: 'closed', who: 'handler' },
  // Escalation hands the case to the higher committee, which then holds it as accepted.
  escalate: { from: ['accepted', 'mediating'], to: 'accepted', who: 'handler' },
  flag_risk: { from: ['applied', 'accepted', 'mediating'], to: null, who: 'handler' },
};

export const OPEN_STATUSES: readonly CaseStatus[] = ['applied', 'accepted', 'mediating'];

export const STATUS_NAMES: Record<CaseStatus, string> = {
  applied: '已申请',
  accepted: '已受理',
  declined: '不予受理',
  mediating: '调解中',
  agreed: '达成协议',
  terminated: '调解终止',
  follow_up: '回访中',
  closed: '已结案',
};

export const ACTION_NAMES: Record<CaseAction, string> = {
  accept: '受理',
  decline: '不予受理',
  assign: '指派调解员',
  session: '记录调解',
  agree: '达成协议',
  terminate: '终止调解',
  follow_up: '回访',
  close: '结案',
  escalate: '上报',
  flag_risk: '标记激化风险',
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
