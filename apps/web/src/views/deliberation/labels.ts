import {
  ACTION_NAMES,
  BODY_NAMES,
  CATEGORY_NAMES,
  CHOICE_NAMES,
  EVENT_NAMES,
  OUTCOME_NAMES,
  REPORT_KIND_NAMES,
  STATE_NAMES,
  THRESHOLD_NAMES,
} from '@libs/deliberation/src/names';
import type { ProposalDetail } from '@libs/deliberation/src/views';

/**
 * Names for the 村事共议 codes: the server's own (libs/deliberation/src/names.ts), so the UI, the API's
 * messages, the notices and the Excel exports say the same. Widened to string keys for lookups of codes
 * that arrive as plain strings.
 */
export const PROPOSAL_STATES: Record<string, string> = STATE_NAMES;
export const CATEGORIES: Record<string, string> = CATEGORY_NAMES;
export const BODIES: Record<string, string> = BODY_NAMES;
export const CHOICES: Record<string, string> = CHOICE_NAMES;
export const REPORT_KINDS: Record<string, string> = REPORT_KIND_NAMES;
export const OUTCOMES: Record<string, string> = OUTCOME_NAMES;
/** The matter's figure a vote applied on top of its body's rule. */
export const THRESHOLDS: Record<string, string> = THRESHOLD_NAMES;
/** The entries of a proposal's history. */
export const EVENTS: Record<string, string> = EVENT_NAMES;
/**
 * The buttons and forms that take an action. One differs from the action's name: the committee records
 * the party meeting's counts and the server decides from them whether the review passed (or failed).
 */
export const ACTIONS: Record<string, string> = { ...ACTION_NAMES, party_review_passed: '记录党员大会审议' };

export const STATE_TAG: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'default'> = {
  voting: 'danger',
  deliberation: 'primary',
  pending_review: 'warning',
  passed: 'success',
  announced: 'success',
  awaiting_approval: 'warning',
  not_approved: 'danger',
  closed: 'default',
  rejected: 'default',
  no_quorum: 'default',
  withdrawn: 'default',
};

/** The API's answers, as the server declares them. */
export type {
  AuthorisationView,
  CommentView,
  JointProposalGlimpse,
  JointRequestView,
  MeetingNoticeView,
  NoticeOutcome,
  NoticeView,
  PartyMeetingView,
  ProposalAnswer,
  ProposalDetail,
  ProposalSummary,
  ProposalVoteItem as VoteInfo,
  ResultView as Results,
  TurnoutView as Turnout,
} from '@libs/deliberation/src/views';

/**
 * The township's return while the proposal is still the draft it sent back: the last event that brought
 * it into 草稿 (edits stay in 草稿) was a return. Null otherwise, e.g. after a failed 审议.
 */
export function returnedBy(p: Pick<ProposalDetail, 'status' | 'history'>): { reason: string; at: string; actorName: string | null } | null {
  if (p.status !== 'draft') return null;
  const entered = p.history.filter((h) => h.toStatus === 'draft' && h.fromStatus !== 'draft').at(-1);
  if (entered?.action !== 'return') return null;
  const reason = entered.details?.reason;
  return { reason: typeof reason === 'string' ? reason : '', at: entered.at, actorName: entered.actorName };
}

/**
 * Receipts are kept on this device so a voter can check theirs after close, or change a secret
 * ballot, without writing it down. Kept per person: a family may share one phone, and a receipt is
 * no business of the next person who logs in on it.
 */
const RECEIPTS_KEY = 'sangong.receipts.v2';
const receiptKey = (personId: string, proposalId: string) => `${personId}/${proposalId}`;
export function saveReceipt(personId: string, proposalId: string, code: string): void {
  const all = JSON.parse(localStorage.getItem(RECEIPTS_KEY) ?? '{}') as Record<string, string>;
  all[receiptKey(personId, proposalId)] = code;
  localStorage.setItem(RECEIPTS_KEY, JSON.stringify(all));
}
export function savedReceipt(personId: string, proposalId: string): string | null {
  return (JSON.parse(localStorage.getItem(RECEIPTS_KEY) ?? '{}') as Record<string, string>)[receiptKey(personId, proposalId)] ?? null;
}
