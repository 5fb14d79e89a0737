import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '#platform';

/** The 集体经济 module's error codes: one meaning each (row-level import codes are in import/row-codes.ts). */
export const EconomyErrorCode = {
  creditCodeLength: 'CREDIT_CODE_LENGTH',
  creditCodeCharset: 'CREDIT_CODE_CHARSET',
  creditCodeChecksum: 'CREDIT_CODE_CHECKSUM',
  creditCodeAuthority: 'CREDIT_CODE_AUTHORITY',
  creditCodeTypeLevel: 'CREDIT_CODE_TYPE_LEVEL',
  creditCodeDivision: 'CREDIT_CODE_DIVISION',
  creditCodeTaken: 'CREDIT_CODE_DUPLICATE',
  orgNameInvalid: 'ORG_NAME_INVALID',
  orgNotFound: 'ORG_NOT_FOUND',
  orgDivisionInvalid: 'ORG_DIVISION_INVALID',
  orgVillageTaken: 'ORG_VILLAGE_DUPLICATE',
  divisionUnknown: 'DIVISION_UNKNOWN',
  divisionOutOfScope: 'DIVISION_OUT_OF_SCOPE',
  supervisorIsDirector: 'SUPERVISOR_IS_DIRECTOR',
  chairNotDirector: 'CHAIR_NOT_ON_BOARD',
  personNotInRegister: 'PERSON_NOT_IN_REGISTER',
  memberDuplicate: 'MEMBER_DUPLICATE',
  memberNotFound: 'MEMBER_NOT_FOUND',
  memberRepresentativeDuplicate: 'MEMBER_REPRESENTATIVE_DUPLICATE',
  memberRepresentativeNotFound: 'MEMBER_REPRESENTATIVE_NOT_FOUND',
  memberRepresentativeBeforeJoining: 'MEMBER_REPRESENTATIVE_BEFORE_JOINING',
  memberRepresentativeEndBeforeElection: 'MEMBER_REPRESENTATIVE_END_BEFORE_ELECTION',
  memberSharesOverTotal: 'MEMBER_SHARES_OVER_TOTAL',
  companyNotFound: 'COMPANY_NOT_FOUND',
  companyDivisionInvalid: 'COMPANY_DIVISION_INVALID',
  paidInOverRegistered: 'PAID_IN_OVER_REGISTERED',
  shareholderOrgOutside: 'SHAREHOLDER_ORG_OUTSIDE',
  holderNameRequired: 'HOLDER_NAME_REQUIRED',
  allianceNameRequired: 'ALLIANCE_NAME_REQUIRED',
  shareholderDuplicate: 'SHAREHOLDER_DUPLICATE',
  dividendNotShareholder: 'DIVIDEND_NOT_SHAREHOLDER',
  allianceDuplicate: 'ALLIANCE_DUPLICATE',
  totalBelowOperating: 'TOTAL_BELOW_OPERATING',
  amountInvalid: 'AMOUNT_INVALID',
  yearLocked: 'YEAR_LOCKED',
  alreadyLocked: 'YEAR_ALREADY_LOCKED',
  notLocked: 'YEAR_NOT_LOCKED',
  lockDivisionInvalid: 'LOCK_DIVISION_INVALID',
  settingForbidden: 'SETTING_FORBIDDEN',
  importFileInvalid: 'IMPORT_FILE_INVALID',
  importKindRequired: 'IMPORT_KIND_REQUIRED',
  importNoSheets: 'IMPORT_NO_TABLES',
  importJobNotFound: 'IMPORT_JOB_NOT_FOUND',
  dateInvalid: 'DATE_INVALID',
} as const;
export type EconomyErrorCode = (typeof EconomyErrorCode)[keyof typeof EconomyErrorCode];

