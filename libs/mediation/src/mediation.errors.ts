import { DomainError } from '#platform';
import { ACTION_NAMES, type CaseAction, type CaseStatus, STATUS_NAMES } from './case-lifecycle.js';

/** The 人民调解 module's error codes: one meaning each (the web and the tests match on them). */
export const MediationErrorCode = {
  caseNotFound: 'MEDIATION_CASE_NOT_FOUND',
  partyNotFound: 'MEDIATION_PARTY_NOT_FOUND',
  committeeNotFound: 'MEDIATION_COMMITTEE_NOT_FOUND',
  notCommitteeMember: 'MEDIATION_NOT_COMMITTEE_MEMBER',
  notAssigned: 'MEDIATION_NOT_ASSIGNED',
  partiesHidden: 'MEDIATION_PARTIES_RESTRICTED',
  wrongState: 'MEDIATION_CASE_WRONG_STATE',
  escalationTop: 'MEDIATION_ESCALATION_TOP',
  applicationPartyRole: 'MEDIATION_APPLICATION_PARTY_ROLE',
  partiesIncomplete: 'MEDIATION_PARTIES_INCOMPLETE',
  partyIdentifierMissing: 'MEDIATION_PARTY_IDENTIFIER',
  partyUnreachable: 'MEDIATION_PARTY_CONTACT',
  partyIdPresent: 'MEDIATION_PARTY_ID_PRESENT',
  partyNotPerson: 'MEDIATION_PARTY_NOT_PERSON',
  partyIdsRequired: 'MEDIATION_PARTY_ID_REQUIRED',
  agreementContents: 'MEDIATION_AGREEMENT_CONTENTS',
  agreementNotExecuted: 'MEDIATION_AGREEMENT_NOT_EXECUTED',
  agreementExecutionParty: 'MEDIATION_AGREEMENT_EXECUTION_PARTY',
  agreementNotSealed: 'MEDIATION_AGREEMENT_NOT_SEALED',
  agreementMediator: 'MEDIATION_AGREEMENT_MEDIATOR',
  oralAgreementExecution: 'MEDIATION_ORAL_AGREEMENT_EXECUTION',
  extensionNotLater: 'MEDIATION_EXTENSION_NOT_LATER',
  confirmationExists: 'MEDIATION_CONFIRMATION_EXISTS',
  confirmationNotApplied: 'MEDIATION_CONFIRMATION_NOT_APPLIED',
  confirmationDecided: 'MEDIATION_CONFIRMATION_DECIDED',
  confirmationWindow: 'MEDIATION_CONFIRMATION_WINDOW',
  calendarMissing: 'MEDIATION_CALENDAR_MISSING',
  decidedBeforeApplied: 'MEDIATION_CONFIRMATION_ORDER',
  agentTarget: 'MEDIATION_AGENT_TARGET',
  referringBody: 'MEDIATION_REFERRING_BODY',
  notMediator: 'MEDIATION_NOT_A_MEDIATOR',
  mediatorsRequired: 'MEDIATION_MEDIATORS_REQUIRED',
  noAssignableMediator: 'MEDIATION_NO_ASSIGNABLE_MEDIATOR',
  noIdMissing: 'MEDIATION_NO_ID_MISSING',
  noAgreement: 'MEDIATION_NO_AGREEMENT',
  sessionMediator: 'MEDIATION_SESSION_MEDIATOR',
  futureDate: 'MEDIATION_FUTURE_DATE',
  performByBeforeEffective: 'MEDIATION_PERFORM_BY',
  noApplicantRecord: 'MEDIATION_NO_RESIDENT_RECORD',
  divisionNotFound: 'MEDIATION_DIVISION_NOT_FOUND',
} as const;

export type MediationErrorCode = (typeof MediationErrorCode)[keyof typeof MediationErrorCode];

