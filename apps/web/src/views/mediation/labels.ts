import {
  AGREEMENT_FORM_NAMES,
  CONFIRMATION_OUTCOME_NAMES,
  DISPUTE_TYPE_NAMES,
  EXECUTION_MODE_NAMES,
  EVENT_NAMES,
  OTHER_CHANNEL_NAMES,
  PARTY_ROLE_NAMES,
  PERFORMANCE_NAMES,
  RISK_LEVEL_NAMES,
  SOURCE_NAMES,
  STATUS_NAMES,
  unverifiedDeadlineNote,
} from '@libs/mediation/src/names';
import type { AssignableMediator, CaseActionsView, PartyView } from '@libs/mediation/src/views';

/**
 * Names for the 人民调解 codes: the server's own (libs/mediation/src/names.ts), so the UI, the API's
 * messages, the printed documents and the Excel exports say the same. Widened to string keys for
 * lookups of codes that arrive as plain strings.
 */
export const DISPUTE_TYPES: Record<string, string> = DISPUTE_TYPE_NAMES;
export const SOURCES: Record<string, string> = SOURCE_NAMES;
export const PARTY_ROLES: Record<string, string> = PARTY_ROLE_NAMES;
export const CASE_STATUS: Record<string, string> = STATUS_NAMES;
/** The actions (buttons, forms) and the other entries of a case's history. */
export const CASE_ACTIONS: Record<string, string> = EVENT_NAMES;
export const OTHER_CHANNELS: Record<string, string> = OTHER_CHANNEL_NAMES;
export const PERFORMANCE: Record<string, string> = PERFORMANCE_NAMES;
export const RISK: Record<string, string> = RISK_LEVEL_NAMES;
export const AGREEMENT_FORM: Record<string, string> = AGREEMENT_FORM_NAMES;
export const EXECUTION_MODE: Record<string, string> = EXECUTION_MODE_NAMES;
export const CONFIRMATION_OUTCOME: Record<string, string> = CONFIRMATION_OUTCOME_NAMES;
export { unverifiedDeadlineNote };
export const DEADLINE_KIND: Record<string, string> = { mediation: '调解期限', follow_up: '回访期限', confirmation: '司法确认申请期限' };

export type { PartyView } from '@libs/mediation/src/views';

export interface CaseSummary {
  id: string;
  caseNo: string;
  committeeName: string;
  status: string;
  disputeType: string;
  appliedAt: string;
  dueAt: string | null;
  violenceRisk?: boolean | null;
  parties?: PartyView[];
  summary?: string | null;
  isDemo?: boolean;
}

export interface CaseDetail extends CaseSummary {
  committeeCode: string;
  originCommitteeCode: string;
  outcome: string | null;
  claims: string | null;
  amountFen: string | null;
  source: string;
  referringBody: string | null;
  riskLevel: string | null;
  nonPublic: boolean;
  acceptedAt: string | null;
  deadlineState: string | null;
  overdueAt: string | null;
  concludedAt: string | null;
  declineReason: string | null;
  terminateReason: string | null;
  otherChannels: string[] | null;
  escalationCount: number;
  closedAt: string | null;
  view: 'full' | 'restricted' | 'party';
  parties: PartyView[];
  mediators: { personId: string; name: string; assignedAt: string; endedAt: string | null }[];
  sessions: { id: string; heldOn: string; place: string; attendees: string | null; record: string | null; mediatorPersonIds: string[] }[];
  dueUnverifiedYear: number | null;
  extensions: { previousDueAt: string; newDueOn: string; consentedOn: string; reason: string | null; createdAt: string }[];
  agreement: {
    form: 'written' | 'oral';
    confirmUnverifiedYear: number | null;
    committeeSealed: boolean | null;
    recordedByName: string | null;
    partyExecutions: { partyId: string; ord: number; mode: string }[];
    mediatorSignatures: { personId: string; name: string }[];
    confirmation: { appliedOn: string; court: string; outcome: string | null; decidedOn: string | null } | null;
    effectiveOn: string;
    performBy: string;
    confirmDeadline: string;
    followUpDue: string;
    facts: string | null;
    disputePoints: string | null;
    responsibilities: string | null;
    terms: string | null;
    performanceMethod: string | null;
  } | null;
  followUps: { id: string; visitedOn: string; visitor: string; performance: string; note: string | null }[];
  history: {
    at: string;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    fromCommittee: string | null;
    toCommittee: string | null;
    note: string | null;
  }[];
  alerts: { id: string; description: string; policeNotifiedAt: string; policeContact: string; raisedAt: string }[];
  /** What the caller may do now, and why not the rest (absent on a party's own case). */
  actions?: CaseActionsView;
  /** The committee's mediators the caller could assign (when they may assign). */
  assignable?: AssignableMediator[];
}

export interface PartyInput {
  role: string;
  kind: 'person' | 'organization';
  name: string;
  idNumber: string;
  phone: string;
  address: string;
  creditCode: string;
}
