import { DomainError } from '#platform';
import {
  DISCLOSURE_ACTION_NAMES,
  DISCLOSURE_STATE_NAMES,
  type DisclosureAction,
  type DisclosureState,
  QUERY_STATE_NAMES,
  type QueryState,
} from './names.js';

/** An instant as 长治 reads it: 2026年12月11日 15:18. */
const cstMinute = (at: Date) => {
  const s = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
};

/** 村务共管's error codes: one meaning each (a test holds every lib's codes apart). */
export const OpennessErrorCode = {
  disclosureNotFound: 'DISCLOSURE_NOT_FOUND',
  notVillage: 'DISCLOSURE_DIVISION_NOT_VILLAGE',
  periodInvalid: 'DISCLOSURE_PERIOD_INVALID',
  kindSubjectMismatch: 'DISCLOSURE_KIND_SUBJECT_MISMATCH',
  financeFieldsInvalid: 'DISCLOSURE_FINANCE_FIELDS_INVALID',
  financePeriodTaken: 'DISCLOSURE_FINANCE_PERIOD_TAKEN',
  stepIllegal: 'DISCLOSURE_STEP_ILLEGAL',
  stepForbidden: 'DISCLOSURE_STEP_FORBIDDEN',
  unbalanced: 'DISCLOSURE_UNBALANCED',
  notEditable: 'DISCLOSURE_NOT_EDITABLE',
  entryInvalid: 'FINANCE_ENTRY_INVALID',
  entryNotFound: 'FINANCE_ENTRY_NOT_FOUND',
  attachmentInvalid: 'DISCLOSURE_ATTACHMENT_INVALID',
  attachmentNotFound: 'DISCLOSURE_ATTACHMENT_NOT_FOUND',
  proposalNotInVillage: 'DISCLOSURE_PROPOSAL_NOT_IN_VILLAGE',
  notFinance: 'DISCLOSURE_NOT_FINANCE',
  importFileInvalid: 'FINANCE_IMPORT_FILE_INVALID',
  importEmpty: 'FINANCE_IMPORT_EMPTY',
  importTooManyRows: 'FINANCE_IMPORT_TOO_MANY_ROWS',
  queryNotFound: 'DISCLOSURE_QUERY_NOT_FOUND',
  queryNotPublished: 'DISCLOSURE_QUERY_NOT_PUBLISHED',
  queryNotResident: 'DISCLOSURE_QUERY_NOT_RESIDENT',
  queryForbidden: 'DISCLOSURE_QUERY_FORBIDDEN',
  queryStepIllegal: 'DISCLOSURE_QUERY_STEP_ILLEGAL',
  queryNotOverdue: 'DISCLOSURE_QUERY_NOT_OVERDUE',
  oversightOutOfScope: 'OPENNESS_DIVISION_OUT_OF_SCOPE',
  villageNotFound: 'OPENNESS_VILLAGE_NOT_FOUND',
  orderInvalid: 'TOWNSHIP_ORDER_INVALID',
  orderNotFound: 'TOWNSHIP_ORDER_NOT_FOUND',
  orderFollowedUp: 'TOWNSHIP_ORDER_ALREADY_FOLLOWED_UP',
} as const;

