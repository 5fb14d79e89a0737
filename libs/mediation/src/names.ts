/**
 * The 人民调解 codes and their Chinese names: pure data, shared by the API and the web UI (which
 * imports this file through its `@libs` alias). It must import nothing, or only other such pure
 * files: no Nest, no class-validator, no #platform (eslint.config.mjs enforces it).
 */

export const CASE_STATUSES = ['applied', 'accepted', 'declined', 'mediating', 'agreed', 'terminated', 'follow_up', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_NAMES: Record<CaseStatus, string> = {
  applied: '已申请',
  accepted: '已受理',
  declined: '不予受理',
  mediating: '调解中',
  agreed: '达成协议',
  terminated: '调解终止',
  follow_up: '回访中',
  closed: '已结案',
};

/** The statuses of a case still being handled (the "to do" queue): before an outcome. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['applied', 'accepted', 'mediating'];

export const CASE_ACTIONS = [
  'accept',
  'decline',
  'identify',
  'assign',
  'session',
  'extend',
  'agree',
  'terminate',
  'follow_up',
  'close',
  'escalate',
  'flag_risk',
  'confirm_apply',
  'confirm_decide',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const ACTION_NAMES: Record<CaseAction, string> = {
  accept: '受理',
  decline: '不予受理',
  identify: '补充身份证号',
  assign: '指派调解员',
  session: '记录调解',
  extend: '延长调解期限',
  agree: '达成协议',
  terminate: '终止调解',
  follow_up: '回访',
  close: '结案',
  escalate: '上报上级',
  flag_risk: '标记激化风险',
  confirm_apply: '申请司法确认',
  confirm_decide: '记录司法确认结果',
};

/** The entries of a case's history (mediation_case_event.action): the actions, registration, and the deadline job's mark. */
export type CaseEvent = CaseAction | 'register' | 'overdue';
export const EVENT_NAMES: Record<CaseEvent, string> = { ...ACTION_NAMES, register: '登记', overdue: '超过调解期限' };

export const DISPUTE_TYPES = [
  'marriage_family',
  'neighbor',
  'damages',
  'land_contract',
  'homestead',
  'forest_land',
  'labor',
  'contract',
  'expropriation',
  'property_mgmt',
  'other',
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];
export const DISPUTE_TYPE_NAMES: Record<DisputeType, string> = {
  marriage_family: '婚姻家庭',
  neighbor: '邻里',
  damages: '损害赔偿',
  land_contract: '土地承包',
  homestead: '宅基地',
  forest_land: '山林土地',
  labor: '劳动争议',
  contract: '合同',
  expropriation: '征地拆迁',
  property_mgmt: '物业',
  other: '其他',
};

export const CASE_SOURCES = ['application', 'initiative', 'court_referral', 'police_referral', 'petition_referral'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const SOURCE_NAMES: Record<CaseSource, string> = {
  application: '当事人申请',
  initiative: '主动调解',
  court_referral: '法院移送',
  police_referral: '公安移送',
  petition_referral: '信访移送',
};

export const PARTY_ROLES = ['applicant', 'respondent', 'third_party', 'agent'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_ROLE_NAMES: Record<PartyRole, string> = {
  applicant: '申请人',
  respondent: '被申请人',
  third_party: '第三人',
  agent: '代理人',
};

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_NAMES: Record<RiskLevel, string> = { low: '低', medium: '中', high: '高' };

export const OTHER_CHANNELS = ['arbitration', 'litigation', 'administrative'] as const;
export const OTHER_CHANNEL_NAMES: Record<(typeof OTHER_CHANNELS)[number], string> = {
  arbitration: '仲裁',
  litigation: '诉讼',
  administrative: '行政途径',
};

export const PERFORMANCE = ['performed', 'partly', 'not_performed'] as const;
export const PERFORMANCE_NAMES: Record<(typeof PERFORMANCE)[number], string> = {
  performed: '已履行',
  partly: '部分履行',
  not_performed: '未履行',
};

/** 人民调解法 Art. 28: a written agreement (调解协议书) or, where the parties think it unnecessary, an oral one. */
export const AGREEMENT_FORMS = ['written', 'oral'] as const;
export type AgreementForm = (typeof AGREEMENT_FORMS)[number];
export const AGREEMENT_FORM_NAMES: Record<AgreementForm, string> = { written: '书面协议', oral: '口头协议' };

/** Art. 29: each party signs, seals or thumb-prints the agreement; the mediators sign it. */
export const EXECUTION_MODES = ['sign', 'seal', 'thumbprint'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];
export const EXECUTION_MODE_NAMES: Record<ExecutionMode, string> = { sign: '签名', seal: '盖章', thumbprint: '按指印' };

/** Art. 33: the court confirms the agreement, or rejects the application (裁定驳回申请). */
export const CONFIRMATION_OUTCOMES = ['confirmed', 'rejected'] as const;
export type ConfirmationOutcome = (typeof CONFIRMATION_OUTCOMES)[number];
export const CONFIRMATION_OUTCOME_NAMES: Record<ConfirmationOutcome, string> = { confirmed: '裁定确认协议有效', rejected: '裁定驳回申请' };

/** The deadlines the due-soon and overdue lists report. */
export const DEADLINE_KINDS = ['mediation', 'follow_up', 'confirmation'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_KIND_NAMES: Record<DeadlineKind, string> = {
  mediation: '调解期限',
  follow_up: '回访期限',
  confirmation: '司法确认申请期限',
};

/** The note shown beside a deadline whose year has no holiday calendar in the data. */
export const unverifiedDeadlineNote = (year: number): string => `${year} 年节假日安排未录入，期限未按节假日顺延核定`;
