import { DomainError } from '#platform';
import { ACTION_NAMES, type ProposalAction, type ProposalState, STATE_NAMES } from './proposal-lifecycle.js';

/** An instant as 长治 local time (UTC+8), for messages. */
const local = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export const DeliberationErrors = {
  proposalNotFound: () => new DomainError('not_found', 'PROPOSAL_NOT_FOUND', '议题不存在'),
  notVillage: () => new DomainError('invalid', 'DIVISION_NOT_VILLAGE', '议题只能在村（社区）一级提出'),
  transitionIllegal: (state: ProposalState, action: ProposalAction) =>
    new DomainError('conflict', 'PROPOSAL_TRANSITION_ILLEGAL', `议题当前状态为"${STATE_NAMES[state]}"，不能执行"${ACTION_NAMES[action]}"`, {
      state,
      action,
    }),
  transitionForbidden: (action: ProposalAction) =>
    new DomainError('forbidden', 'PROPOSAL_ACTION_FORBIDDEN', `您无权执行"${ACTION_NAMES[action]}"`, { action }),
  /** The message cites the article (matter-rules.ts checkMatterBody). */
  matterBodyNotAllowed: (message: string, category: string, body: string) =>
    new DomainError('invalid', 'MATTER_BODY_NOT_ALLOWED', message, { category, decidingBody: body }),
  deliberationTooShort: (until: Date) =>
    new DomainError('conflict', 'DELIBERATION_PERIOD_NOT_OVER', `公开讨论期未满，最早可于 ${until.toISOString()} 开始表决`, {
      earliest: until.toISOString(),
    }),
  noticePeriodNotOver: (noticeAt: Date, until: Date, days: number, source: string) =>
    new DomainError(
      'conflict',
      'NOTICE_PERIOD_NOT_OVER',
      `依据${source}，会议应当提前${days}日通知全体成员：本次通知于 ${local(noticeAt)} 发出，最早可于 ${local(until)} 开始表决`,
      { noticeAt: noticeAt.toISOString(), earliest: until.toISOString(), days, source },
    ),
  voteWindowTooShort: (minHours: number) =>
    new DomainError('invalid', 'VOTE_WINDOW_TOO_SHORT', `表决时间不得少于 ${minHours} 小时，请推迟截止时间`, { minHours }),
  art46ReportsMissing: (missing: string[]) =>
    new DomainError(
      'conflict',
      'ART46_REPORTS_MISSING',
      `依据《中华人民共和国农村集体经济组织法》第四十六条，成员大会召开十日前应将年度工作报告、财务会计报告和收益分配方案提交成员查阅；尚缺：${missing.join('、')}。请先作为附件上传，再审核通过（审核通过之日即发出会议通知）`,
      { missing },
    ),
  jointProposalMustBeConvened: (source: string) =>
    new DomainError(
      'conflict',
      'JOINT_PROPOSAL_MUST_BE_CONVENED',
      `该议题由联名提议产生，依据${source}，村民委员会应当召集会议讨论决定，不得撤回`,
      { source },
    ),
  jointRequestMustBeConvened: () =>
    new DomainError(
      'conflict',
      'JOINT_REQUEST_MUST_BE_CONVENED',
      '联名提议已达到法定人数，村民委员会应当召集会议（《中华人民共和国村民委员会组织法》第二十一条、第二十六条），不得撤回',
    ),
  jointWithdrawForbidden: () => new DomainError('forbidden', 'JOINT_WITHDRAW_FORBIDDEN', '只有联名提议的发起人可以撤回'),
  jointFormInvalid: () =>
    new DomainError(
      'invalid',
      'JOINT_FORM_INVALID',
      '村民联名只能提议召开村民会议；提议召开村民代表会议须五分之一以上村民代表联名（第二十六条）',
    ),
  authorisationRequired: (categoryName: string, day: string) =>
    new DomainError(
      'conflict',
      'AUTHORISATION_REQUIRED',
      `依据《中华人民共和国村民委员会组织法》第二十四条第二款、第二十五条，村民代表会议讨论决定"${categoryName}"须经村民会议授权；本村没有 ${day} 有效、涵盖该事项的授权。请先登记村民会议的授权决定或村民自治章程条款，或改由村民会议决定`,
      { day },
    ),
  authorisationGrantInvalid: (why: string) => new DomainError('invalid', 'AUTHORISATION_GRANT_INVALID', why),
  authorisationNotFound: () => new DomainError('not_found', 'AUTHORISATION_NOT_FOUND', '授权记录不存在'),
  voteWindowInvalid: () => new DomainError('invalid', 'VOTE_WINDOW_INVALID', '表决截止时间应晚于当前时间且不超过 60 天'),
  electorateEmpty: () => new DomainError('conflict', 'ELECTORATE_EMPTY', '本村登记名册中没有有表决权的人员，无法开始表决'),
  memberRepresentativesTooFew: (n: number) =>
    new DomainError(
      'conflict',
      'MEMBER_REPRESENTATIVES_TOO_FEW',
      `成员代表应当多于二十人（《中华人民共和国农村集体经济组织法》第二十八条），本组织在任成员代表仅 ${n} 名，成员代表大会不能召开`,
      { count: n },
    ),
  noOpenVote: () => new DomainError('conflict', 'VOTING_NOT_OPEN', '该议题当前没有进行中的表决'),
  voteNotYetOpen: () => new DomainError('conflict', 'VOTING_NOT_YET_OPEN', '表决尚未开始'),
  voteClosed: () => new DomainError('conflict', 'VOTING_CLOSED', '表决已截止，不再接受投票'),
  notInElectorate: () => new DomainError('forbidden', 'NOT_IN_ELECTORATE', '您不在本次表决的表决人名单中'),
  alreadyVoted: () => new DomainError('conflict', 'BALLOT_ALREADY_CAST', '您已投票，每人只能投一票'),
  receiptRequired: () => new DomainError('invalid', 'RECEIPT_REQUIRED', '修改无记名投票须提供投票回执码'),
  receiptUnknown: () => new DomainError('not_found', 'RECEIPT_NOT_FOUND', '回执码不存在'),
  // One answer whether the receipt is someone else's or does not exist, so that it tells nothing about either.
  receiptNotYours: () =>
    new DomainError(
      'forbidden',
      'RECEIPT_NOT_YOURS',
      '回执码与您本人（或委托您投票的成员）的选票不符，不能修改。请填写投这张票时得到的回执码',
    ),
  resultsSealed: () => new DomainError('forbidden', 'RESULTS_NOT_YET_AVAILABLE', '表决截止前任何人不得查看计票结果'),
  noVoteYet: () => new DomainError('not_found', 'VOTE_NOT_FOUND', '该议题尚未进行表决'),
  /** Each figure out of range, with its field (details.fields, the shape of VALIDATION_FAILED's details), so the form shows it beside the box. */
  partyReviewCountsInvalid: (members: number, problems: { field: string; message: string }[]) =>
    new DomainError(
      'invalid',
      'PARTY_REVIEW_COUNTS_INVALID',
      `党员大会审议的人数有误：${[...new Set(problems.map((p) => p.message))].join('；')}`,
      {
        members,
        fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
      },
    ),
  implementationRequired: () => new DomainError('conflict', 'IMPLEMENTATION_REPORT_REQUIRED', '已通过的议题须先公开实施结果才能办结'),
  implementationOnlyWhenPassed: () => new DomainError('conflict', 'IMPLEMENTATION_NOT_APPLICABLE', '只有表决通过的议题才公开实施结果'),
  discussionClosed: () => new DomainError('conflict', 'DISCUSSION_CLOSED', '只有在公开讨论或表决期间才能发表意见'),
  commentNotFound: () => new DomainError('not_found', 'COMMENT_NOT_FOUND', '意见不存在'),
  answerTarget: () => new DomainError('invalid', 'ANSWER_TARGET_INVALID', '只能答复村民的意见或提问'),
  commentAlreadyHidden: () => new DomainError('conflict', 'COMMENT_ALREADY_HIDDEN', '该意见已被隐藏'),
  attachmentNotFound: () => new DomainError('not_found', 'ATTACHMENT_NOT_FOUND', '附件不存在'),
  attachmentInvalid: () => new DomainError('invalid', 'ATTACHMENT_INVALID', '附件应为链接或不超过 2MB 的文件（二选一）'),
  noticeNotFound: () => new DomainError('not_found', 'NOTICE_NOT_FOUND', '公开事项不存在'),
  jointRequestNotFound: () => new DomainError('not_found', 'JOINT_REQUEST_NOT_FOUND', '联名提议不存在'),
  /** 议事统计's scope: not a division, or outside the caller's (its own code: not divisions' DIVISION_NOT_FOUND). */
  statsScopeNotFound: () => new DomainError('not_found', 'PROPOSAL_STATS_SCOPE_NOT_FOUND', '统计范围不存在或不在您的辖区内'),
  jointNotEligible: (kind: 'residents' | 'representatives') =>
    new DomainError(
      'forbidden',
      'JOINT_SIGNER_NOT_ELIGIBLE',
      kind === 'residents' ? '只有本村年满十八周岁的村民可以联名' : '只有本村村民代表可以联名',
    ),
  jointAlreadySigned: () => new DomainError('conflict', 'JOINT_ALREADY_SIGNED', '您已在该联名提议上签名'),
  jointWithdrawn: () => new DomainError('conflict', 'JOINT_REQUEST_WITHDRAWN', '该联名提议已由发起人撤回'),
  jointClosed: () => new DomainError('conflict', 'JOINT_REQUEST_CLOSED', '该联名提议已达到人数并转为议题'),
  proxyNotApplicable: () => new DomainError('conflict', 'PROXY_NOT_APPLICABLE', '只有进行中的成员大会表决可以委托投票'),
  proxyInvalid: () =>
    new DomainError(
      'invalid',
      'PROXY_INVALID',
      '书面委托须由本次表决名单中的成员委托本户内具有完全民事行为能力的其他家庭成员（《中华人民共和国农村集体经济组织法》第二十七条）',
    ),
  proxyDuplicate: () => new DomainError('conflict', 'PROXY_DUPLICATE', '该成员已书面委托他人'),
  proxyNotHeld: () => new DomainError('forbidden', 'PROXY_NOT_HELD', '您没有该成员的书面委托'),
  approvalsOutstanding: (missing: string[], sources: string[]) =>
    new DomainError(
      'conflict',
      'APPROVALS_OUTSTANDING',
      `依据${sources.join('、')}，本决议须经批准后方可实施；尚待${missing.join('、')}批准，决议尚未生效，不能公开实施结果或办结`,
      { missing, sources },
    ),
  resolutionNotInEffect: (authority: string, documentNumber: string, source: string) =>
    new DomainError(
      'conflict',
      'RESOLUTION_NOT_IN_EFFECT',
      `${authority}不予批准（${documentNumber}），依据${source}，本决议不生效，不能实施`,
      { authority, documentNumber, source },
    ),
  approvalNotNeeded: (authorityName: string) =>
    new DomainError('invalid', 'APPROVAL_NOT_NEEDED', `本事项依法不需要${authorityName}批准，不能登记`),
  approvalAlreadyRecorded: (authorityName: string) =>
    new DomainError('conflict', 'APPROVAL_ALREADY_RECORDED', `${authorityName}的批准结果已经登记，不能重复登记`),
  approvalDateInvalid: (earliest: string, latest: string) =>
    new DomainError('invalid', 'APPROVAL_DATE_INVALID', `批准日期应在表决结束之日（${earliest}）与今天（${latest}）之间`, {
      earliest,
      latest,
    }),
  notificationNotFound: () => new DomainError('not_found', 'NOTIFICATION_NOT_FOUND', '通知不存在'),
};
