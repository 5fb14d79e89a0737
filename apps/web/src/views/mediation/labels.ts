/** Names for the 人民调解 codes. */
export const DISPUTE_TYPES: Record<string, string> = {
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
export const SOURCES: Record<string, string> = {
  application: '当事人申请',
  initiative: '主动调解',
  court_referral: '法院移送',
  police_referral: '公安移送',
  petition_referral: '信访移送',
};
export const PARTY_ROLES: Record<string, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人', agent: '代理人' };
export const CASE_STATUS: Record<string, string> = {
  applied: '已申请',
  accepted: '已受理',
  declined: '不予受理',
  mediating: '调解中',
  agreed: '达成协议',
  terminated: '调解终止',
  follow_up: '回访中',
  closed: '已结案',
};
export const CASE_ACTIONS: Record<string, string> = {
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
  register: '登记',
  apply: '申请',
};
export const OTHER_CHANNELS: Record<string, string> = { arbitration: '仲裁', litigation: '诉讼', administrative: '行政途径' };
export const PERFORMANCE: Record<string, string> = { performed: '已履行', partly: '部分履行', not_performed: '未履行' };
export const RISK: Record<string, string> = { low: '低', medium: '中', high: '高' };
export const DEADLINE_KIND: Record<string, string> = { mediation: '调解期限', follow_up: '回访期限', confirmation: '司法确认申请期限' };

/** The statuses from which each action is allowed (the server decides; this only picks the buttons to show). */
export const ACTIONS_BY_STATUS: Record<string, string[]> = {
  applied: ['accept', 'decline', 'flag_risk'],
  accepted: ['assign', 'session', 'terminate', 'escalate', 'flag_risk'],
  mediating: ['assign', 'session', 'agree', 'terminate', 'escalate', 'flag_risk'],
  agreed: ['follow_up'],
  follow_up: ['follow_up', 'close'],
  terminated: ['close'],
};

export interface PartyView {
  id: string;
  ord: number;
  role: string;
  kind: 'person' | 'organization';
  name: string;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  address: string | null;
  creditCode: string | null;
  representsOrd: number | null;
}

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
  agreement: {
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
  history: { at: string; action: string; fromStatus: string | null; toStatus: string | null; fromCommittee: string | null; toCommittee: string | null; note: string | null }[];
  alerts: { id: string; description: string; policeNotifiedAt: string; policeContact: string; raisedAt: string }[];
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
