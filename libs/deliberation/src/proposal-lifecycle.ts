/**
 * The proposal's life (四议两公开 + township review + vote + 两公开) as data plus pure functions.
 * The service applies a transition with `UPDATE … WHERE id = $1 AND status = $from`; this module
 * only says whether (state, action, role) is legal and where it leads.
 */
export const PROPOSAL_STATES = [
  'draft',
  'proposed', // 提议 recorded
  'consulted', // 商议 recorded
  'party_voting', // 审议 as an online vote of the party members
  'pending_review', // 审议 passed; township to review
  'deliberation', // approved; public discussion
  'voting',
  'passed',
  'rejected',
  'no_quorum',
  'announced', // 决议公开 posted (implementation reports may follow)
  'closed',
  'withdrawn',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const LIFECYCLE_ROLES = ['committee', 'township', 'supervision', 'resident', 'system'] as const;
export type LifecycleRole = (typeof LIFECYCLE_ROLES)[number];

export const PROPOSAL_ACTIONS = [
  'edit',
  'record_proposal',
  'record_consultation',
  'record_merged_meeting',
  'party_review_passed',
  'party_review_failed',
  'open_party_vote',
  'party_vote_passed',
  'party_vote_failed',
  'approve',
  'return',
  'open_voting',
  'vote_passed',
  'vote_rejected',
  'vote_no_quorum',
  'publish_resolution',
  'report_implementation',
  'close',
  'withdraw',
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

interface TransitionRule {
  from: readonly ProposalState[];
  to: ProposalState | 'same';
  by: readonly LifecycleRole[];
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
  publish_resolution: { from: ['passed', 'rejected', 'no_quorum'], to: 'announced', by: ['committee'] },
  report_implementation: { from: ['announced'], to: 'same', by: ['committee'] },
  close: { from: ['announced'], to: 'closed', by: ['committee'] },
  withdraw: { from: BEFORE_VOTING, to: 'withdrawn', by: ['committee'] },
};

export type TransitionResult =
  | { ok: true; from: ProposalState; to: ProposalState }
  | { ok: false; reason: 'illegal_in_state' | 'role_not_allowed' };

export function transition(state: ProposalState, action: ProposalAction, role: LifecycleRole): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(state)) return { ok: false, reason: 'illegal_in_state' };
  if (!rule.by.includes(role)) return { ok: false, reason: 'role_not_allowed' };
  return { ok: true, from: state, to: rule.to === 'same' ? state : rule.to };
}

/** What `role` may do to a proposal in `state` (for the UI's buttons). */
export function availableActions(state: ProposalState, role: LifecycleRole): ProposalAction[] {
  return PROPOSAL_ACTIONS.filter((a) => transition(state, a, role).ok);
}

export const isTerminal = (state: ProposalState): boolean => PROPOSAL_ACTIONS.every((a) => !TRANSITIONS[a].from.includes(state));

/** States in which residents may see the proposal (from township approval on). */
export const PUBLIC_STATES: readonly ProposalState[] = ['deliberation', 'voting', 'passed', 'rejected', 'no_quorum', 'announced', 'closed'];
/** States in which residents may comment and ask. */
export const DISCUSSION_STATES: readonly ProposalState[] = ['deliberation', 'voting'];

export const STATE_NAMES: Record<ProposalState, string> = {
  draft: '草稿',
  proposed: '已提议',
  consulted: '已商议',
  party_voting: '党员审议投票中',
  pending_review: '待乡镇审核',
  deliberation: '公开讨论中',
  voting: '表决中',
  passed: '已通过',
  rejected: '未通过',
  no_quorum: '未达法定人数',
  announced: '决议已公开',
  closed: '已办结',
  withdrawn: '已撤回',
};

export const ACTION_NAMES: Record<ProposalAction, string> = {
  edit: '修改草稿',
  record_proposal: '记录村党组织提议',
  record_consultation: '记录村"两委"商议',
  record_merged_meeting: '记录提议与商议（合并召开）',
  party_review_passed: '党员大会审议通过',
  party_review_failed: '党员大会审议未通过',
  open_party_vote: '发起党员网上审议',
  party_vote_passed: '党员网上审议通过',
  party_vote_failed: '党员网上审议未通过',
  approve: '乡镇审核通过',
  return: '乡镇退回修改',
  open_voting: '开始表决',
  vote_passed: '表决通过',
  vote_rejected: '表决未通过',
  vote_no_quorum: '表决未达法定人数',
  publish_resolution: '决议公开',
  report_implementation: '实施结果公开',
  close: '办结',
  withdraw: '撤回',
};
