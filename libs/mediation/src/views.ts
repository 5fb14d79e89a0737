/**
 * The shapes of the 人民调解 API's answers, shared by the services that build them and the web UI
 * that reads them (through its `@libs` alias). Types only: it may import only from names.ts.
 */
import type {
  AgreementForm,
  CaseAction,
  CaseSource,
  CaseStatus,
  ConfirmationOutcome,
  DeadlineKind,
  DisputeType,
  ExecutionMode,
  PartyRole,
  PERFORMANCE,
  RiskLevel,
} from './names.js';

/**
 * How much of a case a caller sees (case-privacy.ts): `full` (the assigned mediators, the committee's
 * head, the township's mediation staff), `restricted` (anyone else whose scope covers the case), or
 * `party` (a resident who is a party, through "my cases").
 */
export type ViewLevel = 'full' | 'restricted' | 'party';

/** Where a deadline stands: past it, within the due-soon window, or neither. */
export type DeadlineState = 'ok' | 'due_soon' | 'overdue';

export type Performance = (typeof PERFORMANCE)[number];

/** A party as a caller sees it (case-privacy.ts decides how much of it). */
export interface PartyView {
  id: string;
  ord: number;
  role: PartyRole;
  kind: 'person' | 'organization';
  name: string;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  address: string | null;
  creditCode: string | null;
  representsOrd: number | null;
}

/**
 * What the caller may do with a case now (case-actions.ts decides it, the same function the workflow
 * refuses with): the actions allowed, and those the case's stage has that the caller may not take,
 * each with the Chinese reason the API would answer (“请先指派调解员…”).
 */
export interface CaseActionsView {
  allowed: CaseAction[];
  blocked: { action: CaseAction; code: string; reason: string }[];
}

/** A mediator of the case's committee not yet assigned to it: offered to whoever may assign. */
export interface AssignableMediator {
  personId: string;
  name: string;
}

/** A case in a list: the applicants and respondents by name (masked for a restricted view). */
export interface CaseSummary {
  id: string;
  caseNo: string;
  committeeCode: string;
  committeeName: string;
  originCommitteeCode: string;
  status: CaseStatus;
  disputeType: DisputeType;
  source: CaseSource;
  nonPublic: boolean;
  violenceRisk: boolean;
  appliedAt: string;
  dueAt: string | null;
  /** The mediation window's state while the case is open (accepted or mediating). */
  deadlineState: DeadlineState | null;
  escalationCount: number;
  /** A case of the demonstration data (the list marks it 演示). */
  isDemo: boolean;
  view: ViewLevel;
  parties: { role: PartyRole; kind: 'person' | 'organization'; name: string }[];
}

export interface CaseMediatorView {
  personId: string;
  name: string;
  assignedAt: string;
  endedAt: string | null;
  committeeCode: string;
}

/** A session; attendees and the record for full viewers only. */
export interface CaseSessionView {
  id: string;
  heldOn: string;
  place: string;
  attendees: string | null;
  record: string | null;
  mediatorPersonIds: string[];
}

export interface CaseExtensionView {
  previousDueAt: string;
  newDueOn: string;
  consentedOn: string;
  /** Full viewers only. */
  reason: string | null;
  createdAt: string;
}

export interface ConfirmationView {
  appliedOn: string;
  court: string;
  outcome: ConfirmationOutcome | null;
  decidedOn: string | null;
}

/** The agreement; its text (facts, terms…) is null for a restricted view. */
export interface CaseAgreementView {
  form: AgreementForm;
  effectiveOn: string;
  performBy: string;
  confirmDeadline: string;
  confirmUnverifiedYear: number | null;
  followUpDue: string;
  committeeSealed: boolean | null;
  recordedByName: string | null;
  /** Written agreements: how each party executed it (Art. 29). */
  partyExecutions: { partyId: string; ord: number; mode: ExecutionMode }[];
  mediatorSignatures: { personId: string; name: string }[];
  confirmation: ConfirmationView | null;
  facts: string | null;
  disputePoints: string | null;
  responsibilities: string | null;
  terms: string | null;
  performanceMethod: string | null;
}

