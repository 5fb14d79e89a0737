/**
 * The shapes of the 村务共管 API's answers, shared by the services that build them and the web UI. Types
 * only: it may import only from names.ts.
 */
import type {
  DisclosureAction,
  DisclosureKind,
  DisclosureState,
  Direction,
  FinanceCategory,
  PeriodKind,
  QueryState,
  ScheduleSeries,
  Subject,
} from './names.js';

export interface DisclosureSummary {
  id: string;
  villageCode: string;
  villageName: string;
  subject: Subject;
  kind: DisclosureKind;
  title: string;
  periodKind: PeriodKind;
  /** First and last day of the period (YYYY-MM-DD), inclusive. */
  periodStart: string;
  periodEnd: string;
  /** A human label of the period: 2026年第3季度, 2026年10月. */
  periodLabel: string;
  state: DisclosureState;
  /** When it must be published by (the schedule's due date), if it counts for one. */
  dueOn: string | null;
  publishedAt: string | null;
  publicityUntil: string | null;
  openQueries: number;
  isDemo: boolean;
}

export interface FinanceEntryView {
  id: string;
  lineNo: number;
  entryDate: string;
  voucherNo: string;
  item: string;
  counterpart: string | null;
  category: FinanceCategory;
  direction: Direction;
  amountFen: string;
}

/** Finance figures in integer fen (strings: bigint-safe). `balanced`: closing = opening + income − expenditure. */
export interface FinanceFigures {
  openingBalanceFen: string;
  incomeFen: string;
  expenseFen: string;
  closingBalanceFen: string | null;
  /** opening + income − expenditure, what the closing balance must be. */
  expectedClosingFen: string;
  balanced: boolean;
  byCategory: { category: FinanceCategory; direction: Direction; amountFen: string; entries: number }[];
}

export interface DisclosureAttachmentView {
  id: string;
  purpose: 'voucher' | 'board' | 'report' | 'other';
  name: string;
  contentType: string;
  sizeBytes: number;
}

/** A 村事共议 notice of the village in the disclosure's period: the decisions and their implementation, published by the proposals themselves. */
export interface DecisionNoticeRef {
  id: string;
  proposalId: string;
  kind: 'resolution' | 'implementation';
  title: string;
  publishedAt: string;
}

export interface DisclosureDetail extends DisclosureSummary {
  body: string;
  proposalId: string | null;
  publicityDays: number;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  returnReason: string | null;
  finance: FinanceFigures | null;
  entries: FinanceEntryView[];
  attachments: DisclosureAttachmentView[];
  /**
   * Decisions and their implementation (kind 'decisions'): the resolution and implementation notices the
   * village's proposals published in this period (they publish themselves; the disclosure links them). Empty
   * for other kinds.
   */
  decisionNotices: DecisionNoticeRef[];
  /** What the caller may do now (the server decides; the UI shows only these). */
  actions: DisclosureAction[];
  mayQuery: boolean;
}

export interface QueryView {
  id: string;
  disclosureId: string;
  disclosureTitle: string;
  villageCode: string;
  entryId: string | null;
  /** The asker's name is shown to the committee, the supervision committee and the township; masked to other residents. */
  askerName: string;
  question: string;
  askedAt: string;
  answerDueAt: string;
  overdue: boolean;
  state: QueryState;
  answer: string | null;
  answeredAt: string | null;
  escalationReason: string | null;
  escalatedAt: string | null;
  townshipReply: string | null;
  closedAt: string | null;
  /** What the caller may do with it now. */
  actions: ('answer' | 'escalate' | 'close')[];
}

/** One slot of a village's schedule: a series' period, when it is due, and whether it was published. */
export interface ScheduleSlot {
  series: ScheduleSeries;
  periodKind: PeriodKind;
  periodStart: string;
  periodEnd: string;
  periodLabel: string;
  dueOn: string;
  status: 'published' | 'due' | 'overdue' | 'upcoming';
  publishedAt: string | null;
  disclosureId: string | null;
  daysOverdue: number;
}

export interface VillageSchedule {
  villageCode: string;
  villageName: string;
  financeMonthly: boolean;
  slots: ScheduleSlot[];
  orders: TownshipOrderView[];
}

/** A division's roll-up: its villages' slots due, overdue and published, as of a day. */
export interface OversightRow {
  divisionCode: string;
  divisionName: string;
  villages: number;
  published: number;
  due: number;
  overdue: number;
  /** Villages with a slot overdue by more than the highlight setting. */
  villagesLongOverdue: number;
  openQueriesOverdue: number;
}

export interface OversightView {
  divisionCode: string;
  divisionName: string;
  asOf: string;
  longOverdueDays: number;
  rows: OversightRow[];
  total: OversightRow;
}

export interface TownshipOrderView {
  id: string;
  villageCode: string;
  villageName: string;
  series: ScheduleSeries | null;
  periodStart: string | null;
  queryId: string | null;
  text: string;
  dueOn: string;
  orderedAt: string;
  orderedBy: string;
  followUp: string | null;
  followedUpAt: string | null;
}

export interface FinanceImportPreview {
  rows: number;
  incomeFen: string;
  expenseFen: string;
  errors: { row: number; field: string; message: string }[];
  committed: boolean;
}
