/**
 * The shapes of the 村事共议 API's answers, shared by the services that build them and the web UI
 * that reads them (through its `@libs` alias). Types only: it may import only from names.ts.
 */
import type {
  ApprovalAuthority,
  ApprovalDecision,
  ApprovalsStatus,
  BallotType,
  Channel,
  Choice,
  Category,
  DecidingBody,
  JointConvenes,
  JointKind,
  JointStatus,
  MeetingAction,
  MeetingDuty,
  OnsiteState,
  Outcome,
  ProposalState,
  ReportKind,
  Threshold,
  VotingBody,
} from './names.js';
import type { ProposalAction } from './names.js';

export interface ProposalSummary {
  id: string;
  villageCode: string;
  villageName: string;
  title: string;
  category: string;
  amountFen: string | null;
  decidingBody: DecidingBody;
  decidingBodyName: string;
  ballotType: BallotType;
  status: ProposalState;
  statusName: string;
  origin: 'committee' | 'joint';
  createdAt: string;
  isDemo: boolean;
}

/** What the law requires of a proposal's matter at its deciding body (matter-rules.ts), on the proposal page. */
export interface MatterRuleView {
  /** False when the body may not decide the matter (a proposal filed before the rules): `text` then says why. */
  allowed: boolean;
  /** "本事项依据《…》第…条由…决定，需…同意。", with any approval after the vote. */
  text: string;
  threshold: Threshold | null;
  /** Approvals the resolution needs after the vote before it is carried out, e.g. "乡（镇）人民政府批准". */
  approvals: string[];
}

/** One authority's decision on a resolution, as township staff recorded it. */
export interface ApprovalRecordView {
  id: string;
  authority: ApprovalAuthority;
  authorityName: string;
  decision: ApprovalDecision;
  decisionName: string;
  /** The day the authority decided (YYYY-MM-DD). */
  decidedOn: string;
  documentNumber: string;
  note: string | null;
  recordedByName: string;
  recordedAt: string;
}

/** The approvals a proposal's matter needs after the vote and where they stand (decision 015). */
export interface ApprovalsView {
  /** Whether the matter needs any approval at all. */
  required: boolean;
  /** Whether the decision vote passed (before that, the list says what will be needed). */
  resolutionPassed: boolean;
  status: ApprovalsStatus;
  statusName: string;
  /** Whether the resolution is in effect: a passed vote with every approval it needs; null before a passed vote. */
  inEffect: boolean | null;
  items: { authority: ApprovalAuthority; authorityName: string; source: string; record: ApprovalRecordView | null }[];
  /** Whether the caller may record a decision now (township staff of the village, while awaiting approval). */
  canRecord: boolean;
}

export interface TurnoutView {
  voteId: string;
  purpose: 'party_review' | 'decision';
  body: VotingBody;
  bodyName: string;
  ballotType: BallotType;
  status: 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  electorate: number;
  households: number;
  participants: number;
  /** Whether the caller is in the frozen electorate, and has voted. */
  mayVote: boolean;
  hasVoted: boolean;
}

export interface VoteCounts {
  /** The frozen electorate (denominator of "of ALL members"). */
  electorate: number;
  /** Distinct households in the frozen electorate (村民会议 only; 0 elsewhere). */
  households: number;
  /** Electors who cast a ballot. */
  participants: number;
  /** Households with at least one participant. */
  householdsRepresented: number;
  yes: number;
  no: number;
  abstain: number;
  /**
   * Paper ballots of the on-site part that took part without a yes, no or abstain: spoiled (废票) and
   * issued but not returned. Absent (0) where the vote had no paper ballots.
   */
  spoiled?: number;
}

/** How many took part in each part of a vote (线上 N 人、现场 M 人), stored at the close. */
export interface VoteParts {
  /** Ballots cast online, including those cast with a staff member's help. */
  online: number;
  /** Of those, cast with a staff member's help (代投). */
  assisted: number;
  /** Electors signed in at the meeting. */
  onsite: number;
  /** The confirmed paper totals (secret on-site ballot), else null. */
  paper: PaperTotals | null;
}

