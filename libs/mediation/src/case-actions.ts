import type { DomainError } from '#platform';
import { type CaseAccess, hasRelation } from './case-access.js';
import { canApply, type CaseAction, CASE_ACTIONS, type CaseStatus, escalationTarget, TRANSITIONS } from './case-lifecycle.js';
import { MediationErrors } from './mediation.errors.js';
import type { CaseActionsView } from './views.js';

/**
 * Whether a caller may take an action on a case now, and if not why: the one decision behind both
 * the case view's list of actions (what the UI offers) and the workflow's refusal (what the API
 * answers), so the two cannot drift apart. It sees only what the case holds, not the form's input;
 * a bad input is still refused by the action itself.
 */
export interface CaseFacts {
  status: CaseStatus;
  committeeCode: string;
  /** The mediators assigned now (person ids). */
  assigned: readonly string[];
  /** Mediators of the committee not assigned to the case: those an `assign` could add. */
  assignable: number;
  /** Person parties still without an ID number. */
  missingIds: number;
  /** The agreement's 司法确认: none recorded, applied for, or ruled on; null without an agreement. */
  confirmation: 'none' | 'applied' | 'decided' | null;
}

/**
 * Why the caller may not take `action` now, or null when they may. In the order the API has always
 * answered: who (403), then the case's state (409), then what the case still lacks (409).
 */
export function refusalOf(action: CaseAction, access: CaseAccess, f: CaseFacts): DomainError | null {
  const rule = TRANSITIONS[action];
  if (!hasRelation(access, rule.who)) {
    return rule.who === 'committee' ? MediationErrors.notCommitteeMember() : MediationErrors.notAssigned(access.member);
  }
  if (!canApply(action, f.status)) return MediationErrors.wrongState(action, f.status);
  switch (action) {
    case 'session':
    case 'agree':
      return f.assigned.length ? null : MediationErrors.mediatorsRequired(action);
    case 'assign':
      return f.assignable > 0 ? null : MediationErrors.noAssignableMediator();
    case 'identify':
      return f.missingIds > 0 ? null : MediationErrors.noIdMissing();
    case 'escalate':
      return escalationTarget(f.committeeCode) ? null : MediationErrors.escalationTop();
    case 'confirm_apply':
      if (f.confirmation === null) return MediationErrors.noAgreement();
      return f.confirmation === 'none' ? null : MediationErrors.confirmationExists();
    case 'confirm_decide':
      if (f.confirmation === null) return MediationErrors.noAgreement();
      if (f.confirmation === 'none') return MediationErrors.confirmationNotApplied();
      return f.confirmation === 'decided' ? MediationErrors.confirmationDecided() : null;
    // Nothing but the relation and the state: what else they need is in the form's input.
    case 'accept':
    case 'decline':
    case 'extend':
    case 'terminate':
    case 'follow_up':
    case 'close':
    case 'flag_risk':
      return null;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Steps that are done or have nothing to act on, whoever asks (every ID number is in, the 司法确认
 * application or ruling is recorded, there is no agreement to confirm, every mediator of the committee
 * is on the case): nothing is missing, so the view does not list them. The API still refuses them
 * (refusalOf); a committee with no mediator at all is not settled: it blocks the case.
 */
export function isSettled(action: CaseAction, f: CaseFacts): boolean {
  switch (action) {
    case 'identify':
      return f.missingIds === 0;
    case 'assign':
      return f.assignable === 0 && f.assigned.length > 0;
    case 'confirm_apply':
      return f.confirmation !== 'none';
    case 'confirm_decide':
      return f.confirmation === null || f.confirmation === 'decided';
    case 'accept':
    case 'decline':
    case 'session':
    case 'extend':
    case 'agree':
    case 'terminate':
    case 'follow_up':
    case 'close':
    case 'escalate':
    case 'flag_risk':
      return false;
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * The actions the caller may take now, and those this stage of the case has that the caller may not,
 * each with the reason (the message the API would answer). Not listed: actions of other stages (a
 * mediating case has no 结案 to explain) and steps already settled (isSettled).
 */
export function caseActions(access: CaseAccess, f: CaseFacts): CaseActionsView {
  const view: CaseActionsView = { allowed: [], blocked: [] };
  for (const action of CASE_ACTIONS) {
    if (!canApply(action, f.status) || isSettled(action, f)) continue;
    const refused = refusalOf(action, access, f);
    if (!refused) view.allowed.push(action);
    else view.blocked.push({ action, code: refused.code, reason: refused.message });
  }
  return view;
}
