/**
 * 村务共管's codes and their Chinese names (村务公开、财务公开; 村民委员会组织法 Art. 30–32, 农村集体经济组织法
 * Art. 45–46; DOMAIN.md §1a): pure data, shared with the web UI (docs/decisions/006-shared-names.md).
 */

/** Whose disclosure: the village committee's (村务), or the collective economic organization's (its finances, Art. 45). */
export const SUBJECTS = ['village', 'collective'] as const;
export type Subject = (typeof SUBJECTS)[number];
export const SUBJECT_NAMES: Record<Subject, string> = { village: '村民委员会', collective: '村集体经济组织' };

/** What is disclosed (Art. 30 ¶1 and the collective organization's reports). */
export const DISCLOSURE_KINDS = ['decisions', 'relief', 'government_work', 'other', 'finance', 'annual_reports'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];
export const DISCLOSURE_KIND_NAMES: Record<DisclosureKind, string> = {
  decisions: '村民会议、村民代表会议决定的事项及其实施情况',
  relief: '救灾救助、补贴补助等资金物资的管理使用情况',
  government_work: '协助人民政府开展工作的情况',
  other: '涉及村民利益、村民普遍关心的其他事项',
  finance: '财务收支',
  annual_reports: '年度工作报告、财务会计报告和收益分配方案',
};
export const DISCLOSURE_KIND_SHORT: Record<DisclosureKind, string> = {
  decisions: '决定事项',
  relief: '救助补贴',
  government_work: '协助政府工作',
  other: '其他事项',
  finance: '财务公开',
  annual_reports: '年度报告',
};

/** The periods a disclosure covers. 'once': a major matter published at once (Art. 30 ¶2). */
export const PERIOD_KINDS = ['month', 'quarter', 'year', 'once'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_NAMES: Record<PeriodKind, string> = { month: '月度', quarter: '季度', year: '年度', once: '即时' };

/** Draft → submitted to the 村务监督委员会 → returned (with reasons) or signed off → published. */
export const DISCLOSURE_STATES = ['draft', 'submitted', 'returned', 'signed_off', 'published'] as const;
export type DisclosureState = (typeof DISCLOSURE_STATES)[number];
export const DISCLOSURE_STATE_NAMES: Record<DisclosureState, string> = {
  draft: '草稿',
  submitted: '待监委会审核',
  returned: '监委会退回',
  signed_off: '监委会已审核，待公开',
  published: '已公开',
};

/** The steps of the workflow, each audited. */
export const DISCLOSURE_ACTIONS = ['edit', 'submit', 'return', 'sign_off', 'publish'] as const;
export type DisclosureAction = (typeof DISCLOSURE_ACTIONS)[number];
export const DISCLOSURE_ACTION_NAMES: Record<DisclosureAction, string> = {
  edit: '修改',
  submit: '提交监委会审核',
  return: '退回修改',
  sign_off: '审核通过',
  publish: '公开',
};

export type Direction = 'income' | 'expense';

/** The village accounting chart's income and expenditure categories (村集体经济组织会计制度). */
export const FINANCE_CATEGORIES = [
  'operating_income',
  'contracting_income',
  'investment_income',
  'subsidy_income',
  'other_income',
  'operating_expense',
  'admin_expense',
  'welfare_expense',
  'other_expense',
] as const;
export type FinanceCategory = (typeof FINANCE_CATEGORIES)[number];
export const FINANCE_CATEGORY_NAMES: Record<FinanceCategory, string> = {
  operating_income: '经营收入',
  contracting_income: '发包及上交收入',
  investment_income: '投资收益',
  subsidy_income: '补助收入',
  other_income: '其他收入',
  operating_expense: '经营支出',
  admin_expense: '管理费用',
  welfare_expense: '公益支出',
  other_expense: '其他支出',
};
export const CATEGORY_DIRECTION: Record<FinanceCategory, Direction> = {
  operating_income: 'income',
  contracting_income: 'income',
  investment_income: 'income',
  subsidy_income: 'income',
  other_income: 'income',
  operating_expense: 'expense',
  admin_expense: 'expense',
  welfare_expense: 'expense',
  other_expense: 'expense',
};

/** The schedule's series: general matters quarterly; finance monthly or quarterly (a setting per village). */
export const SCHEDULE_SERIES = ['general', 'finance', 'collective_finance'] as const;
export type ScheduleSeries = (typeof SCHEDULE_SERIES)[number];
export const SCHEDULE_SERIES_NAMES: Record<ScheduleSeries, string> = {
  general: '村务公开（至少每季度一次）',
  finance: '村财务公开',
  collective_finance: '集体经济组织财务公开',
};

/** A villager's query (质询) of a published disclosure: open → answered → (escalated to the township) → closed. */
export const QUERY_STATES = ['open', 'answered', 'escalated', 'closed'] as const;
export type QueryState = (typeof QUERY_STATES)[number];
export const QUERY_STATE_NAMES: Record<QueryState, string> = {
  open: '待答复',
  answered: '已答复',
  escalated: '已向乡镇反映',
  closed: '已办结',
};
