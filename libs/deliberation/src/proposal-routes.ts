import { type FileAnswer, type NoContent, type Page, route } from '../../platform/src/http/contract.js';
import type {
  ApprovalAuthority,
  ApprovalDecision,
  BallotType,
  Category,
  DecidingBody,
  JointConvenes,
  JointKind,
  ProposalState,
  ReportKind,
} from './names.js';
import type {
  ApprovalsView,
  AttachmentAdded,
  CommentView,
  JointRequestView,
  NoticeView,
  ProposalAnswer,
  ProposalDetail,
  ProposalStats,
  ProposalSummary,
} from './views.js';

/** Paging of a list (PageQueryDto): page from 1, pageSize 1–100. */
export interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface ProposalQuery extends PageQuery {
  divisionCode?: string;
  status?: ProposalState;
  category?: Category;
  decidingBody?: DecidingBody;
  /** Created on or after (ISO date). */
  from?: string;
  /** Created before (ISO date). */
  to?: string;
  /** Searched in the title and the text. */
  q?: string;
  needsMyVote?: boolean;
  awaitingMyReview?: boolean;
}

export interface CreateProposalBody {
  villageCode: string;
  title: string;
  body: string;
  category: Category;
  /** Money in integer fen: a safe integer, or a string of up to 15 digits. */
  amountFen?: number | string;
  decidingBody: DecidingBody;
  ballotType: BallotType;
  allowBallotChange?: boolean;
  deliberationDays?: number;
  publicityDays?: number;
  meetingPlace?: string;
}

export type UpdateProposalBody = Partial<Omit<CreateProposalBody, 'villageCode'>>;

export interface MeetingRecordBody {
  /** YYYY-MM-DD */
  date: string;
  attendees: string[];
  summary: string;
}

export interface PartyReviewBody {
  date: string;
  attendees: number;
  yes: number;
  no: number;
  summary?: string;
}

export interface OpenVoteBody {
  /** ISO 8601 */
  closesAt: string;
}

export interface ReviewBody {
  comment?: string;
}

export interface ReasonBody {
  reason: string;
}

export interface NoticeTextBody {
  /** Optional for a resolution (composed from the tally). */
  body?: string;
}

export interface TextBody {
  body: string;
}

export interface CommentBody {
  kind?: 'comment' | 'question';
  body: string;
}

export interface AttachmentBody {
  name: string;
  /** A link, or a file (contentBase64 with contentType): one of the two. */
  url?: string;
  contentBase64?: string;
  contentType?: string;
  reportKind?: ReportKind;
}

export interface RecordApprovalBody {
  authority: ApprovalAuthority;
  decision: ApprovalDecision;
  decidedOn: string;
  documentNumber: string;
  note?: string;
}

export interface JointRequestBody {
  villageCode: string;
  kind: JointKind;
  convenes?: JointConvenes;
  title: string;
  body: string;
}

export interface JointQuery extends PageQuery {
  divisionCode?: string;
  pending?: boolean;
}

export interface OverdueQuery extends PageQuery {
  divisionCode?: string;
}

export interface ProposalStatsQuery {
  divisionCode?: string;
}

/** Proposals, their discussion, joint requests and statistics (see routes.ts). */
export const proposalRoutes = {
  'POST /api/v1/proposals': route<ProposalSummary, never, CreateProposalBody>(),
  'GET /api/v1/proposals': route<Page<ProposalSummary>, ProposalQuery>(),
  'GET /api/v1/proposals/:id': route<ProposalAnswer>(),
  'PATCH /api/v1/proposals/:id': route<ProposalSummary, never, UpdateProposalBody>(),
  'POST /api/v1/proposals/:id/proposal-meeting': route<ProposalDetail, never, MeetingRecordBody>(),
  'POST /api/v1/proposals/:id/merged-meeting': route<ProposalDetail, never, MeetingRecordBody>(),
  'POST /api/v1/proposals/:id/consultation': route<ProposalDetail, never, MeetingRecordBody>(),
  'POST /api/v1/proposals/:id/party-review': route<ProposalDetail, never, PartyReviewBody>(),
  'POST /api/v1/proposals/:id/party-vote': route<ProposalDetail, never, OpenVoteBody>(),
  'POST /api/v1/proposals/:id/approve': route<ProposalDetail, never, ReviewBody>(),
  'POST /api/v1/proposals/:id/return': route<ProposalDetail, never, ReasonBody>(),
  'POST /api/v1/proposals/:id/withdraw': route<ProposalDetail, never, ReasonBody>(),
  'POST /api/v1/proposals/:id/voting': route<ProposalDetail, never, OpenVoteBody>(),
  'POST /api/v1/proposals/:id/resolution': route<NoticeView, never, NoticeTextBody>(),
  'POST /api/v1/proposals/:id/implementation-reports': route<NoticeView, never, TextBody>(),
  'POST /api/v1/proposals/:id/close': route<ProposalDetail>(),
  'POST /api/v1/proposals/:id/approvals': route<ApprovalsView, never, RecordApprovalBody>(),
  'POST /api/v1/proposals/:id/attachments': route<AttachmentAdded, never, AttachmentBody>(),
  /** A file attachment answers the file; a link attachment answers its AttachmentLink (the web opens links directly). */
  'GET /api/v1/proposals/:id/attachments/:attachmentId': route<FileAnswer>(),
  /** The statutory meeting notice as an A4 page for the 村务公开栏 (HTML, printed from the browser). */
  'GET /api/v1/proposals/:id/meeting-notice/print': route<FileAnswer>(),

  'GET /api/v1/proposals/:id/comments': route<CommentView[]>(),
  'POST /api/v1/proposals/:id/comments': route<CommentView, never, CommentBody>(),
  'POST /api/v1/proposals/:id/comments/:commentId/answer': route<CommentView, never, TextBody>(),
  'POST /api/v1/proposals/:id/comments/:commentId/hide': route<NoContent, never, ReasonBody>(),
  'POST /api/v1/proposals/:id/objections': route<CommentView, never, TextBody>(),

  'POST /api/v1/joint-requests': route<JointRequestView, never, JointRequestBody>(),
  'POST /api/v1/joint-requests/:id/signatures': route<JointRequestView>(),
  'POST /api/v1/joint-requests/:id/withdraw': route<JointRequestView>(),
  'GET /api/v1/joint-requests/overdue': route<Page<JointRequestView>, OverdueQuery>(),
  'GET /api/v1/joint-requests': route<Page<JointRequestView>, JointQuery>(),
  'GET /api/v1/joint-requests/:id': route<JointRequestView>(),

  'GET /api/v1/proposal-stats': route<ProposalStats, ProposalStatsQuery>(),
  'GET /api/v1/proposal-stats/xlsx': route<FileAnswer, ProposalStatsQuery>(),
};
