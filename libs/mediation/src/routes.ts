import { type AnswerOf, type FileAnswer, type Page, route } from '../../platform/src/http/contract.js';
import type {
  AgreementForm,
  CaseSource,
  CaseStatus,
  ConfirmationOutcome,
  DisputeType,
  ExecutionMode,
  OTHER_CHANNELS,
  PartyRole,
  RiskLevel,
} from './names.js';
import type {
  AlertListItem,
  CaseCreated,
  CaseDetail,
  CaseSummary,
  CaseTransition,
  DeadlineReport,
  Performance,
  RevealedIdentifier,
  StaffCaseDetail,
  StatsGroupBy,
  StatsReport,
} from './views.js';

/** A page of a list (1-based; 20 a page unless asked). */
export interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface CaseListQuery extends PageQuery {
  status?: CaseStatus;
  divisionCode?: string;
  disputeType?: DisputeType;
}

export interface DeadlineQuery {
  divisionCode: string;
  scope: 'committee' | 'township';
  state: 'due_soon' | 'overdue';
}

export interface StatsQuery {
  divisionCode?: string;
  groupBy: StatsGroupBy;
  year: number;
  month?: number;
  page?: number;
  pageSize?: number;
}

/** A party as registered: a person (ID number, phone or address) or an organization (credit code). */
export interface PartyBody {
  role: PartyRole;
  kind: 'person' | 'organization';
  name: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  creditCode?: string;
  /** An agent's principal: the index of the party represented. */
  represents?: number;
}

export interface CaseBody {
  disputeType: DisputeType;
  summary: string;
  claims: string;
  amountFen?: number;
  nonPublic?: boolean;
}

export interface RegisterCaseBody extends CaseBody {
  committeeCode: string;
  source: CaseSource;
  referringBody?: string;
  riskLevel?: RiskLevel;
  parties: PartyBody[];
}

export interface ApplyBody extends CaseBody {
  otherParties: PartyBody[];
}

export interface ReasonBody {
  reason: string;
}

export interface AssignBody {
  mediatorPersonIds: string[];
}

export interface SessionBody {
  heldOn: string;
  place: string;
  mediatorPersonIds: string[];
  attendees: string;
  record: string;
}

export interface PartyExecutionBody {
  ord: number;
  mode: ExecutionMode;
}

export interface AgreementBody {
  form?: AgreementForm;
  facts?: string;
  disputePoints?: string;
  responsibilities?: string;
  terms: string;
  performanceMethod: string;
  performBy: string;
  effectiveOn?: string;
  partyExecutions?: PartyExecutionBody[];
  mediatorPersonIds?: string[];
  committeeSealed?: boolean;
  recordedBy?: string;
}

export interface IdentifierBody {
  partyId: string;
  idNumber: string;
}

export interface AcceptBody {
  identifiers?: IdentifierBody[];
}

export interface IdNumberBody {
  idNumber: string;
}

export interface ExtensionBody {
  newDueOn: string;
  consentedOn: string;
  reason: string;
}

export interface ConfirmationBody {
  appliedOn: string;
  court: string;
}

export interface ConfirmationOutcomeBody {
  outcome: ConfirmationOutcome;
  decidedOn: string;
}

export interface TerminateBody extends ReasonBody {
  otherChannels: (typeof OTHER_CHANNELS)[number][];
}

export interface FollowUpBody {
  visitedOn: string;
  visitor: string;
  performance: Performance;
  note?: string;
}

export interface RiskBody {
  description: string;
  policeNotifiedAt: string;
  policeContact: string;
}

export interface RevealBody {
  field: 'idNumber' | 'phone';
}

/** 人民调解's routes and their types (the web's client is typed by this map). */
export const mediationRoutes = {
  'POST /api/v1/mediation/applications': route<CaseCreated, never, ApplyBody>(),
  'GET /api/v1/mediation/my-cases': route<Page<CaseSummary>, PageQuery>(),
  'GET /api/v1/mediation/my-cases/:id': route<CaseDetail>(),
  'POST /api/v1/mediation/cases': route<CaseCreated, never, RegisterCaseBody>(),
  'GET /api/v1/mediation/cases': route<Page<CaseSummary>, CaseListQuery>(),
  'GET /api/v1/mediation/cases/:id': route<StaffCaseDetail>(),
  'POST /api/v1/mediation/cases/:id/accept': route<CaseTransition, never, AcceptBody>(),
  'POST /api/v1/mediation/cases/:id/parties/:partyId/id-number': route<CaseTransition, never, IdNumberBody>(),
  'POST /api/v1/mediation/cases/:id/extensions': route<CaseTransition, never, ExtensionBody>(),
  'POST /api/v1/mediation/cases/:id/confirmation': route<CaseTransition, never, ConfirmationBody>(),
  'POST /api/v1/mediation/cases/:id/confirmation/outcome': route<CaseTransition, never, ConfirmationOutcomeBody>(),
  'POST /api/v1/mediation/cases/:id/decline': route<CaseTransition, never, ReasonBody>(),
  'POST /api/v1/mediation/cases/:id/mediators': route<CaseTransition, never, AssignBody>(),
  'POST /api/v1/mediation/cases/:id/sessions': route<CaseTransition, never, SessionBody>(),
  'POST /api/v1/mediation/cases/:id/agreement': route<CaseTransition, never, AgreementBody>(),
  'POST /api/v1/mediation/cases/:id/terminate': route<CaseTransition, never, TerminateBody>(),
  'POST /api/v1/mediation/cases/:id/follow-ups': route<CaseTransition, never, FollowUpBody>(),
  'POST /api/v1/mediation/cases/:id/close': route<CaseTransition>(),
  'POST /api/v1/mediation/cases/:id/escalate': route<CaseTransition, never, ReasonBody>(),
  'POST /api/v1/mediation/cases/:id/risk': route<CaseTransition, never, RiskBody>(),
  'POST /api/v1/mediation/cases/:id/parties/:partyId/reveal': route<RevealedIdentifier, never, RevealBody>(),
  'GET /api/v1/mediation/cases/:id/agreement.html': route<FileAnswer>(),
  'GET /api/v1/mediation/cases/:id/confirmation-application.html': route<FileAnswer>(),
  'GET /api/v1/mediation/deadlines': route<DeadlineReport, DeadlineQuery>(),
  'GET /api/v1/mediation/alerts': route<Page<AlertListItem>, PageQuery>(),
  'GET /api/v1/mediation/stats': route<StatsReport, StatsQuery>(),
  'GET /api/v1/mediation/stats.xlsx': route<FileAnswer, StatsQuery>(),
};

export type MediationAnswer<K extends keyof typeof mediationRoutes> = AnswerOf<(typeof mediationRoutes)[K]>;