export interface ResultView extends VoteCounts {
  voteId: string;
  purpose: 'party_review' | 'decision';
  body: VotingBody;
  ballotType: BallotType;
  outcome: Outcome;
  rule: unknown;
  talliedAt: string;
  /** The matter's figure applied on top of the body's rule (names.ts THRESHOLDS). */
  threshold: Threshold | null;
  /**
   * 村民代表会议 only (null elsewhere): the village representatives in the frozen electorate (without the
   * committee members who sit with them) and their yes votes — the figures of "2/3 of all representatives".
   */
  representatives: number | null;
  representativesYes: number | null;
  /** Each part's figures (votes closed before meetings had parts: all online). */
  parts: VoteParts;
}

export interface CommentView {
  id: string;
  kind: 'comment' | 'question' | 'answer' | 'objection';
  parentId: string | null;
  authorName: string;
  official: boolean;
  body: string | null;
  createdAt: string;
  hidden: boolean;
  hiddenReason: string | null;
}

/** The tally a resolution notice states: the vote's result and the body's name. */
export type NoticeOutcome = Omit<ResultView, 'voteId' | 'purpose' | 'threshold' | 'representatives' | 'representativesYes' | 'parts'> &
  // Notices published before stage 2 of issue 11 lack these, and before issue 14 the parts.
  Partial<Pick<ResultView, 'threshold' | 'representatives' | 'representativesYes' | 'parts'>> & { bodyName: string };

export interface NoticeView {
  id: string;
  proposalId: string;
  villageCode: string;
  villageName: string;
  kind: 'resolution' | 'implementation';
  title: string;
  body: string;
  outcome: NoticeOutcome | null;
  committeeName: string;
  publishedAt: string;
  publicityEndsAt: string;
  inPublicity: boolean;
  isDemo: boolean;
}

/** The statutory notice of the meeting, issued on the township's approval to every elector of the deciding body. */
export interface MeetingNoticeView {
  issuedAt: string;
  earliestVoteAt: string;
  /** 10 for a 村民会议 / 成员大会, with the article; null where the statute sets no notice period. */
  statutoryDays: number | null;
  statutorySource: string | null;
  meetingTime: string;
  place: string;
  matters: string;
  participation: string;
  recipients: number;
  /** The Art. 46 reports (成员大会), readable by members from the notice day. */
  reports: { attachmentId: string; kind: ReportKind; name: string }[];
  /** The 村广播稿: the notice as read over the village loudspeaker (numbers as spoken, the matter and place twice). */
  broadcast: string;
}

export interface AuthorisationView {
  id: string;
  villageCode: string;
  villageName: string;
  categories: Category[];
  validFrom: string;
  validTo: string;
  grantedByProposalId: string | null;
  grantedByTitle: string | null;
  charterClause: string | null;
  note: string | null;
  recordedAt: string;
  recordedByName: string | null;
  validToday: boolean;
}

/**
 * A proposal forced by a 联名提议 that is not yet public (a committee draft, before the township's approval),
 * as its signers and the others who may sign that request see it: its title and where it stands, read only
 * (proposal-access.ts). The draft's text, meeting records, attachments and history stay with the committee.
 */
export interface JointProposalGlimpse {
  access: 'joint_request';
  id: string;
  villageCode: string;
  villageName: string;
  title: string;
  status: ProposalState;
  statusName: string;
  origin: 'joint';
  decidingBody: DecidingBody;
  decidingBodyName: string;
  jointRequestId: string;
  createdAt: string;
  isDemo: boolean;
}

/**
 * The 党员大会 a committee records or opens online (支部工作条例 Art. 11): the members with a vote in the
 * register today (预备党员 and members under 留党察看 excluded) and the fewest attendees and yes votes that pass, on the form.
 */
export interface PartyMeetingView {
  members: number;
  minAttendees: number;
  minYes: number;
  quorum: string;
  majority: string;
  source: string;
}