/** Every error code of the 集体经济 module, with its Chinese message. Row-level import errors reuse these codes. */
export const EconomyErrors = {
  creditCodeLength: () => new DomainError('invalid', EconomyErrorCode.creditCodeLength, '统一社会信用代码应为 18 位'),
  creditCodeCharset: () =>
    new DomainError('invalid', EconomyErrorCode.creditCodeCharset, '统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）'),
  creditCodeChecksum: () =>
    new DomainError('invalid', EconomyErrorCode.creditCodeChecksum, '统一社会信用代码校验位不符（可能有字符写错或前后颠倒）'),
  creditCodeAuthority: () =>
    new DomainError(
      'invalid',
      EconomyErrorCode.creditCodeAuthority,
      '集体经济组织的统一社会信用代码第 1 位（登记管理部门）应为 N（农业农村部门）',
    ),
  creditCodeTypeLevel: (expected: string, level: string) =>
    new DomainError('invalid', EconomyErrorCode.creditCodeTypeLevel, `统一社会信用代码第 2 位（机构类别）应为 ${expected}（${level}）`),
  creditCodeDivision: (expected: string, predecessors: readonly { code: string; name: string }[] = []) =>
    new DomainError(
      'invalid',
      EconomyErrorCode.creditCodeDivision,
      `统一社会信用代码第 3–8 位（登记管理机关行政区划）应为所在县 ${expected}` +
        (predecessors.length ? `（或区划调整前的 ${predecessors.map((p) => `${p.name} ${p.code}`).join('、')}）` : ''),
    ),
  creditCodeTaken: () => new DomainError('conflict', EconomyErrorCode.creditCodeTaken, '该统一社会信用代码已在登记册中'),
  orgNameInvalid: () => new DomainError('invalid', EconomyErrorCode.orgNameInvalid, '组织名称须包含“集体经济组织”'),
  orgNotFound: () => new DomainError('not_found', EconomyErrorCode.orgNotFound, '集体经济组织不存在'),
  orgDivisionInvalid: () =>
    new DomainError('invalid', EconomyErrorCode.orgDivisionInvalid, '所在区划不存在或与组织层级不符（村级、组级应为村，乡镇级应为乡镇）'),
  orgVillageTaken: () => new DomainError('conflict', EconomyErrorCode.orgVillageTaken, '该村已有村级集体经济组织'),
  divisionUnknown: () => new DomainError('invalid', EconomyErrorCode.divisionUnknown, '区划代码不存在（未知的村或乡镇）'),
  divisionOutOfScope: () => new DomainError('not_found', EconomyErrorCode.divisionOutOfScope, '区划不存在或不在您的管辖范围内'),
  supervisorIsDirector: () => new DomainError('invalid', EconomyErrorCode.supervisorIsDirector, '监事不得同时担任理事会成员'),
  chairNotDirector: () => new DomainError('invalid', EconomyErrorCode.chairNotDirector, '理事长须是理事会成员'),
  personNotInRegister: () => new DomainError('invalid', EconomyErrorCode.personNotInRegister, '该人员不在本组织所在区域的村民登记中'),
  memberDuplicate: () => new DomainError('conflict', EconomyErrorCode.memberDuplicate, '该人员已是本组织成员'),
  memberNotFound: () => new DomainError('not_found', EconomyErrorCode.memberNotFound, '成员不存在'),
  memberRepresentativeDuplicate: () =>
    new DomainError(
      'conflict',
      EconomyErrorCode.memberRepresentativeDuplicate,
      '该成员在这段任期内已是成员代表（每届任期五年，可以连选连任）',
    ),
  memberRepresentativeNotFound: () =>
    new DomainError('not_found', EconomyErrorCode.memberRepresentativeNotFound, '成员代表记录不存在或已终止'),
  memberRepresentativeBeforeJoining: () =>
    new DomainError('invalid', EconomyErrorCode.memberRepresentativeBeforeJoining, '当选日期早于该成员加入本组织的日期'),
  memberRepresentativeEndBeforeElection: () =>
    new DomainError('invalid', EconomyErrorCode.memberRepresentativeEndBeforeElection, '终止日期不得早于当选日期'),
  memberSharesOverTotal: (allocated?: string, total?: string) =>
    new DomainError(
      'invalid',
      EconomyErrorCode.memberSharesOverTotal,
      allocated ? `成员份额合计 ${allocated} 超过组织总份额 ${total}` : '成员份额合计超过组织总份额',
    ),
  companyNotFound: () => new DomainError('not_found', EconomyErrorCode.companyNotFound, '平台公司不存在'),
  companyDivisionInvalid: () =>
    new DomainError('invalid', EconomyErrorCode.companyDivisionInvalid, '所在区划不存在或与公司层级不符（县级应为县，乡镇级应为乡镇）'),
  paidInOverRegistered: () => new DomainError('invalid', EconomyErrorCode.paidInOverRegistered, '实缴资本不得超过注册资本'),
  sharesOver100: (totalPercent?: string) =>
    new DomainError(
      'invalid',
      'SHARES_OVER_100',
      totalPercent ? `股东持股比例合计 ${totalPercent}% 超过 100%` : '股东持股比例合计超过 100%',
    ),
  shareholderOrgOutside: () =>
    new DomainError('invalid', EconomyErrorCode.shareholderOrgOutside, '作为股东的集体经济组织须在公司所在区域内'),
  holderNameRequired: () => new DomainError('invalid', EconomyErrorCode.holderNameRequired, '非集体经济组织股东须填写名称'),
  allianceNameRequired: () => new DomainError('invalid', EconomyErrorCode.allianceNameRequired, '企业或合作社成员须填写名称'),
  shareholderDuplicate: () => new DomainError('invalid', EconomyErrorCode.shareholderDuplicate, '同一股东不得重复列出'),
  dividendNotShareholder: () => new DomainError('invalid', EconomyErrorCode.dividendNotShareholder, '分红对象须是该公司的股东集体经济组织'),
  allianceDuplicate: () => new DomainError('invalid', EconomyErrorCode.allianceDuplicate, '同一联盟成员不得重复列出'),
  totalBelowOperating: () => new DomainError('invalid', EconomyErrorCode.totalBelowOperating, '总收入不得小于经营收入'),
  amountInvalid: () => new DomainError('invalid', EconomyErrorCode.amountInvalid, '金额应为元，最多两位小数'),
  yearLocked: (year: number) =>
    new DomainError('locked', EconomyErrorCode.yearLocked, `${year} 年度数据已经乡镇（县）确认锁定，如需修改请先解锁`),
  alreadyLocked: () => new DomainError('conflict', EconomyErrorCode.alreadyLocked, '该年度已确认锁定'),
  notLocked: () => new DomainError('conflict', EconomyErrorCode.notLocked, '该年度未锁定'),
  lockDivisionInvalid: () => new DomainError('invalid', EconomyErrorCode.lockDivisionInvalid, '年度确认只能按乡镇或县进行'),
  settingForbidden: () => new DomainError('forbidden', EconomyErrorCode.settingForbidden, '只有市级管理员可以修改该设置'),
  importFileInvalid: () => new DomainError('invalid', EconomyErrorCode.importFileInvalid, '无法读取文件，请上传 .xlsx 或 .csv 文件'),
  importKindRequired: () => new DomainError('invalid', EconomyErrorCode.importKindRequired, 'CSV 文件须指明导入的表（kind）'),
  importNoSheets: () => new DomainError('invalid', EconomyErrorCode.importNoSheets, '文件中没有可识别的表（工作表名称须与导出时一致）'),
  importJobNotFound: () => new DomainError('not_found', EconomyErrorCode.importJobNotFound, '导入任务不存在'),
};

/**
 * A constraint the database enforced (a concurrent writer got there first, or a deferred check at
 * commit) becomes the same domain error the service would have raised; anything else passes through.
 */
export function translateDbError(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint ?? '';
  if (code === '23505') {
    if (constraint === 'collective_org_one_per_village_uq') return EconomyErrors.orgVillageTaken();
    if (constraint.endsWith('credit_code_uq')) return EconomyErrors.creditCodeTaken();
    if (constraint === 'collective_member_uq') return EconomyErrors.memberDuplicate();
    if (constraint === 'economy_year_lock_active_uq') return EconomyErrors.alreadyLocked();
  }
  if (code === '23514') {
    if (constraint === 'company_shareholder_total_100') return EconomyErrors.sharesOver100();
    if (constraint === 'collective_member_shares_within_total') return EconomyErrors.memberSharesOverTotal();
  }
  if (code === '22008' || code === '22007') return new DomainError('invalid', EconomyErrorCode.dateInvalid, '日期无效');
  return err;
}

/** Runs a use case's transaction and translates constraint violations into domain errors. */
export async function inTransaction<T>(db: DataSource, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    throw translateDbError(e);
  }
}
