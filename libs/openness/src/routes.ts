import { type AnswerOf, type FileAnswer, type NoContent, type Page, route } from '../../platform/src/http/contract.js';
import type { DisclosureKind, DisclosureState, FinanceCategory, PeriodKind, QueryState, ScheduleSeries, Subject } from './names.js';
import type {
  DisclosureAttachmentView,
  DisclosureDetail,
  DisclosureSummary,
  FinanceEntryView,
  FinanceImportPreview,
  OversightView,
  QueryView,
  TownshipOrderView,
  VillageSchedule,
} from './views.js';

interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface DisclosureQuery extends PageQuery {
  divisionCode?: string;
  kind?: DisclosureKind;
  state?: DisclosureState;
  /** Periods starting in this year. */
  year?: number;
  q?: string;
}

export interface CreateDisclosureBody {
  villageCode: string;
  subject: Subject;
  kind: DisclosureKind;
  title: string;
  body?: string;
  periodKind: PeriodKind;
  /** The period's first day (YYYY-MM-DD): the 1st of a month, of a quarter's first month, 1 January; any day for 'once'. */
  periodStart: string;
  /** Finance only: the opening balance in fen. */
  openingBalanceFen?: string;
  publicityDays?: number;
}

export interface EditDisclosureBody {
  title?: string;
  body?: string;
  openingBalanceFen?: string;
  closingBalanceFen?: string;
  publicityDays?: number;
}

export interface ReasonBody {
  reason: string;
}

export interface FinanceEntryBody {
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart?: string;
  category: FinanceCategory;
  /** A positive amount in fen (the category says income or expenditure). */
  amountFen: string;
}

/** The month's entries from the accountant's sheet (the product's template), base64 .xlsx; `commit` false: preview only. */
export interface FinanceImportBody {
  contentBase64: string;
  commit: boolean;
}

export interface DisclosureAttachmentBody {
  purpose: 'voucher' | 'board' | 'report' | 'other';
  name: string;
  contentBase64: string;
  contentType: string;
}

export interface QueryBody {
  question: string;
  /** An entry of a finance disclosure, or the whole disclosure. */
  entryId?: string;
}

export interface QueryListQuery extends PageQuery {
  divisionCode?: string;
  state?: QueryState;
  overdue?: boolean;
}

export interface AnswerBody {
  answer: string;
}

export interface OversightQuery {
  divisionCode?: string;
  /** The day the figures are as of (YYYY-MM-DD, default today in 长治). */
  asOf?: string;
}

export interface VillageSettingBody {
  financeMonthly: boolean;
}

export interface OrderBody {
  villageCode: string;
  series?: ScheduleSeries;
  periodStart?: string;
  queryId?: string;
  text: string;
  dueOn: string;
}

export interface FollowUpBody {
  followUp: string;
}

/** 村务共管's routes and their types: disclosures and their finance, supervision, queries, the schedule and the township's watch. */
export const opennessRoutes = {
  'GET /api/v1/disclosures': route<Page<DisclosureSummary>, DisclosureQuery>(),
  'POST /api/v1/disclosures': route<DisclosureDetail, never, CreateDisclosureBody>(),
  'GET /api/v1/disclosures/:id': route<DisclosureDetail>(),
  'PATCH /api/v1/disclosures/:id': route<DisclosureDetail, never, EditDisclosureBody>(),
  'POST /api/v1/disclosures/:id/submit': route<DisclosureDetail>(),
  'POST /api/v1/disclosures/:id/return': route<DisclosureDetail, never, ReasonBody>(),
  'POST /api/v1/disclosures/:id/sign-off': route<DisclosureDetail>(),
  'POST /api/v1/disclosures/:id/publish': route<DisclosureDetail>(),

  'POST /api/v1/disclosures/:id/entries': route<FinanceEntryView, never, FinanceEntryBody>(),
  'DELETE /api/v1/disclosures/:id/entries/:entryId': route<NoContent>(),
  'POST /api/v1/disclosures/:id/import': route<FinanceImportPreview, never, FinanceImportBody>(),
  'GET /api/v1/disclosures/finance-template': route<FileAnswer>(),
  'GET /api/v1/disclosures/:id/export': route<FileAnswer>(),
  'GET /api/v1/disclosures/:id/print': route<FileAnswer>(),
  'POST /api/v1/disclosures/:id/attachments': route<DisclosureAttachmentView, never, DisclosureAttachmentBody>(),
  'GET /api/v1/disclosures/:id/attachments/:attachmentId': route<FileAnswer>(),

  'POST /api/v1/disclosures/:id/queries': route<QueryView, never, QueryBody>(),
  'GET /api/v1/disclosures/:id/queries': route<QueryView[]>(),
  'GET /api/v1/disclosure-queries': route<Page<QueryView>, QueryListQuery>(),
  'POST /api/v1/disclosure-queries/:id/answer': route<QueryView, never, AnswerBody>(),
  'POST /api/v1/disclosure-queries/:id/escalate': route<QueryView, never, ReasonBody>(),
  'POST /api/v1/disclosure-queries/:id/close': route<QueryView, never, AnswerBody>(),

  'GET /api/v1/openness/oversight': route<OversightView, OversightQuery>(),
  'GET /api/v1/openness/oversight/export': route<FileAnswer, OversightQuery>(),
  'GET /api/v1/openness/villages/:code/schedule': route<VillageSchedule, OversightQuery>(),
  'PUT /api/v1/openness/villages/:code/setting': route<VillageSchedule, never, VillageSettingBody>(),
  'POST /api/v1/openness/orders': route<TownshipOrderView, never, OrderBody>(),
  'POST /api/v1/openness/orders/:id/follow-up': route<TownshipOrderView, never, FollowUpBody>(),
};

export type OpennessAnswer<K extends keyof typeof opennessRoutes> = AnswerOf<(typeof opennessRoutes)[K]>;