export interface JointRequestView {
  id: string;
  villageCode: string;
  villageName: string;
  kind: JointKind;
  convenes: JointConvenes;
  title: string;
  body: string;
  base: number;
  threshold: number;
  signatures: number;
  status: JointStatus;
  proposalId: string | null;
  proposalStatus: ProposalState | null;
  createdAt: string;
  reachedAt: string | null;
  /** Whole days since the threshold was reached while the meeting is not yet convened (vote not opened); else null. */
  pendingDays: number | null;
  overdue: boolean;
  signedByMe: boolean;
  createdByMe: boolean;
}

// ---- proposals, discussion, joint requests, statistics

/** One step of a proposal's history (proposal_event). */
export interface ProposalEventView {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  at: string;
  actorName: string;
  /** What the step recorded (meeting records, the vote it opened, a reason…). */
  details: Record<string, unknown> | null;
}

export interface AttachmentView {
  id: string;
  name: string;
  url: string | null;
  contentType: string | null;
  sizeBytes: number;
  reportKind: ReportKind | null;
  createdAt: string;
}

/** The answer to adding an attachment. */
export type AttachmentAdded = Pick<AttachmentView, 'id' | 'name' | 'url' | 'sizeBytes' | 'reportKind'>;

/** A link attachment's answer (a file attachment answers the file itself). */
export interface AttachmentLink {
  name: string;
  url: string | null;
}

/** A vote of the proposal, as its page lists them. */
export interface ProposalVoteItem {
  id: string;
  purpose: 'party_review' | 'decision';
  body: VotingBody;
  ballotType: BallotType;
  status: 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  electorate: number;
  households: number;
  outcome: Outcome | null;
}

/** The proposal in full, for those who may read it (proposal-access.ts canSeeProposal). */
export interface ProposalDetail extends ProposalSummary {
  access: 'full';
  body: string;
  allowBallotChange: boolean;
  deliberationDays: number;
  publicityDays: number;
  jointRequestId: string | null;
  deliberationStartedAt: string | null;
  earliestVotingAt: string | null;
  meetingPlace: string | null;
  notice: MeetingNoticeView | null;
  voteMinWindowHours: number;
  matterRule: MatterRuleView;
  approvals: ApprovalsView;
  availableActions: ProposalAction[];
  partyMeeting: PartyMeetingView | null;
  history: ProposalEventView[];
  attachments: AttachmentView[];
  votes: ProposalVoteItem[];
}

/** GET /api/v1/proposals/:id: the proposal in full, or a joint proposal's glimpse for its signers and electors. */
export type ProposalAnswer = ProposalDetail | JointProposalGlimpse;

/** One division's row of 议事统计. */
export interface ProposalStatsUnit {
  code: string;
  name: string;
  total: number;
  byState: Record<ProposalState, number>;
  voting: number;
  decided: number;
  /** Closed decision votes (not 审议 votes) and their frozen denominators and participants. */
  votes: number;
  electorate: number;
  participants: number;
  /** participants / electorate over those votes; null when there were none. */
  turnout: number | null;
}

export interface ProposalStats {
  divisionCode: string;
  divisionName: string;
  total: ProposalStatsUnit;
  units: ProposalStatsUnit[];
}

// ---- votes, notices, approvals

/** A ballot taken: its receipt (a secret ballot's only link to its voter's own check), and whether it changed an earlier one. */
export interface BallotReceiptView {
  receiptCode: string;
  changed: boolean;
}

/** A written proxy recorded for a 成员大会 vote. */
export interface ProxyView {
  voteId: string;
  grantorPersonId: string;
  proxyPersonId: string;
}

/** A closed vote's ballots: receipt and choice (secret), or name and choice (open). */
export interface BallotsView {
  ballotType: BallotType;
  items: { receiptCode: string; choice: Choice; voterName?: string }[];
}

/** The check of a receipt after close: the ballot behind it was counted as cast. */
export interface ReceiptCheckView {
  counted: true;
  choice: Choice;
  voteId: string;
}

/** A person named at a meeting (chair, teller, scrutineer). */
export interface MeetingPerson {
  personId: string;
  name: string;
}

