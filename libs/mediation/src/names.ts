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

export const CASE_ACTIONS = ['accept', 'decline', 'assign', 'session', 'agree', 'terminate', 'follow_up', 'close', 'escalate', 'flag_risk'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const ACTION_NAMES: Record<CaseAction, string> = {
  accept: '受理',
  decline: '不予受理',
  assign: '指派调解员',
  session: '记录调解',
  agree: '达成协议',
  terminate: '终止调解',
  follow_up: '回访',
  close: '结案',
  escalate: '上报上级',
  flag_risk: '标记激化风险',
};

/** The entries of a case's history (mediation_case_event.action): the actions, registration, and the deadline job's mark. */
export type CaseEvent = CaseAction | 'register' | 'overdue';
export const EVENT_NAMES: Record<CaseEvent, string> = { ...ACTION_NAMES, register: '登记', overdue: '超过调解期限' };

export const DISPUTE_TYPES = ['marriage_family', 'neighbor', 'damages', 'land_contract', 'homestead', 'forest_land', 'labor', 'contract', 'expropriation', 'property_mgmt', 'other'] as const;
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
export const PARTY_ROLE_NAMES: Record<PartyRole, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人', agent: '代理人' };

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_NAMES: Record<RiskLevel, string> = { low: '低', medium: '中', high: '高' };

export const OTHER_CHANNELS = ['arbitration', 'litigation', 'administrative'] as const;
export const OTHER_CHANNEL_NAMES: Record<(typeof OTHER_CHANNELS)[number], string> = { arbitration: '仲裁', litigation: '诉讼', administrative: '行政途径' };

export const PERFORMANCE = ['performed', 'partly', 'not_performed'] as const;
export const PERFORMANCE_NAMES: Record<(typeof PERFORMANCE)[number], string> = { performed: '已履行', partly: '部分履行', not_performed: '未履行' };