export const MediationErrors = {
  caseNotFound: () => new DomainError('not_found', MediationErrorCode.caseNotFound, '调解案件不存在'),
  partyNotFound: () => new DomainError('not_found', MediationErrorCode.partyNotFound, '当事人不存在'),
  committeeNotFound: () => new DomainError('not_found', MediationErrorCode.committeeNotFound, '调解委员会不存在或不在您的辖区内'),
  notCommitteeMember: () =>
    new DomainError('forbidden', MediationErrorCode.notCommitteeMember, '只有本调解委员会的调解员或主管人员可以办理此事项'),
  /** `member`: the caller is a mediator of the committee, only not assigned to this case. */
  notAssigned: (member = false) =>
    new DomainError(
      'forbidden',
      MediationErrorCode.notAssigned,
      member ? '您尚未被指派为本案调解员，请先指派后再办理' : '只有指派的调解员或本委员会主管人员可以办理此案件',
    ),
  partiesHidden: () => new DomainError('forbidden', MediationErrorCode.partiesHidden, '您无权查看本案当事人的完整信息'),
  wrongState: (action: CaseAction, status: CaseStatus) =>
    new DomainError('conflict', MediationErrorCode.wrongState, `案件当前状态为「${STATUS_NAMES[status]}」，不能${ACTION_NAMES[action]}`, {
      action,
      status,
    }),
  escalationTop: () => new DomainError('conflict', MediationErrorCode.escalationTop, '县级调解委员会已是最高一级，不能再上报'),
  applicationPartyRole: (index: number) =>
    new DomainError('invalid', MediationErrorCode.applicationPartyRole, '在线申请时申请人为本人，其他当事人只能是被申请人或第三人', {
      index,
    }),
  partiesIncomplete: () => new DomainError('invalid', MediationErrorCode.partiesIncomplete, '至少需要一名申请人和一名被申请人'),
  partyIdentifierMissing: (index: number) =>
    new DomainError('invalid', MediationErrorCode.partyIdentifierMissing, '组织须填写统一社会信用代码；自然人不填统一社会信用代码', {
      index,
    }),
  partyUnreachable: (index: number) =>
    new DomainError('invalid', MediationErrorCode.partyUnreachable, '未填身份证号的当事人须留下联系电话或住址，以便联系', { index }),
  partyIdPresent: () => new DomainError('conflict', MediationErrorCode.partyIdPresent, '该当事人已有身份证号，无需补充'),
  partyNotPerson: () => new DomainError('invalid', MediationErrorCode.partyNotPerson, '只有自然人当事人填写身份证号'),
  partyIdsRequired: (names: string[]) =>
    new DomainError(
      'conflict',
      MediationErrorCode.partyIdsRequired,
      `书面调解协议须写明当事人的基本情况，请先补充身份证号：${names.join('、')}`,
      { names },
    ),
  agreementContents: () =>
    new DomainError(
      'invalid',
      MediationErrorCode.agreementContents,
      '书面调解协议须写明纠纷的主要事实、争议事项和各方当事人的责任（人民调解法第二十九条）',
    ),
  agreementNotExecuted: (names: string[]) =>
    new DomainError(
      'invalid',
      MediationErrorCode.agreementNotExecuted,
      `书面调解协议须由各方当事人签名、盖章或者按指印（人民调解法第二十九条），尚缺：${names.join('、')}`,
      { names },
    ),
  agreementExecutionParty: (ord: number) =>
    new DomainError(
      'invalid',
      MediationErrorCode.agreementExecutionParty,
      '签署记录须对应本案的当事人（代理人代为签署的，记在被代理人名下），且每人一条',
      { ord },
    ),
  agreementNotSealed: () =>
    new DomainError('invalid', MediationErrorCode.agreementNotSealed, '书面调解协议须加盖人民调解委员会印章后生效（人民调解法第二十九条）'),
  agreementMediator: () => new DomainError('invalid', MediationErrorCode.agreementMediator, '签名或记录协议的调解员须为本案指派的调解员'),
  oralAgreementExecution: () =>
    new DomainError(
      'invalid',
      MediationErrorCode.oralAgreementExecution,
      '口头调解协议由调解员记录，不需要签名、盖章（人民调解法第二十八条）',
    ),
  extensionNotLater: (current: string) =>
    new DomainError('invalid', MediationErrorCode.extensionNotLater, `延长后的期限须晚于当前期限 ${current}`, { current }),
  confirmationExists: () => new DomainError('conflict', MediationErrorCode.confirmationExists, '本案已记录司法确认申请'),
  confirmationNotApplied: () => new DomainError('conflict', MediationErrorCode.confirmationNotApplied, '本案尚未记录司法确认申请'),
  confirmationDecided: () => new DomainError('conflict', MediationErrorCode.confirmationDecided, '司法确认结果已经记录'),
  confirmationWindow: (from: string, to: string) =>
    new DomainError(
      'invalid',
      MediationErrorCode.confirmationWindow,
      `司法确认须自调解协议生效之日起三十日内共同申请（人民调解法第三十三条），即 ${from} 至 ${to}`,
      { from, to },
    ),
  calendarMissing: (year: number) =>
    new DomainError('conflict', MediationErrorCode.calendarMissing, `${year} 年节假日安排未录入，无法判断该日期是否在法定期间内`, { year }),
  decidedBeforeApplied: () => new DomainError('invalid', MediationErrorCode.decidedBeforeApplied, '裁定日期不能早于申请日期'),
  agentTarget: (index: number) => new DomainError('invalid', MediationErrorCode.agentTarget, '代理人须指明所代理的当事人', { index }),
  referringBody: () =>
    new DomainError('invalid', MediationErrorCode.referringBody, '法院、公安或信访移送的案件须写明移送单位，其他来源不填'),
  notMediator: (personId: string) =>
    new DomainError('invalid', MediationErrorCode.notMediator, '所选人员不是本调解委员会的调解员', { personId }),
  mediatorsRequired: (action: 'session' | 'agree') =>
    new DomainError(
      'conflict',
      MediationErrorCode.mediatorsRequired,
      action === 'session' ? '请先指派调解员，调解记录须写明主持调解的调解员' : '请先指派调解员，调解协议须由指派的调解员签名或记录',
    ),
  noAssignableMediator: () =>
    new DomainError(
      'conflict',
      MediationErrorCode.noAssignableMediator,
      '本调解委员会没有可指派的调解员：现有调解员均已指派，或尚未设调解员',
    ),
  noIdMissing: () => new DomainError('conflict', MediationErrorCode.noIdMissing, '当事人的身份证号均已登记，无需补充'),
  noAgreement: () => new DomainError('conflict', MediationErrorCode.noAgreement, '本案没有调解协议，不涉及司法确认'),
  sessionMediator: (personId: string) =>
    new DomainError('invalid', MediationErrorCode.sessionMediator, '调解记录中的调解员须为本案指派的调解员', { personId }),
  futureDate: (field: string) => new DomainError('invalid', MediationErrorCode.futureDate, '日期不能晚于今天', { field }),
  performByBeforeEffective: () => new DomainError('invalid', MediationErrorCode.performByBeforeEffective, '履行期限不能早于协议生效日期'),
  noApplicantRecord: () =>
    new DomainError('forbidden', MediationErrorCode.noApplicantRecord, '您的账号未关联村民登记信息，请到村委会申请调解'),
  divisionNotFound: () => new DomainError('not_found', MediationErrorCode.divisionNotFound, '区划不存在或不在您的辖区内'),
};