/** The paper totals of a secret on-site ballot (计票单): issued = signed in; returned = yes + no + abstain + spoiled. */
export interface PaperTotals {
  issued: number;
  returned: number;
  yes: number;
  no: number;
  abstain: number;
  spoiled: number;
  /** 村民代表会议 matters counted by "2/3 of all representatives": the yes ballots of representatives (their own colour). */
  representativesYes: number | null;
}

/** The decision vote's meeting: when and where, who chairs, counts and oversees, which parts it holds, and where its on-site part stands. */
export interface MeetingView {
  proposalId: string;
  heldAt: string;
  place: string;
  chair: MeetingPerson;
  tellers: MeetingPerson[];
  scrutineers: MeetingPerson[];
  onlinePart: boolean;
  onsitePart: boolean;
  /** The open or last decision vote, once voting has opened. */
  voteId: string | null;
  voteStatus: 'open' | 'closed' | null;
  ballotType: BallotType;
  /** The on-site part, once voting has opened with one. */
  onsite: {
    state: OnsiteState;
    signedIn: number;
    /** Open ballot: how many signed-in electors have a recorded choice. */
    choicesRecorded: number;
    /** Secret ballot: how many independent teller entries are waiting (0, 1), and the accepted totals once two matched. */
    entries: number;
    totals: PaperTotals | null;
    /** Whether a paper entry must say how many yes ballots were the village representatives' (a matter counted by "2/3 of all representatives"). */
    representativesYesRequired: boolean;
    tallySheetAttached: boolean;
    tallySheetId: string | null;
    confirmedAt: string | null;
    confirmedBy: string | null;
  } | null;
  /** The caller's duties at this meeting. */
  myDuties: MeetingDuty[];
  /** What the caller may do now; `blocked` says why an action they could otherwise do is not open yet. */
  actions: MeetingAction[];
  blocked: Partial<Record<MeetingAction, string>>;
}

/** The meeting before it is arranged: who may arrange it. */
export interface MeetingAnswer {
  meeting: MeetingView | null;
  mayArrange: boolean;
}

/** One elector on the sign-in sheet (签到表) and the staff phone's search. */
export interface SignInRow {
  personId: string;
  name: string;
  householdNo: string | null;
  /** The last 4 characters of the ID number, to tell namesakes apart (null when unknown). */
  idLast4: string | null;
  noSmartphone: boolean;
  /** The family member who relays notices, if the register names one. */
  helperName: string | null;
  /** How the elector has taken part so far (null: not yet). */
  took: Channel | null;
  /** Open on-site ballot: the choice the tellers recorded (never for a secret ballot). */
  onsiteChoice: Choice | null;
}

export interface SignInSheet {
  proposalId: string;
  voteId: string;
  villageName: string;
  title: string;
  bodyName: string;
  heldAt: string | null;
  place: string | null;
  ballotType: BallotType;
  electorate: number;
  rows: SignInRow[];
}

export interface SignInAnswer {
  row: SignInRow;
  signedIn: number;
}

/** Live turnout for the chair: never a choice before the close. */
export interface LiveTurnoutView {
  voteId: string;
  body: VotingBody;
  bodyName: string;
  status: 'open' | 'closed';
  closesAt: string;
  electorate: number;
  households: number;
  signedIn: number;
  votedOnline: number;
  assisted: number;
  participants: number;
  householdsRepresented: number;
  /** The quorum in words (the body's rule). */
  quorumRule: string;
  quorumMet: boolean;
  /** How many more electors must take part for the quorum (0 once met); 村民会议: by head count. */
  shortBy: number;
  /** 村民会议: how many more households would meet the quorum by households instead. */
  householdsShortBy: number | null;
  /** Electors flagged 无智能手机 who have not taken part yet. */
  offlineNotYet: number;
}

export interface PaperEntryAnswer {
  /** 1: the first teller's entry is kept (hidden from the second); 2: both matched and the totals are accepted. */
  entries: number;
  state: OnsiteState;
  totals: PaperTotals | null;
}

export interface AssistedBallotView {
  personId: string;
  name: string;
  householdNo: string | null;
  assistedBy: string;
  on: string;
}
