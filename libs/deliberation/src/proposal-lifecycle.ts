/**
 * The proposal's life (四议两公开 + township review + vote + 两公开) as data plus pure functions.
 * The service applies a transition with `UPDATE … WHERE id = $1 AND status = $from`; this module
 * only says whether (state, action, role) is legal and where it leads.
 */
import { PROPOSAL_ACTIONS, type ProposalAction, type ProposalState } from './names.js';

// The codes and their names live in names.ts (shared with the web UI); re-exported for the server's callers.
export { ACTION_NAMES, PROPOSAL_ACTIONS, PROPOSAL_STATES, STATE_NAMES, type ProposalAction, type ProposalState } from './names.js';

export const LIFECYCLE_ROLES = ['committee', 'township', 'supervision', 'resident', 'system'] as const;
export type LifecycleRole = (typeof LIFECYCLE_ROLES)[number];

interface TransitionRule {
  from: readonly ProposalState[];
  to: ProposalState | 'same';
  by: readonly LifecycleRole[];
  /**
   * Where the action leads instead, from the given states, when the matter needs approvals after the
   * vote (农村土地承包法 Art. 28 ¶2, 52 ¶1; matter-rules.ts `approvals`).
   */
  whenApprovalsNeeded?: Partial<Record<ProposalState, ProposalState>>;
}

/** What the machine needs to know of the proposal besides its state. */
export interface TransitionContext {
  /** The proposal's matter needs approvals after the vote before the resolution takes effect. */
  approvalsNeeded?: boolean;
}

const BEFORE_VOTING: readonly ProposalState[] = ['draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'deliberation'];

/** The whole machine. Anything not listed here is illegal. */
export const TRANSITIONS: Record<ProposalAction, TransitionRule> = {
  edit: { from: ['draft'], to: 'same', by: ['committee'] },
  record_proposal: { from: ['draft'], to: 'proposed', by: ['committee'] },
  record_consultation: { from: ['proposed'], to: 'consulted', by: ['committee'] },
  // 提议 and 商议 held as one meeting where one person chairs both (DOMAIN.md §1 step 2).
  record_merged_meeting: { from: ['draft'], to: 'consulted', by: ['committee'] },
  party_review_passed: { from: ['consulted'], to: 'pending_review', by: ['committee'] },
  party_review_failed: { from: ['consulted'], to: 'draft', by: ['committee'] },
  open_party_vote: { from: ['consulted'], to: 'party_voting', by: ['committee'] },
  party_vote_passed: { from: ['party_voting'], to: 'pending_review', by: ['system'] },
  party_vote_failed: { from: ['party_voting'], to: 'draft', by: ['system'] },
  approve: { from: ['pending_review'], to: 'deliberation', by: ['township'] },
  return: { from: ['pending_review'], to: 'draft', by: ['township'] },
  open_voting: { from: ['deliberation'], to: 'voting', by: ['committee'] },
  vote_passed: { from: ['voting'], to: 'passed', by: ['system'] },
  vote_rejected: { from: ['voting'], to: 'rejected', by: ['system'] },
  vote_no_quorum: { from: ['voting'], to: 'no_quorum', by: ['system'] },
  // A passed resolution that needs approvals is published too, marked 待批准，尚未生效.
  publish_resolution: {
    from: ['passed', 'rejected', 'no_quorum'],
    to: 'announced',
    by: ['committee'],
    whenApprovalsNeeded: { passed: 'awaiting_approval' },
  },
  report_implementation: { from: ['announced'], to: 'same', by: ['committee'] },
  close: { from: ['announced'], to: 'closed', by: ['committee'] },
  withdraw: { from: BEFORE_VOTING, to: 'withdrawn', by: ['committee'] },
  // Township staff record each authority's decision (decision 015); the last approval puts it in effect.
  record_approval: { from: ['awaiting_approval'], to: 'same', by: ['township'] },
  approvals_complete: { from: ['awaiting_approval'], to: 'announced', by: ['system'] },
  approval_refused: { from: ['awaiting_approval'], to: 'not_approved', by: ['township'] },
};

export type TransitionResult =
  { ok: true; from: ProposalState; to: ProposalState } | { ok: false; reason: 'illegal_in_state' | 'role_not_allowed' };

export function transition(
  state: ProposalState,
  action: ProposalAction,
  role: LifecycleRole,
  ctx: TransitionContext = {},
): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(state)) return { ok: false, reason: 'illegal_in_state' };
  if (!rule.by.includes(role)) return { ok: false, reason: 'role_not_allowed' };
  const instead = ctx.approvalsNeeded ? rule.whenApprovalsNeeded?.[state] : undefined;
  return { ok: true, from: state, to: instead ?? (rule.to === 'same' ? state : rule.to) };
}

/** What `role` may do to a proposal in `state` (for the UI's buttons). */
export function availableActions(state: ProposalState, role: LifecycleRole, ctx: TransitionContext = {}): ProposalAction[] {
  return PROPOSAL_ACTIONS.filter((a) => transition(state, a, role, ctx).ok);
}

export const isTerminal = (state: ProposalState): boolean => PROPOSAL_ACTIONS.every((a) => !TRANSITIONS[a].from.includes(state));

/** States in which residents may see the proposal (from township approval on). */
export const PUBLIC_STATES: readonly ProposalState[] = [
  'deliberation',
  'voting',
  'passed',
  'rejected',
  'no_quorum',
  'announced',
  'awaiting_approval',
  'not_approved',
  'closed',
];
/** States in which residents may comment and ask. */
export const DISCUSSION_STATES: readonly ProposalState[] = ['deliberation', 'voting'];
