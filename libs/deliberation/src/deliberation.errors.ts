import { DomainError } from '#platform';
import { ACTION_NAMES, type ProposalAction, type ProposalState, STATE_NAMES } from './proposal-lifecycle.js';

/** An instant as 长治 local time (UTC+8), for messages. */
const local = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** 村事共议's error codes: one meaning each (a test holds every lib's codes apart). */
export const DeliberationErrorCode = {
  proposalNotFound: 'PROPOSAL_NOT_FOUND',
  notVillage: 'DIVISION_NOT_VILLAGE',
  transitionIllegal: 'PROPOSAL_TRANSITION_ILLEGAL',
  transitionForbidden: 'PROPOSAL_ACTION_FORBIDDEN',
  matterBodyNotAllowed: 'MATTER_BODY_NOT_ALLOWED',
  deliberationTooShort: 'DELIBERATION_PERIOD_NOT_OVER',
  noticePeriodNotOver: 'NOTICE_PERIOD_NOT_OVER',
  voteWindowTooShort: 'VOTE_WINDOW_TOO_SHORT',
  jointProposalMustBeConvened: 'JOINT_PROPOSAL_MUST_BE_CONVENED',
  jointRequestMustBeConvened: 'JOINT_REQUEST_MUST_BE_CONVENED',
  jointWithdrawForbidden: 'JOINT_WITHDRAW_FORBIDDEN',
  jointFormInvalid: 'JOINT_FORM_INVALID',
  authorisationRequired: 'AUTHORISATION_REQUIRED',
  authorisationGrantInvalid: 'AUTHORISATION_GRANT_INVALID',
  authorisationNotFound: 'AUTHORISATION_NOT_FOUND',
  voteWindowInvalid: 'VOTE_WINDOW_INVALID',
  electorateEmpty: 'ELECTORATE_EMPTY',
  landElectorateEmpty: 'LAND_ELECTORATE_EMPTY',
  memberRepresentativesTooFew: 'MEMBER_REPRESENTATIVES_TOO_FEW',
  noOpenVote: 'VOTING_NOT_OPEN',
  voteNotYetOpen: 'VOTING_NOT_YET_OPEN',
  voteClosed: 'VOTING_CLOSED',
  notInElectorate: 'NOT_IN_ELECTORATE',
  partyProbationNoVote: 'PARTY_PROBATION_NO_VOTE',
  alreadyVoted: 'BALLOT_ALREADY_CAST',
  receiptRequired: 'RECEIPT_REQUIRED',
  receiptUnknown: 'RECEIPT_NOT_FOUND',
  receiptNotYours: 'RECEIPT_NOT_YOURS',
  resultsSealed: 'RESULTS_NOT_YET_AVAILABLE',
  noVoteYet: 'VOTE_NOT_FOUND',
  partyReviewCountsInvalid: 'PARTY_REVIEW_COUNTS_INVALID',
  implementationRequired: 'IMPLEMENTATION_REPORT_REQUIRED',
  implementationOnlyWhenPassed: 'IMPLEMENTATION_NOT_APPLICABLE',
  discussionClosed: 'DISCUSSION_CLOSED',
  commentNotFound: 'COMMENT_NOT_FOUND',
  answerTarget: 'ANSWER_TARGET_INVALID',
  commentAlreadyHidden: 'COMMENT_ALREADY_HIDDEN',
  attachmentNotFound: 'ATTACHMENT_NOT_FOUND',
  attachmentInvalid: 'ATTACHMENT_INVALID',
  noticeNotFound: 'NOTICE_NOT_FOUND',
  meetingNoticeNotIssued: 'MEETING_NOTICE_NOT_ISSUED',
  jointRequestNotFound: 'JOINT_REQUEST_NOT_FOUND',
  statsScopeNotFound: 'PROPOSAL_STATS_SCOPE_NOT_FOUND',
  jointNotEligible: 'JOINT_SIGNER_NOT_ELIGIBLE',
  jointAlreadySigned: 'JOINT_ALREADY_SIGNED',
  jointWithdrawn: 'JOINT_REQUEST_WITHDRAWN',
  jointClosed: 'JOINT_REQUEST_CLOSED',
  proxyNotApplicable: 'PROXY_NOT_APPLICABLE',
  proxyInvalid: 'PROXY_INVALID',
  proxyDuplicate: 'PROXY_DUPLICATE',
  proxyNotHeld: 'PROXY_NOT_HELD',
  approvalsOutstanding: 'APPROVALS_OUTSTANDING',
  resolutionNotInEffect: 'RESOLUTION_NOT_IN_EFFECT',
  approvalNotNeeded: 'APPROVAL_NOT_NEEDED',
  approvalAlreadyRecorded: 'APPROVAL_ALREADY_RECORDED',
  approvalDateInvalid: 'APPROVAL_DATE_INVALID',
  meetingNotArranged: 'MEETING_NOT_ARRANGED',
  meetingNotArrangeable: 'MEETING_NOT_ARRANGEABLE',
  meetingInvalid: 'MEETING_INVALID',
  meetingPartsFixed: 'MEETING_PARTS_FIXED',
  onsitePartNotHeld: 'ONSITE_PART_NOT_HELD',
  onlinePartNotHeld: 'ONLINE_PART_NOT_HELD',
  meetingDutyRequired: 'MEETING_DUTY_REQUIRED',
  alreadyVotedOnline: 'ALREADY_VOTED_ONLINE',
  alreadySignedIn: 'ALREADY_SIGNED_IN',
  signedInOnSite: 'SIGNED_IN_ON_SITE',
  signInClosed: 'SIGN_IN_CLOSED',
  notSignedIn: 'NOT_SIGNED_IN',
  onsiteStepClosed: 'ONSITE_STEP_NOT_OPEN',
  onsiteMethodMismatch: 'ONSITE_METHOD_MISMATCH',
  paperTotalsMismatch: 'PAPER_TOTALS_MISMATCH',
  paperTotalsInconsistent: 'PAPER_TOTALS_INCONSISTENT',
  paperSameTeller: 'PAPER_ENTRY_SAME_TELLER',
  onsiteNotReady: 'ONSITE_NOT_READY_TO_CONFIRM',
  tallySheetInvalid: 'TALLY_SHEET_INVALID',
} as const;

