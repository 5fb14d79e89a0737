/** Names for the 村事共议 codes (the API's own Chinese names are used where it sends them). */
export const PROPOSAL_STATES: Record<string, string> = {
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
};

export const CATEGORIES: Record<string, string> = {
  work_subsidy: '误工补贴人员及标准',
  collective_income: '集体经济所得收益的使用',
  public_welfare: '公益事业兴办和筹资筹劳',
  land_contracting: '土地承包经营方案',
  collective_project: '集体经济项目立项、承包方案',
  homestead: '宅基地使用方案',
  land_compensation: '征地补偿费使用、分配方案',
  collective_property: '集体财产借贷、租赁或其他处分',
  charter: '集体经济组织章程',
  membership: '成员身份确认',
  share_quantification: '集体资产份额量化',
  merger_split: '合并、分立',
  other: '其他事项',
};

export const BODIES: Record<string, string> = {
  villagers_meeting: '村民会议',
  representatives_meeting: '村民代表会议',
  members_assembly: '集体经济组织成员大会',
  members_representatives_assembly: '集体经济组织成员代表大会',
  party_meeting: '党员大会',
};

export const CHOICES: Record<string, string> = { yes: '赞成', no: '反对', abstain: '弃权' };

export const OUTCOMES: Record<string, string> = { passed: '通过', rejected: '未通过', no_quorum: '未达到法定人数' };

export const ACTIONS: Record<string, string> = {
  edit: '修改草稿',
  record_proposal: '记录村党组织提议',
  record_consultation: '记录村"两委"商议',
  record_merged_meeting: '记录提议与商议（合并召开）',
  party_review_passed: '记录党员大会审议',
  party_review_failed: '党员大会审议未通过',
  open_party_vote: '发起党员网上审议',
  party_vote_passed: '党员网上审议通过',
  party_vote_failed: '党员网上审议未通过',
  approve: '审核通过',
  return: '退回修改',
  open_voting: '开始表决',
  vote_passed: '表决通过',
  vote_rejected: '表决未通过',
  vote_no_quorum: '表决未达法定人数',
  publish_resolution: '决议公开',
  report_implementation: '实施结果公开',
  close: '办结',
  withdraw: '撤回',
  create: '新建',
};

export const STATE_TAG: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'default'> = {
  voting: 'danger',
  deliberation: 'primary',
  pending_review: 'warning',
  passed: 'success',
  announced: 'success',
  closed: 'default',
  rejected: 'default',
  no_quorum: 'default',
  withdrawn: 'default',
};

export interface ProposalSummary {
  id: string;
  villageCode: string;
  villageName: string;
  title: string;
  category: string;
  amountFen: string | null;
  decidingBody: string;
  decidingBodyName: string;
  ballotType: 'open' | 'secret';
  status: string;
  statusName: string;
  origin: 'committee' | 'joint';
  createdAt: string;
  isDemo: boolean;
}

export interface VoteInfo {
  id: string;
  purpose: 'party_review' | 'decision';
  body: string;
  ballotType: string;
  status: 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  electorate: number;
  households: number;
  outcome: string | null;
}

export interface ProposalDetail extends ProposalSummary {
  body: string;
  allowBallotChange: boolean;
  deliberationDays: number;
  publicityDays: number;
  deliberationStartedAt: string | null;
  earliestVotingAt: string | null;
  availableActions: string[];
  history: { action: string; fromStatus: string | null; toStatus: string | null; at: string; actorName: string | null; details: Record<string, unknown> | null }[];
  attachments: { id: string; name: string; url: string | null; contentType: string | null; sizeBytes: number | null; createdAt: string }[];
  votes: VoteInfo[];
}

export interface Turnout {
  voteId: string;
  purpose: 'party_review' | 'decision';
  bodyName: string;
  ballotType: 'open' | 'secret';
  status: 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  electorate: number;
  households: number;
  participants: number;
  mayVote: boolean;
  hasVoted: boolean;
}

export interface Results {
  voteId: string;
  purpose: string;
  body: string;
  ballotType: string;
  electorate: number;
  households: number;
  participants: number;
  householdsRepresented: number;
  yes: number;
  no: number;
  abstain: number;
  outcome: string;
  talliedAt: string;
}

export interface CommentView {
  id: string;
  kind: 'comment' | 'question' | 'answer' | 'objection';
  parentId: string | null;
  authorName: string;
  official: boolean;
  body: string | null;
  createdAt: string;
  hidden: boolean;
  hiddenReason: string | null;
}

export interface NoticeOutcome {
  outcome: string;
  bodyName: string;
  ballotType: string;
  electorate: number;
  households: number;
  participants: number;
  householdsRepresented: number;
  yes: number;
  no: number;
  abstain: number;
}

export interface NoticeView {
  id: string;
  proposalId: string;
  villageCode: string;
  villageName: string;
  kind: 'resolution' | 'implementation';
  title: string;
  body: string;
  outcome: NoticeOutcome | null;
  committeeName: string;
  publishedAt: string;
  publicityEndsAt: string;
  inPublicity: boolean;
  isDemo: boolean;
}

/** Receipts are kept on this device so a voter can check theirs after close without writing it down. */
const RECEIPTS_KEY = 'sangong.receipts';
export function saveReceipt(proposalId: string, code: string): void {
  const all = JSON.parse(localStorage.getItem(RECEIPTS_KEY) ?? '{}') as Record<string, string>;
  all[proposalId] = code;
  localStorage.setItem(RECEIPTS_KEY, JSON.stringify(all));
}
export function savedReceipt(proposalId: string): string | null {
  return (JSON.parse(localStorage.getItem(RECEIPTS_KEY) ?? '{}') as Record<string, string>)[proposalId] ?? null;
}
