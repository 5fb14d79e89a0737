/**
 * The Chinese names of 村事共议's audit actions and targets: pure data (built from names.ts), registered
 * with the audit catalog by DeliberationModule.
 */
import { ACTION_NAMES, PROPOSAL_ACTIONS } from './names.js';

const transitions = Object.fromEntries(PROPOSAL_ACTIONS.map((a) => [`proposal.${a}`, `议题：${ACTION_NAMES[a]}`]));

export const DELIBERATION_AUDIT_NAMES = {
  actions: {
    ...transitions,
    'proposal.create': '议题：新建',
    'proposal.attachment.add': '议题：添加附件',
    'proposal.comment': '议题：发表意见',
    'proposal.question': '议题：提问',
    'proposal.answer': '议题：村委会答复',
    'proposal.objection': '议题：监委会提出异议',
    'proposal.comment.hide': '议题：隐藏意见',
    'ballot.cast': '投票',
    'ballot.change': '更改选票',
    'vote.proxy': '委托投票',
    'vote.tally': '表决计票',
    'meeting.arrange': '安排表决会议',
    'meeting.sign_in': '会场签到',
    'meeting.record_choice': '登记现场表决（记名）',
    'meeting.paper_entry': '计票人录入纸质票数',
    'meeting.paper_mismatch': '两名计票人录入不一致（均作废，重新清点）',
    'meeting.paper_accepted': '两名计票人录入一致，票数采纳',
    'meeting.tally_sheet': '上传现场计票单照片',
    'meeting.confirm': '监票人确认现场表决结果',
    'ballot.assisted': '工作人员协助投票（代投）',
    'joint_request.file': '发起联名提议',
    'joint_request.sign': '联名签名',
    'joint_request.reached': '联名人数达到法定要求，转为议题',
    'joint_request.withdraw': '撤回联名提议（未达到人数前）',
    'authorisation.record': '记录村民会议对村民代表会议的授权',
  } as Record<string, string>,
  targets: {
    proposal: '议题',
    proposal_comment: '议题意见',
    vote: '表决',
    joint_request: '联名提议',
    representatives_authorisation: '村民会议授权',
  },
};
