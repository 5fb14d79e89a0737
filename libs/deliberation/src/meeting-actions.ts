/**
 * What a person may do at a decision vote's meeting now, and why an action they could otherwise take
 * is not open yet (MeetingView.actions / blocked). Pure: the service gathers the facts, the UI shows
 * only what this allows, and each use case checks the same facts again inside its transaction.
 */
import type { BallotType, MeetingAction, MeetingDuty, OnsiteState, ProposalState } from './names.js';

export interface MeetingFacts {
  proposalStatus: ProposalState;
  /** proposal.write over the village (the committee's staff). */
  staff: boolean;
  duties: readonly MeetingDuty[];
  arranged: boolean;
  onlinePart: boolean;
  vote: { status: 'open' | 'closed'; ballotType: BallotType; opensAt: Date; closesAt: Date } | null;
  onsite: { state: OnsiteState; signedIn: number; choicesRecorded: number; tallySheetAttached: boolean } | null;
  now: Date;
}

export interface MeetingActions {
  actions: MeetingAction[];
  blocked: Partial<Record<MeetingAction, string>>;
}

/** The states in which a meeting may be arranged: after the township's approval, until the decision vote closes. */
export const ARRANGEABLE_STATES: readonly ProposalState[] = ['deliberation', 'voting'];

export function meetingActions(f: MeetingFacts): MeetingActions {
  const actions: MeetingAction[] = [];
  const blocked: Partial<Record<MeetingAction, string>> = {};
  const offer = (a: MeetingAction, mayAct: boolean, why: string | null) => {
    if (!mayAct) return;
    if (why) blocked[a] = why;
    else actions.push(a);
  };
  const teller = f.duties.includes('teller');
  const scrutineer = f.duties.includes('scrutineer');
  const voteOpen = f.vote?.status === 'open';
  const started = !!f.vote && voteOpen && f.now >= f.vote.opensAt;

  offer('arrange', f.staff, ARRANGEABLE_STATES.includes(f.proposalStatus) ? null : '表决会议须在乡镇审核通过后、表决结束前安排');

  const onsiteWhy = (): string | null => {
    if (!f.arranged) return '尚未安排表决会议';
    if (!f.vote) return '表决尚未开始';
    if (!voteOpen) return '表决已结束';
    if (!f.onsite) return '本次表决没有现场会议';
    if (f.onsite.state === 'confirmed') return '现场表决结果已由监票人确认';
    return null;
  };
  const base = onsiteWhy();

  let signInWhy = base;
  if (!signInWhy && f.vote && f.now >= f.vote.closesAt) signInWhy = '表决已截止，不能再签到';
  if (!signInWhy && f.onsite && f.onsite.state !== 'signing_in') signInWhy = '计票人已开始录入纸质票数，签到已结束';
  offer('sign_in', f.staff || teller, signInWhy);

  const isOpenBallot = f.vote?.ballotType === 'open';
  offer('record_choice', teller && (!f.vote || isOpenBallot), base ?? (f.onsite && f.onsite.signedIn === 0 ? '还没有人签到' : null));
  offer(
    'enter_totals',
    teller && (!f.vote || !isOpenBallot),
    base ?? (f.onsite && !['signing_in', 'counting'].includes(f.onsite.state) ? '两名计票人的录入已经一致，等待监票人确认' : null),
  );
  offer('attach_sheet', f.staff || teller || scrutineer, base);

  let confirmWhy = base;
  if (!confirmWhy && f.onsite && f.vote) {
    const missing: string[] = [];
    if (isOpenBallot && f.onsite.choicesRecorded < f.onsite.signedIn)
      missing.push(`还有 ${f.onsite.signedIn - f.onsite.choicesRecorded} 名签到村民的表决未登记`);
    if (!isOpenBallot && f.onsite.state !== 'entered') missing.push('纸质票数须由两名计票人分别录入且一致');
    if (!f.onsite.tallySheetAttached) missing.push('请先上传签字的计票单照片');
    if (missing.length) confirmWhy = missing.join('；');
  }
  offer('confirm', scrutineer, confirmWhy);

  let assistWhy: string | null = null;
  if (!f.vote) assistWhy = '表决尚未开始';
  else if (!voteOpen || f.now >= f.vote.closesAt) assistWhy = '表决已截止';
  else if (!started) assistWhy = '表决尚未开始';
  else if (!f.onlinePart) assistWhy = '本次表决只设现场会议';
  offer('assist', f.staff, assistWhy);

  return { actions, blocked };
}