export interface CaseFollowUpView {
  id: string;
  visitedOn: string;
  visitor: string;
  performance: Performance;
  /** Full viewers only. */
  note: string | null;
}

/** An entry of the case's history (`action` is a CaseEvent: an action, `register` or `overdue`). */
export interface CaseHistoryEntry {
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  fromCommittee: string | null;
  toCommittee: string;
  /** Full viewers only. */
  note: string | null;
}

export interface CaseAlertView {
  id: string;
  townshipCode: string;
  kind: string;
  description: string;
  policeNotifiedAt: string;
  policeContact: string;
  raisedAt: string;
}

/** A case in full, as much of it as the caller's view level shows (a party's own case: `party`). */
export interface CaseDetail {
  id: string;
  caseNo: string;
  committeeCode: string;
  committeeName: string;
  originCommitteeCode: string;
  status: CaseStatus;
  outcome: 'declined' | 'agreed' | 'terminated' | null;
  disputeType: DisputeType;
  summary: string | null;
  claims: string | null;
  amountFen: string | null;
  source: CaseSource;
  referringBody: string | null;
  riskLevel: RiskLevel | null;
  violenceRisk: boolean | null;
  nonPublic: boolean;
  appliedAt: string;
  acceptedAt: string | null;
  dueAt: string | null;
  dueUnverifiedYear: number | null;
  deadlineState: DeadlineState | null;
  overdueAt: string | null;
  extensions: CaseExtensionView[];
  concludedAt: string | null;
  declineReason: string | null;
  terminateReason: string | null;
  otherChannels: string[] | null;
  escalationCount: number;
  closedAt: string | null;
  isDemo: boolean;
  view: ViewLevel;
  parties: PartyView[];
  mediators: CaseMediatorView[];
  sessions: CaseSessionView[];
  agreement: CaseAgreementView | null;
  followUps: CaseFollowUpView[];
  history: CaseHistoryEntry[];
  /** Full viewers only (otherwise empty). */
  alerts: CaseAlertView[];
}

/** The case as staff see it: with what the caller may do now and whom they could assign. */
export interface StaffCaseDetail extends CaseDetail {
  actions: CaseActionsView;
  /** The committee's mediators the caller could assign (empty unless they may assign). */
  assignable: AssignableMediator[];
}

/** A registered case (or an application). */
export interface CaseCreated {
  id: string;
  caseNo: string;
}

/** The case after an action. */
export interface CaseTransition {
  id: string;
  caseNo: string;
  status: CaseStatus;
  committeeCode: string;
}

export interface RevealedIdentifier {
  field: 'idNumber' | 'phone';
  value: string | null;
}

export type { DeadlineKind } from './names.js';

export interface DeadlineItem {
  caseId: string;
  caseNo: string;
  committeeCode: string;
  status: CaseStatus;
  disputeType: DisputeType;
  deadline: DeadlineKind;
  /** An instant (the mediation window) or a date (follow-up, 司法确认). */
  due: string;
}

export interface DeadlineReport {
  divisionCode: string;
  scope: 'committee' | 'township';
  state: 'due_soon' | 'overdue';
  asOf: string;
  items: DeadlineItem[];
}

/** A violence-risk alert raised on a case of the caller's townships. */
export interface AlertListItem extends CaseAlertView {
  caseId: string;
  caseNo: string;
}

export interface UnitStats {
  unit: string;
  unitName: string;
  received: number;
  byType: Record<DisputeType, number>;
  bySource: Record<CaseSource, number>;
  byOutcome: { agreed: number; terminated: number; declined: number; pending: number };
  concluded: number;
  successRate: number | null;
  onTime: number;
  onTimeRate: number | null;
  escalated: number;
  escalationRate: number | null;
  averageDaysToConclude: number | null;
  overdue: number;
}

export type StatsGroupBy = 'committee' | 'township' | 'county' | 'month';

export interface StatsReport {
  divisionCode: string;
  groupBy: StatsGroupBy;
  year: number;
  month: number | null;
  total: UnitStats;
  /** One page of units (`unitCount` in all); the total line covers every unit. */
  units: UnitStats[];
  unitCount: number;
  page: number;
  pageSize: number;
}