export const DeliberationErrors = {
  proposalNotFound: () => new DomainError('not_found', DeliberationErrorCode.proposalNotFound, '议题不存在'),
  notVillage: () => new DomainError('invalid', DeliberationErrorCode.notVillage, '议题只能在村（社区）一级提出'),
  transitionIllegal: (state: ProposalState, action: ProposalAction) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.transitionIllegal,
      `议题当前状态为"${STATE_NAMES[state]}"，不能执行"${ACTION_NAMES[action]}"`,
      {
        state,
        action,
      },
    ),
  transitionForbidden: (action: ProposalAction) =>
    new DomainError('forbidden', DeliberationErrorCode.transitionForbidden, `您无权执行"${ACTION_NAMES[action]}"`, { action }),
  /** The message cites the article (matter-rules.ts checkMatterBody). */
  matterBodyNotAllowed: (message: string, category: string, body: string) =>
    new DomainError('invalid', DeliberationErrorCode.matterBodyNotAllowed, message, { category, decidingBody: body }),
  deliberationTooShort: (until: Date) =>
    new DomainError('conflict', DeliberationErrorCode.deliberationTooShort, `公开讨论期未满，最早可于 ${until.toISOString()} 开始表决`, {
      earliest: until.toISOString(),
    }),
  noticePeriodNotOver: (noticeAt: Date, until: Date, days: number, source: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.noticePeriodNotOver,
      `依据${source}，会议应当提前${days}日通知全体成员：本次通知于 ${local(noticeAt)} 发出，最早可于 ${local(until)} 开始表决`,
      { noticeAt: noticeAt.toISOString(), earliest: until.toISOString(), days, source },
    ),
  voteWindowTooShort: (minHours: number) =>
    new DomainError('invalid', DeliberationErrorCode.voteWindowTooShort, `表决时间不得少于 ${minHours} 小时，请推迟截止时间`, { minHours }),
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
      DeliberationErrorCode.jointProposalMustBeConvened,
      `该议题由联名提议产生，依据${source}，村民委员会应当召集会议讨论决定，不得撤回`,
      { source },
    ),
  jointRequestMustBeConvened: () =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.jointRequestMustBeConvened,
      '联名提议已达到法定人数，村民委员会应当召集会议（《中华人民共和国村民委员会组织法》第二十一条、第二十六条），不得撤回',
    ),
  jointWithdrawForbidden: () => new DomainError('forbidden', DeliberationErrorCode.jointWithdrawForbidden, '只有联名提议的发起人可以撤回'),
  jointFormInvalid: () =>
    new DomainError(
      'invalid',
      DeliberationErrorCode.jointFormInvalid,
      '村民联名只能提议召开村民会议；提议召开村民代表会议须五分之一以上村民代表联名（第二十六条）',
    ),
  authorisationRequired: (categoryName: string, day: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.authorisationRequired,
      `依据《中华人民共和国村民委员会组织法》第二十四条第二款、第二十五条，村民代表会议讨论决定"${categoryName}"须经村民会议授权；本村没有 ${day} 有效、涵盖该事项的授权。请先登记村民会议的授权决定或村民自治章程条款，或改由村民会议决定`,
      { day },
    ),
  authorisationGrantInvalid: (why: string) => new DomainError('invalid', DeliberationErrorCode.authorisationGrantInvalid, why),
  authorisationNotFound: () => new DomainError('not_found', DeliberationErrorCode.authorisationNotFound, '授权记录不存在'),
  voteWindowInvalid: () => new DomainError('invalid', DeliberationErrorCode.voteWindowInvalid, '表决截止时间应晚于当前时间且不超过 60 天'),
  electorateEmpty: () =>
    new DomainError('conflict', DeliberationErrorCode.electorateEmpty, '本村登记名册中没有有表决权的人员，无法开始表决'),
  landElectorateEmpty: (categoryName: string, source: string, day: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.landElectorateEmpty,
      `"${categoryName}"须经本集体经济组织成员的村民会议三分之二以上成员同意（${source}），表决人是本村集体经济组织年满十八周岁的成员；本村未登记集体经济组织，或其成员名册中没有 ${day} 年满十八周岁的成员，无法开始表决。请先登记集体经济组织成员名册`,
      { day },
    ),
  memberRepresentativesTooFew: (n: number) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.memberRepresentativesTooFew,
      `成员代表应当多于二十人（《中华人民共和国农村集体经济组织法》第二十八条），本组织在任成员代表仅 ${n} 名，成员代表大会不能召开`,
      { count: n },
    ),
  noOpenVote: () => new DomainError('conflict', DeliberationErrorCode.noOpenVote, '该议题当前没有进行中的表决'),
  voteNotYetOpen: () => new DomainError('conflict', DeliberationErrorCode.voteNotYetOpen, '表决尚未开始'),
  voteClosed: () => new DomainError('conflict', DeliberationErrorCode.voteClosed, '表决已截止，不再接受投票'),
  notInElectorate: () => new DomainError('forbidden', DeliberationErrorCode.notInElectorate, '您不在本次表决的表决人名单中'),
  partyProbationNoVote: () =>
    new DomainError(
      'forbidden',
      DeliberationErrorCode.partyProbationNoVote,
      '本次党员大会表决开始时您正受留党察看处分：依据《中国共产党章程》第四十条，受留党察看处分期间没有表决权，可以列席并发表意见，但不能投票，也不计入应到会有表决权的党员人数',
    ),
  alreadyVoted: () => new DomainError('conflict', DeliberationErrorCode.alreadyVoted, '您已投票，每人只能投一票'),
  receiptRequired: () => new DomainError('invalid', DeliberationErrorCode.receiptRequired, '修改无记名投票须提供投票回执码'),
  receiptUnknown: () => new DomainError('not_found', DeliberationErrorCode.receiptUnknown, '回执码不存在'),
  // One answer whether the receipt is someone else's or does not exist, so that it tells nothing about either.
  receiptNotYours: () =>
    new DomainError(
      'forbidden',
      DeliberationErrorCode.receiptNotYours,
      '回执码与您本人（或委托您投票的成员）的选票不符，不能修改。请填写投这张票时得到的回执码',
    ),
  resultsSealed: () => new DomainError('forbidden', DeliberationErrorCode.resultsSealed, '表决截止前任何人不得查看计票结果'),
  noVoteYet: () => new DomainError('not_found', DeliberationErrorCode.noVoteYet, '该议题尚未进行表决'),
  /** Each figure out of range, with its field (details.fields, the shape of VALIDATION_FAILED's details), so the form shows it beside the box. */
  partyReviewCountsInvalid: (members: number, problems: { field: string; message: string }[]) =>
    new DomainError(
      'invalid',
      DeliberationErrorCode.partyReviewCountsInvalid,
      `党员大会审议的人数有误：${[...new Set(problems.map((p) => p.message))].join('；')}`,
      {
        members,
        fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
      },
    ),
  implementationRequired: () =>
    new DomainError('conflict', DeliberationErrorCode.implementationRequired, '已通过的议题须先公开实施结果才能办结'),
  implementationOnlyWhenPassed: () =>
    new DomainError('conflict', DeliberationErrorCode.implementationOnlyWhenPassed, '只有表决通过的议题才公开实施结果'),
  discussionClosed: () => new DomainError('conflict', DeliberationErrorCode.discussionClosed, '只有在公开讨论或表决期间才能发表意见'),
  commentNotFound: () => new DomainError('not_found', DeliberationErrorCode.commentNotFound, '意见不存在'),
  answerTarget: () => new DomainError('invalid', DeliberationErrorCode.answerTarget, '只能答复村民的意见或提问'),
  commentAlreadyHidden: () => new DomainError('conflict', DeliberationErrorCode.commentAlreadyHidden, '该意见已被隐藏'),
  attachmentNotFound: () => new DomainError('not_found', DeliberationErrorCode.attachmentNotFound, '附件不存在'),
  attachmentInvalid: () => new DomainError('invalid', DeliberationErrorCode.attachmentInvalid, '附件应为链接或不超过 2MB 的文件（二选一）'),
  noticeNotFound: () => new DomainError('not_found', DeliberationErrorCode.noticeNotFound, '公开事项不存在'),
  meetingNoticeNotIssued: () =>
    new DomainError('not_found', DeliberationErrorCode.meetingNoticeNotIssued, '该议题尚未发出会议通知（乡镇审核通过之日发出）'),
  jointRequestNotFound: () => new DomainError('not_found', DeliberationErrorCode.jointRequestNotFound, '联名提议不存在'),
  /** 议事统计's scope: not a division, or outside the caller's (its own code: not divisions' DIVISION_NOT_FOUND). */
  statsScopeNotFound: () => new DomainError('not_found', DeliberationErrorCode.statsScopeNotFound, '统计范围不存在或不在您的辖区内'),
  jointNotEligible: (kind: 'residents' | 'representatives') =>
    new DomainError(
      'forbidden',
      DeliberationErrorCode.jointNotEligible,
      kind === 'residents' ? '只有本村年满十八周岁的村民可以联名' : '只有本村村民代表可以联名',
    ),
  jointAlreadySigned: () => new DomainError('conflict', DeliberationErrorCode.jointAlreadySigned, '您已在该联名提议上签名'),
  jointWithdrawn: () => new DomainError('conflict', DeliberationErrorCode.jointWithdrawn, '该联名提议已由发起人撤回'),
  jointClosed: () => new DomainError('conflict', DeliberationErrorCode.jointClosed, '该联名提议已达到人数并转为议题'),
  proxyNotApplicable: () => new DomainError('conflict', DeliberationErrorCode.proxyNotApplicable, '只有进行中的成员大会表决可以委托投票'),
  proxyInvalid: () =>
    new DomainError(
      'invalid',
      DeliberationErrorCode.proxyInvalid,
      '书面委托须由本次表决名单中的成员委托本户内具有完全民事行为能力的其他家庭成员（《中华人民共和国农村集体经济组织法》第二十七条）',
    ),
  proxyDuplicate: () => new DomainError('conflict', DeliberationErrorCode.proxyDuplicate, '该成员已书面委托他人'),
  proxyNotHeld: () => new DomainError('forbidden', DeliberationErrorCode.proxyNotHeld, '您没有该成员的书面委托'),
  approvalsOutstanding: (missing: string[], sources: string[]) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.approvalsOutstanding,
      `依据${sources.join('、')}，本决议须经批准后方可实施；尚待${missing.join('、')}批准，决议尚未生效，不能公开实施结果或办结`,
      { missing, sources },
    ),
  resolutionNotInEffect: (authority: string, documentNumber: string, source: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.resolutionNotInEffect,
      `${authority}不予批准（${documentNumber}），依据${source}，本决议不生效，不能实施`,
      { authority, documentNumber, source },
    ),
  approvalNotNeeded: (authorityName: string) =>
    new DomainError('invalid', DeliberationErrorCode.approvalNotNeeded, `本事项依法不需要${authorityName}批准，不能登记`),
  approvalAlreadyRecorded: (authorityName: string) =>
    new DomainError('conflict', DeliberationErrorCode.approvalAlreadyRecorded, `${authorityName}的批准结果已经登记，不能重复登记`),
  approvalDateInvalid: (earliest: string, latest: string) =>
    new DomainError(
      'invalid',
      DeliberationErrorCode.approvalDateInvalid,
      `批准日期应在表决结束之日（${earliest}）与今天（${latest}）之间`,
      {
        earliest,
        latest,
      },
    ),
  meetingNotArranged: () => new DomainError('not_found', DeliberationErrorCode.meetingNotArranged, '本议题尚未安排表决会议'),
  meetingNotArrangeable: (state: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.meetingNotArrangeable,
      `议题当前状态为"${state}"：表决会议须在乡镇审核通过后、表决结束前安排`,
    ),
  meetingInvalid: (problems: { field: string; message: string }[]) =>
    new DomainError('invalid', DeliberationErrorCode.meetingInvalid, `会议安排有误：${problems.map((p) => p.message).join('；')}`, {
      fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
    }),
  meetingPartsFixed: () =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.meetingPartsFixed,
      '表决已经开始，已通知村民的参加方式（现场、网上）不能取消，只能增加现场会议或修改时间、地点和工作人员',
    ),
  onsitePartNotHeld: () => new DomainError('conflict', DeliberationErrorCode.onsitePartNotHeld, '本次表决没有现场会议（或表决尚未开始）'),
  onlinePartNotHeld: () =>
    new DomainError('conflict', DeliberationErrorCode.onlinePartNotHeld, '本次表决只设现场会议，不能网上投票，请到会场签到后现场表决'),
  meetingDutyRequired: (duty: string) =>
    new DomainError('forbidden', DeliberationErrorCode.meetingDutyRequired, `只有本次会议的${duty}可以办理此事项`),
  alreadyVotedOnline: (name: string) =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.alreadyVotedOnline,
      `${name}已在线投票（或已由工作人员协助投票），每人只参加一次，不能再现场签到表决`,
    ),
  alreadySignedIn: (name: string) => new DomainError('conflict', DeliberationErrorCode.alreadySignedIn, `${name}已经签到，不需要重复签到`),
  signedInOnSite: () =>
    new DomainError('conflict', DeliberationErrorCode.signedInOnSite, '您已在会场签到，每人只参加一次，请在会场表决，不能再网上投票或修改'),
  signInClosed: () =>
    new DomainError('conflict', DeliberationErrorCode.signInClosed, '签到已经结束（表决已截止，或计票人已开始录入纸质票数），不能再签到'),
  notSignedIn: (name: string) =>
    new DomainError('conflict', DeliberationErrorCode.notSignedIn, `${name}尚未在会场签到，不能登记其现场表决`),
  onsiteStepClosed: (what: string, why: string) =>
    new DomainError('conflict', DeliberationErrorCode.onsiteStepClosed, `现在不能${what}：${why}`),
  onsiteMethodMismatch: (method: string) =>
    new DomainError('conflict', DeliberationErrorCode.onsiteMethodMismatch, `本次表决为${method}，不能用这种方式登记现场表决`),
  paperTotalsMismatch: () =>
    new DomainError(
      'conflict',
      DeliberationErrorCode.paperTotalsMismatch,
      '两名计票人录入的票数不一致，两次录入均已作废：请当众重新清点选票，再由两名计票人分别重新录入',
    ),
  paperTotalsInconsistent: (problems: { field: string; message: string }[]) =>
    new DomainError(
      'invalid',
      DeliberationErrorCode.paperTotalsInconsistent,
      `票数核对不符：${problems.map((p) => p.message).join('；')}`,
      {
        fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
      },
    ),
  paperSameTeller: () =>
    new DomainError('conflict', DeliberationErrorCode.paperSameTeller, '您已录入过一次；第二次须由另一名计票人独立清点后录入'),
  onsiteNotReady: (missing: string[]) =>
    new DomainError('conflict', DeliberationErrorCode.onsiteNotReady, `监票人暂不能确认：${missing.join('；')}`, { missing }),
  tallySheetInvalid: () =>
    new DomainError('invalid', DeliberationErrorCode.tallySheetInvalid, '计票单照片须为 JPEG 或 PNG 图片，且不超过 2 MB'),
};