export const OpennessErrors = {
  disclosureNotFound: () => new DomainError('not_found', OpennessErrorCode.disclosureNotFound, '公开事项不存在'),
  notVillage: () => new DomainError('invalid', OpennessErrorCode.notVillage, '公开事项只能属于一个村（社区）'),
  periodInvalid: (why: string) => new DomainError('invalid', OpennessErrorCode.periodInvalid, `公开期间有误：${why}`),
  kindSubjectMismatch: () =>
    new DomainError(
      'invalid',
      OpennessErrorCode.kindSubjectMismatch,
      '集体经济组织只公开财务收支和年度工作报告、财务会计报告、收益分配方案；其他村务事项由村民委员会公开',
    ),
  financeFieldsInvalid: (why: string) => new DomainError('invalid', OpennessErrorCode.financeFieldsInvalid, why),
  financePeriodTaken: (label: string) =>
    new DomainError('conflict', OpennessErrorCode.financePeriodTaken, `${label}的财务公开已经建立，请在原事项上修改`),
  stepIllegal: (state: DisclosureState, action: DisclosureAction) =>
    new DomainError(
      'conflict',
      OpennessErrorCode.stepIllegal,
      `公开事项当前为"${DISCLOSURE_STATE_NAMES[state]}"，不能${DISCLOSURE_ACTION_NAMES[action]}`,
    ),
  stepForbidden: (action: DisclosureAction, who: string) =>
    new DomainError('forbidden', OpennessErrorCode.stepForbidden, `${DISCLOSURE_ACTION_NAMES[action]}须由${who}办理`),
  unbalanced: (expectedYuan: string, closingYuan: string | null) =>
    new DomainError(
      'invalid',
      OpennessErrorCode.unbalanced,
      closingYuan === null
        ? `请填写期末余额（按期初余额加收入减支出应为 ${expectedYuan} 元）`
        : `期末余额 ${closingYuan} 元与期初余额加收入减支出（${expectedYuan} 元）不符，请核对账目`,
      { expectedYuan, closingYuan },
    ),
  notEditable: (state: DisclosureState) =>
    new DomainError('conflict', OpennessErrorCode.notEditable, `公开事项已${DISCLOSURE_STATE_NAMES[state]}，不能再修改`),
  entryInvalid: (problems: { field: string; message: string }[]) =>
    new DomainError('invalid', OpennessErrorCode.entryInvalid, `收支明细有误：${problems.map((p) => p.message).join('；')}`, {
      fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
    }),
  entryNotFound: () => new DomainError('not_found', OpennessErrorCode.entryNotFound, '收支明细不存在'),
  attachmentInvalid: () => new DomainError('invalid', OpennessErrorCode.attachmentInvalid, '附件须为 JPEG、PNG 或 PDF 文件，且不超过 2 MB'),
  attachmentNotFound: () => new DomainError('not_found', OpennessErrorCode.attachmentNotFound, '附件不存在'),
  proposalNotInVillage: () => new DomainError('invalid', OpennessErrorCode.proposalNotInVillage, '关联的议题须为本村的议题'),
  notFinance: (what: string) => new DomainError('invalid', OpennessErrorCode.notFinance, `只有财务公开才能${what}`),
  importFileInvalid: () =>
    new DomainError('invalid', OpennessErrorCode.importFileInvalid, '无法读取文件：请上传 .xlsx 格式的收支明细表（可下载模板填写）'),
  importEmpty: () => new DomainError('invalid', OpennessErrorCode.importEmpty, '表中没有收支明细：请从表头下一行起逐行填写'),
  importTooManyRows: (max: number) =>
    new DomainError('invalid', OpennessErrorCode.importTooManyRows, `一次最多导入 ${max} 笔收支明细，请分期公开或联系乡镇`),
  queryNotFound: () => new DomainError('not_found', OpennessErrorCode.queryNotFound, '质询不存在'),
  queryNotPublished: (state: DisclosureState) =>
    new DomainError(
      'conflict',
      OpennessErrorCode.queryNotPublished,
      `公开事项当前为"${DISCLOSURE_STATE_NAMES[state]}"，公开后才能提出质询`,
    ),
  queryNotResident: () =>
    new DomainError('forbidden', OpennessErrorCode.queryNotResident, '只有本村（社区）村民可以对本村公开事项提出质询'),
  queryForbidden: (action: string, who: string) =>
    new DomainError('forbidden', OpennessErrorCode.queryForbidden, `质询的${action}须由${who}办理`),
  queryStepIllegal: (state: QueryState, action: string) =>
    new DomainError('conflict', OpennessErrorCode.queryStepIllegal, `质询当前为"${QUERY_STATE_NAMES[state]}"，不能${action}`),
  queryNotOverdue: (due: Date) =>
    new DomainError(
      'conflict',
      OpennessErrorCode.queryNotOverdue,
      `村民委员会的答复期限到 ${cstMinute(due)} 为止；期限内尚未答复的质询，到期后才能向乡镇反映`,
    ),
  oversightOutOfScope: () =>
    new DomainError('not_found', OpennessErrorCode.oversightOutOfScope, '该行政区划不存在，或不在您可查看的范围内'),
  villageNotFound: () => new DomainError('not_found', OpennessErrorCode.villageNotFound, '该村（社区）不存在，或不在您的管辖范围内'),
  orderInvalid: (why: string) => new DomainError('invalid', OpennessErrorCode.orderInvalid, `责令公开的内容有误：${why}`),
  orderNotFound: () => new DomainError('not_found', OpennessErrorCode.orderNotFound, '责令公开记录不存在'),
  orderFollowedUp: () => new DomainError('conflict', OpennessErrorCode.orderFollowedUp, '该责令公开已经登记过跟进情况，不能重复登记'),
};
