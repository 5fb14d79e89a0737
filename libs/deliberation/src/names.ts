/**
 * The 村事共议 codes and their Chinese names: pure data, shared by the API and the web UI (which
 * imports this file through its `@libs` alias). It must import nothing, or only other such pure
 * files: no Nest, no class-validator, no #platform (eslint.config.mjs enforces it).
 */

export const PROPOSAL_STATES = [
  'draft',
  'proposed', // 提议 recorded
  'consulted', // 商议 recorded
  'party_voting', // 审议 as an online vote of the party members
  'pending_review', // 审议 passed; township to review
  'deliberation', // approved; public discussion
  'voting',
  'passed',
  'rejected',
  'no_quorum',
  'announced', // 决议公开 posted (implementation reports may follow)
  'closed',
  'withdrawn',
  'awaiting_approval', // 决议公开 posted; the approvals the matter needs after the vote are outstanding (not yet in effect)
  'not_approved', // an approving authority refused: the resolution does not take effect
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const STATE_NAMES: Record<ProposalState, string> = {
  draft: '草稿',
  proposed: '已提议',
  consulted: '已商议',
  party_voting: '党员审议投票中',
  pending_review: '待乡镇审核',
  deliberation: '公开讨论中',
  voting: '表决中',
  passed: '已通过',
  rejected: '未通过',
  no_quorum: '未达法定人数',
  announced: '决议已公开',
  closed: '已办结',
  withdrawn: '已撤回',
  awaiting_approval: '决议已公开，待批准，尚未生效',
  not_approved: '未获批准，决议不生效',
};

export const PROPOSAL_ACTIONS = [
  'edit',
  'record_proposal',
  'record_consultation',
  'record_merged_meeting',
  'party_review_passed',
  'party_review_failed',
  'open_party_vote',
  'party_vote_passed',
  'party_vote_failed',
  'approve',
  'return',
  'open_voting',
  'vote_passed',
  'vote_rejected',
  'vote_no_quorum',
  'publish_resolution',
  'report_implementation',
  'close',
  'withdraw',
  'record_approval',
  'approvals_complete',
  'approval_refused',
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

/** What was done: in error messages and in the proposal's history. */
export const ACTION_NAMES: Record<ProposalAction, string> = {
  edit: '修改草稿',
  record_proposal: '记录村党组织提议',
  record_consultation: '记录村"两委"商议',
  record_merged_meeting: '记录提议与商议（合并召开）',
  party_review_passed: '党员大会审议通过',
  party_review_failed: '党员大会审议未通过',
  open_party_vote: '发起党员网上审议',
  party_vote_passed: '党员网上审议通过',
  party_vote_failed: '党员网上审议未通过',
  approve: '乡镇审核通过',
  return: '乡镇退回修改',
  open_voting: '开始表决',
  vote_passed: '表决通过',
  vote_rejected: '表决未通过',
  vote_no_quorum: '表决未达法定人数',
  publish_resolution: '决议公开',
  report_implementation: '实施结果公开',
  close: '办结',
  withdraw: '撤回',
  record_approval: '登记批准',
  approvals_complete: '批准齐全，决议生效',
  approval_refused: '登记不予批准，决议不生效',
};

/** The entries of a proposal's history (proposal_event.action): the actions, its creation, and a joint request reaching its threshold. */
export type ProposalEvent = ProposalAction | 'create' | 'joint_request_reached';
export const EVENT_NAMES: Record<ProposalEvent, string> = {
  ...ACTION_NAMES,
  create: '新建',
  joint_request_reached: '联名人数达到法定要求',
};

/**
 * The matters a proposal may be about. Who may decide each, and by what majority, is in
 * matter-rules.ts; the database's proposal_matter_body CHECK holds the same table.
 */
export const CATEGORIES = [
  'work_subsidy',
  'collective_income',
  'public_welfare',
  'land_contracting',
  'land_adjustment',
  'land_outsider_contracting',
  'construction_land',
  'collective_project',
  'homestead',
  'land_compensation',
  'collective_property',
  'charter',
  'internal_rules',
  'membership',
  'board_election',
  'budget_distribution',
  'share_quantification',
  'investment',
  'merger_split',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_NAMES: Record<Category, string> = {
  work_subsidy: '误工补贴人员及标准',
  collective_income: '集体经济所得收益的使用',
  public_welfare: '公益事业兴办和筹资筹劳',
  land_contracting: '土地承包经营方案',
  land_adjustment: '承包期内调整承包地',
  land_outsider_contracting: '将土地发包给本集体经济组织以外的单位或个人',
  construction_land: '集体经营性建设用地出让、出租',
  collective_project: '集体经济项目立项、承包方案',
  homestead: '宅基地使用方案',
  land_compensation: '征地补偿费使用、分配方案',
  collective_property: '集体财产借贷、租赁或其他处分',
  charter: '集体经济组织章程',
  internal_rules: '内部管理制度',
  membership: '成员身份确认',
  board_election: '选举、罢免理事会和监事会成员',
  budget_distribution: '年度财务预决算和收益分配方案',
  share_quantification: '集体资产份额量化',
  investment: '对外投资',
  merger_split: '合并、分立',
  other: '其他事项',
};

/**
 * The figure a matter needs on top of its deciding body's own rule (matter-rules.ts):
 * - `body_default`: nothing more than the body's rule;
 * - `two_thirds_of_all_members`: yes votes at least 2/3 of ALL members of the body (村民会议: of all its
 *   members, not of attendees; 成员大会 / 成员代表大会: of all members / member representatives);
 * - `two_thirds_of_all_representatives`: at a 村民代表会议, yes votes of village representatives at least
 *   2/3 of ALL village representatives (the committee members who also sit there do not count).
 */
export const THRESHOLDS = ['body_default', 'two_thirds_of_all_members', 'two_thirds_of_all_representatives'] as const;
export type Threshold = (typeof THRESHOLDS)[number];
export const THRESHOLD_NAMES: Record<Threshold, string> = {
  body_default: '按表决机构的一般规则',
  two_thirds_of_all_members: '全体成员三分之二以上同意',
  two_thirds_of_all_representatives: '全体村民代表三分之二以上同意（只计村民代表的赞成票）',
};

export const DECIDING_BODIES = [
  'villagers_meeting',
  'representatives_meeting',
  'members_assembly',
  'members_representatives_assembly',
] as const;
export type DecidingBody = (typeof DECIDING_BODIES)[number];

/** Every body that can vote online, including the party members' 审议 step. */
export type VotingBody = DecidingBody | 'party_meeting';

export const BODY_NAMES: Record<VotingBody, string> = {
  villagers_meeting: '村民会议',
  representatives_meeting: '村民代表会议',
  members_assembly: '集体经济组织成员大会',
  members_representatives_assembly: '集体经济组织成员代表大会',
  party_meeting: '党员大会',
};

export type BallotType = 'open' | 'secret';

export type Choice = 'yes' | 'no' | 'abstain';
export const CHOICE_NAMES: Record<Choice, string> = { yes: '赞成', no: '反对', abstain: '弃权' };

export type Outcome = 'passed' | 'rejected' | 'no_quorum';
/** A vote's result, as the results, the notification at close and the notices say it. */
export const OUTCOME_NAMES: Record<Outcome, string> = { passed: '通过', rejected: '未通过', no_quorum: '未达到法定人数' };

/** Who signs a 联名提议, and which meeting it forces (村民委员会组织法 Art. 21, 26). */
export const JOINT_KINDS = ['residents', 'representatives'] as const;
export type JointKind = (typeof JOINT_KINDS)[number];
export const JOINT_CONVENES = ['villagers_meeting', 'representatives_meeting'] as const;
export type JointConvenes = (typeof JOINT_CONVENES)[number];
export type JointStatus = 'collecting' | 'reached' | 'withdrawn';
export const JOINT_STATUS_NAMES: Record<JointStatus, string> = { collecting: '征集签名中', reached: '已达法定人数', withdrawn: '已撤回' };
/** The three forms of joint request, by (kind, convenes). */
export const JOINT_FORM_NAMES = {
  residents_villagers_meeting: '十分之一以上村民提议召开村民会议（第二十一条）',
  representatives_villagers_meeting: '三分之一以上村民代表提议召开村民会议（第二十一条）',
  representatives_representatives_meeting: '五分之一以上村民代表提议召开村民代表会议（第二十六条）',
} as const;

/** The reports a 成员大会's members may read from the notice day (农村集体经济组织法 Art. 46). */
export const REPORT_KINDS = ['annual_work_report', 'financial_report', 'distribution_plan'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_NAMES: Record<ReportKind, string> = {
  annual_work_report: '年度工作报告',
  financial_report: '财务会计报告',
  distribution_plan: '收益分配方案',
};

/**
 * The authorities whose approval a resolution needs after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1;
 * matter-rules.ts says which matter needs which). Township staff record each one (decision 015).
 */
export const APPROVAL_AUTHORITIES = ['township_government', 'county_agriculture'] as const;
export type ApprovalAuthority = (typeof APPROVAL_AUTHORITIES)[number];
export const APPROVAL_AUTHORITY_NAMES: Record<ApprovalAuthority, string> = {
  township_government: '乡（镇）人民政府',
  county_agriculture: '县级人民政府农业农村等主管部门',
};
export const APPROVAL_DECISIONS = ['approved', 'refused'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];
export const APPROVAL_DECISION_NAMES: Record<ApprovalDecision, string> = { approved: '批准', refused: '不予批准' };
/** Where a resolution stands with its approvals: none needed, some outstanding, all approved, or one refused. */
export const APPROVALS_STATUSES = ['not_required', 'pending', 'approved', 'refused'] as const;
export type ApprovalsStatus = (typeof APPROVALS_STATUSES)[number];
export const APPROVALS_STATUS_NAMES: Record<ApprovalsStatus, string> = {
  not_required: '无须批准',
  pending: '待批准，尚未生效',
  approved: '已全部批准，决议生效',
  refused: '未获批准，决议不生效',
};

/** How an elector took part in a vote (ballot_participation.channel). */
export const CHANNELS = ['online', 'onsite', 'assisted'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_NAMES: Record<Channel, string> = { online: '已在线投票', onsite: '已现场签到', assisted: '已代投（工作人员协助）' };

/** A meeting officer's duty: 计票人 count, 监票人 oversee and confirm. */
export const MEETING_DUTIES = ['teller', 'scrutineer'] as const;
export type MeetingDuty = (typeof MEETING_DUTIES)[number];
export const MEETING_DUTY_NAMES: Record<MeetingDuty, string> = { teller: '计票人', scrutineer: '监票人' };

/** Where the on-site part of a vote stands (vote_onsite.state). */
export const ONSITE_STATES = ['signing_in', 'counting', 'entered', 'confirmed'] as const;
export type OnsiteState = (typeof ONSITE_STATES)[number];
export const ONSITE_STATE_NAMES: Record<OnsiteState, string> = {
  signing_in: '签到中',
  counting: '计票中（已有一名计票人录入）',
  entered: '两名计票人录入一致，待监票人确认',
  confirmed: '监票人已确认',
};

/** What the caller may do at the meeting now (MeetingView.actions). */
export const MEETING_ACTIONS = ['arrange', 'sign_in', 'record_choice', 'enter_totals', 'attach_sheet', 'confirm', 'assist'] as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[number];
export const MEETING_ACTION_NAMES: Record<MeetingAction, string> = {
  arrange: '安排会议',
  sign_in: '现场签到',
  record_choice: '登记现场表决',
  enter_totals: '录入纸质票数',
  attach_sheet: '上传计票单照片',
  confirm: '监票人确认',
  assist: '协助投票（代投）',
};
