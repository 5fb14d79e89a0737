import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '#platform';

/** Every error code of the 集体经济 module, with its Chinese message. Row-level import errors reuse these codes. */
export const EconomyErrors = {
  creditCodeLength: () => new DomainError('invalid', 'CREDIT_CODE_LENGTH', '统一社会信用代码应为 18 位'),
  creditCodeCharset: () => new DomainError('invalid', 'CREDIT_CODE_CHARSET', '统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）'),
  creditCodeChecksum: () => new DomainError('invalid', 'CREDIT_CODE_CHECKSUM', '统一社会信用代码校验位不符（可能有字符写错或前后颠倒）'),
  creditCodeAuthority: () =>
    new DomainError('invalid', 'CREDIT_CODE_AUTHORITY', '集体经济组织的统一社会信用代码第 1 位（登记管理部门）应为 N（农业农村部门）'),
  creditCodeTypeLevel: (expected: string, level: string) =>
    new DomainError('invalid', 'CREDIT_CODE_TYPE_LEVEL', `统一社会信用代码第 2 位（机构类别）应为 ${expected}（${level}）`),
  creditCodeDivision: (expected: string, predecessors: readonly { code: string; name: string }[] = []) =>
    new DomainError(
      'invalid',
      'CREDIT_CODE_DIVISION',
      `统一社会信用代码第 3–8 位（登记管理机关行政区划）应为所在县 ${expected}` +
        (predecessors.length ? `（或区划调整前的 ${predecessors.map((p) => `${p.name} ${p.code}`).join('、')}）` : ''),
    ),
  creditCodeTaken: () => new DomainError('conflict', 'CREDIT_CODE_DUPLICATE', '该统一社会信用代码已在登记册中'),
  orgNameInvalid: () => new DomainError('invalid', 'ORG_NAME_INVALID', '组织名称须包含“集体经济组织”'),
  orgNotFound: () => new DomainError('not_found', 'ORG_NOT_FOUND', '集体经济组织不存在'),
  orgDivisionInvalid: () =>
    new DomainError('invalid', 'ORG_DIVISION_INVALID', '所在区划不存在或与组织层级不符（村级、组级应为村，乡镇级应为乡镇）'),
  orgVillageTaken: () => new DomainError('conflict', 'ORG_VILLAGE_DUPLICATE', '该村已有村级集体经济组织'),
  divisionUnknown: () => new DomainError('invalid', 'DIVISION_UNKNOWN', '区划代码不存在（未知的村或乡镇）'),
  divisionOutOfScope: () => new DomainError('not_found', 'DIVISION_OUT_OF_SCOPE', '区划不存在或不在您的管辖范围内'),
  supervisorIsDirector: () => new DomainError('invalid', 'SUPERVISOR_IS_DIRECTOR', '监事不得同时担任理事会成员'),
  chairNotDirector: () => new DomainError('invalid', 'CHAIR_NOT_ON_BOARD', '理事长须是理事会成员'),
  personNotInRegister: () => new DomainError('invalid', 'PERSON_NOT_IN_REGISTER', '该人员不在本组织所在区域的村民登记中'),
  memberDuplicate: () => new DomainError('conflict', 'MEMBER_DUPLICATE', '该人员已是本组织成员'),
  memberNotFound: () => new DomainError('not_found', 'MEMBER_NOT_FOUND', '成员不存在'),
  memberRepresentativeDuplicate: () =>
    new DomainError('conflict', 'MEMBER_REPRESENTATIVE_DUPLICATE', '该成员在这段任期内已是成员代表（每届任期五年，可以连选连任）'),
  memberRepresentativeNotFound: () => new DomainError('not_found', 'MEMBER_REPRESENTATIVE_NOT_FOUND', '成员代表记录不存在或已终止'),
  memberRepresentativeBeforeJoining: () =>
    new DomainError('invalid', 'MEMBER_REPRESENTATIVE_BEFORE_JOINING', '当选日期早于该成员加入本组织的日期'),
  memberRepresentativeEndBeforeElection: () =>
    new DomainError('invalid', 'MEMBER_REPRESENTATIVE_END_BEFORE_ELECTION', '终止日期不得早于当选日期'),
  memberSharesOverTotal: (allocated?: string, total?: string) =>
    new DomainError(
      'invalid',
      'MEMBER_SHARES_OVER_TOTAL',
      allocated ? `成员份额合计 ${allocated} 超过组织总份额 ${total}` : '成员份额合计超过组织总份额',
    ),
  companyNotFound: () => new DomainError('not_found', 'COMPANY_NOT_FOUND', '平台公司不存在'),
  companyDivisionInvalid: () =>
    new DomainError('invalid', 'COMPANY_DIVISION_INVALID', '所在区划不存在或与公司层级不符（县级应为县，乡镇级应为乡镇）'),
  paidInOverRegistered: () => new DomainError('invalid', 'PAID_IN_OVER_REGISTERED', '实缴资本不得超过注册资本'),
  sharesOver100: (totalPercent?: string) =>
    new DomainError(
      'invalid',
      'SHARES_OVER_100',
      totalPercent ? `股东持股比例合计 ${totalPercent}% 超过 100%` : '股东持股比例合计超过 100%',
    ),
  shareholderOrgOutside: () => new DomainError('invalid', 'SHAREHOLDER_ORG_OUTSIDE', '作为股东的集体经济组织须在公司所在区域内'),
  holderNameRequired: () => new DomainError('invalid', 'HOLDER_NAME_REQUIRED', '非集体经济组织股东须填写名称'),
  allianceNameRequired: () => new DomainError('invalid', 'ALLIANCE_NAME_REQUIRED', '企业或合作社成员须填写名称'),
  shareholderDuplicate: () => new DomainError('invalid', 'SHAREHOLDER_DUPLICATE', '同一股东不得重复列出'),
  dividendNotShareholder: () => new DomainError('invalid', 'DIVIDEND_NOT_SHAREHOLDER', '分红对象须是该公司的股东集体经济组织'),
  allianceDuplicate: () => new DomainError('invalid', 'ALLIANCE_DUPLICATE', '同一联盟成员不得重复列出'),
  totalBelowOperating: () => new DomainError('invalid', 'TOTAL_BELOW_OPERATING', '总收入不得小于经营收入'),
  amountInvalid: () => new DomainError('invalid', 'AMOUNT_INVALID', '金额应为元，最多两位小数'),
  yearLocked: (year: number) => new DomainError('locked', 'YEAR_LOCKED', `${year} 年度数据已经乡镇（县）确认锁定，如需修改请先解锁`),
  alreadyLocked: () => new DomainError('conflict', 'YEAR_ALREADY_LOCKED', '该年度已确认锁定'),
  notLocked: () => new DomainError('conflict', 'YEAR_NOT_LOCKED', '该年度未锁定'),
  lockDivisionInvalid: () => new DomainError('invalid', 'LOCK_DIVISION_INVALID', '年度确认只能按乡镇或县进行'),
  settingForbidden: () => new DomainError('forbidden', 'SETTING_FORBIDDEN', '只有市级管理员可以修改该设置'),
  importFileInvalid: () => new DomainError('invalid', 'IMPORT_FILE_INVALID', '无法读取文件，请上传 .xlsx 或 .csv 文件'),
  importKindRequired: () => new DomainError('invalid', 'IMPORT_KIND_REQUIRED', 'CSV 文件须指明导入的表（kind）'),
  importNoSheets: () => new DomainError('invalid', 'IMPORT_NO_TABLES', '文件中没有可识别的表（工作表名称须与导出时一致）'),
  importJobNotFound: () => new DomainError('not_found', 'IMPORT_JOB_NOT_FOUND', '导入任务不存在'),
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
  if (code === '22008' || code === '22007') return new DomainError('invalid', 'DATE_INVALID', '日期无效');
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
