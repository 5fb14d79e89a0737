import { CommonErrors, DomainError } from '#platform';
import { PASSWORD_HINT } from './password-strength.js';
import { type Role, ROLE_LEVEL_NAMES, ROLE_NAMES, type RoleLevel } from './role-names.js';

/**
 * The identity module's error codes: one meaning each. The row codes of a register import
 * (nameInvalid, householdInvalid, duplicateInFile) appear only in CSV_ROWS_INVALID's details; a
 * row may also carry personDuplicate, phoneTaken, idNumberInvalid or mobileInvalid, with the same meaning
 * as the error of that name.
 */
export const IdentityErrorCode = {
  loginFailed: 'LOGIN_FAILED',
  accountLocked: 'ACCOUNT_LOCKED',
  accountDisabled: 'ACCOUNT_DISABLED',
  accountNotActivated: 'ACCOUNT_NOT_ACTIVATED',
  loginRateLimited: 'LOGIN_RATE_LIMITED',
  tokenInvalid: 'TOKEN_INVALID',
  tokenExpired: 'TOKEN_EXPIRED',
  sessionRevoked: 'SESSION_REVOKED',
  refreshInvalid: 'REFRESH_TOKEN_INVALID',
  refreshReused: 'REFRESH_TOKEN_REUSED',
  activationInvalid: 'ACTIVATION_CODE_INVALID',
  passwordLength: 'PASSWORD_LENGTH',
  passwordTooWeak: 'PASSWORD_TOO_WEAK',
  passwordWrong: 'PASSWORD_WRONG',
  routeUndeclared: 'ROUTE_PERMISSION_UNDECLARED',
  personNotFound: 'PERSON_NOT_FOUND',
  personDuplicate: 'PERSON_DUPLICATE',
  phoneTaken: 'PHONE_TAKEN',
  idNumberInvalid: 'ID_NUMBER_INVALID',
  mobileInvalid: 'MOBILE_INVALID',
  /** Residents are registered at a village; deliberation's DIVISION_NOT_VILLAGE is about where a proposal is raised. */
  registerNotAtVillage: 'REGISTER_DIVISION_NOT_VILLAGE',
  grantNotAllowed: 'GRANT_NOT_ALLOWED',
  grantLevelMismatch: 'GRANT_LEVEL_MISMATCH',
  grantDuplicate: 'GRANT_DUPLICATE',
  grantNotFound: 'GRANT_NOT_FOUND',
  accountNotFound: 'ACCOUNT_NOT_FOUND',
  csvEmpty: 'CSV_EMPTY',
  csvHeader: 'CSV_HEADER_INVALID',
  csvRows: 'CSV_ROWS_INVALID',
  nameInvalid: 'NAME_INVALID',
  householdInvalid: 'HOUSEHOLD_INVALID',
  duplicateInFile: 'DUPLICATE_IN_FILE',
  /** A register import's 是/否 cell holding something else (a row code, like nameInvalid). */
  yesNoInvalid: 'YES_NO_INVALID',
  /** Not a registered person of the same village: one code for both, so another village's register is not probed. */
  helperNotInVillage: 'HELPER_NOT_IN_VILLAGE',
  helperUnderage: 'HELPER_UNDERAGE',
  helperIsSelf: 'HELPER_IS_SELF',
  /** 留党察看 granted (or registered) to someone who is not a party member there (also a register import's row code). */
  probationWithoutMembership: 'PARTY_PROBATION_WITHOUT_MEMBERSHIP',
} as const;

export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

/** Also the register import's row message (people.service.ts validate). */
export const PROBATION_WITHOUT_MEMBERSHIP =
  '只有本村党员可以登记为留党察看党员（受留党察看处分期间仍是党员，《中国共产党章程》第四十条）：请同时登记为党员';

export const IdentityErrors = {
  loginFailed: () => new DomainError('unauthenticated', IdentityErrorCode.loginFailed, '手机号或密码错误'),
  accountLocked: (until: Date) =>
    new DomainError('locked', IdentityErrorCode.accountLocked, `登录失败次数过多，账号已锁定至 ${formatShanghai(until)}`, {
      lockedUntil: until.toISOString(),
    }),
  accountDisabled: () => new DomainError('forbidden', IdentityErrorCode.accountDisabled, '账号已停用，请联系管理员'),
  accountNotActivated: () => new DomainError('forbidden', IdentityErrorCode.accountNotActivated, '账号尚未激活，请使用激活码设置密码'),
  loginRateLimited: () => new DomainError('too_many', IdentityErrorCode.loginRateLimited, '登录尝试过于频繁，请一分钟后再试'),
  /** The platform's own UNAUTHENTICATED: no credentials at all. */
  tokenMissing: () => CommonErrors.unauthenticated(),
  tokenInvalid: () => new DomainError('unauthenticated', IdentityErrorCode.tokenInvalid, '登录凭证无效，请重新登录'),
  tokenExpired: () => new DomainError('unauthenticated', IdentityErrorCode.tokenExpired, '登录已过期，请刷新或重新登录'),
  sessionRevoked: () => new DomainError('unauthenticated', IdentityErrorCode.sessionRevoked, '登录已失效，请重新登录'),
  refreshInvalid: () => new DomainError('unauthenticated', IdentityErrorCode.refreshInvalid, '刷新凭证无效或已过期，请重新登录'),
  refreshReused: () =>
    new DomainError('unauthenticated', IdentityErrorCode.refreshReused, '检测到刷新凭证被重复使用，已注销该登录，请重新登录'),
  activationInvalid: () => new DomainError('invalid', IdentityErrorCode.activationInvalid, '激活码错误或已过期'),
  passwordLength: () => new DomainError('invalid', IdentityErrorCode.passwordLength, '密码长度应为 8–64 个字符'),
  passwordTooWeak: (reasons: string[]) =>
    new DomainError('invalid', IdentityErrorCode.passwordTooWeak, `密码太容易被猜到：${reasons.join('；')}。${PASSWORD_HINT}`, {
      reasons,
      hint: PASSWORD_HINT,
    }),
  passwordWrong: () => new DomainError('invalid', IdentityErrorCode.passwordWrong, '原密码错误'),
  routeUndeclared: () => new DomainError('forbidden', IdentityErrorCode.routeUndeclared, '该接口未声明访问权限，已拒绝'),
  personNotFound: () => new DomainError('not_found', IdentityErrorCode.personNotFound, '人员不存在'),
  personDuplicate: () => new DomainError('conflict', IdentityErrorCode.personDuplicate, '该身份证号码已登记'),
  phoneTaken: () => new DomainError('conflict', IdentityErrorCode.phoneTaken, '该手机号已被其他账号使用'),
  idNumberInvalid: (problem: string) =>
    new DomainError(
      'invalid',
      IdentityErrorCode.idNumberInvalid,
      `身份证号码无效（${problem === 'checksum' ? '校验位错误' : problem === 'birth_date' ? '出生日期错误' : '格式错误'}）`,
    ),
  mobileInvalid: () => new DomainError('invalid', IdentityErrorCode.mobileInvalid, '手机号码应为 1 开头的 11 位数字'),
  divisionNotVillage: () => new DomainError('invalid', IdentityErrorCode.registerNotAtVillage, '村民登记只能在村（社区）一级进行'),
  grantNotAllowed: () => new DomainError('forbidden', IdentityErrorCode.grantNotAllowed, '您无权授予该角色（不得超出本人职权或辖区）'),
  grantLevelMismatch: (role: Role, levels: readonly RoleLevel[]) => {
    const message = `“${ROLE_NAMES[role]}”只能在${levels.map((l) => ROLE_LEVEL_NAMES[l]).join('或')}一级授予，请选择这一级的区划`;
    // Named as the division's error too, so the form shows it under the division it is about.
    return new DomainError('invalid', IdentityErrorCode.grantLevelMismatch, message, {
      fields: [{ field: 'divisionCode', messages: [message] }],
    });
  },
  grantDuplicate: () => new DomainError('conflict', IdentityErrorCode.grantDuplicate, '该人员已在此区划持有该角色'),
  grantNotFound: () => new DomainError('not_found', IdentityErrorCode.grantNotFound, '角色授权不存在'),
  accountNotFound: () => new DomainError('not_found', IdentityErrorCode.accountNotFound, '账号不存在'),
  probationWithoutMembership: () => new DomainError('invalid', IdentityErrorCode.probationWithoutMembership, PROBATION_WITHOUT_MEMBERSHIP),
  helperNotInVillage: () => new DomainError('invalid', IdentityErrorCode.helperNotInVillage, '帮助人须是本村已登记的村民'),
  helperUnderage: () => new DomainError('invalid', IdentityErrorCode.helperUnderage, '帮助人须年满十八周岁'),
  helperIsSelf: () => new DomainError('invalid', IdentityErrorCode.helperIsSelf, '不能把本人设为自己的帮助人'),
  csvEmpty: () => new DomainError('invalid', IdentityErrorCode.csvEmpty, 'CSV 文件为空或缺少表头'),
  csvHeader: (missing: string[]) => new DomainError('invalid', IdentityErrorCode.csvHeader, `CSV 缺少列：${missing.join('、')}`),
  csvRows: (errors: { row: number; column: string; code: string; message: string }[]) =>
    new DomainError('invalid', IdentityErrorCode.csvRows, `有 ${errors.length} 处错误，未导入任何数据`, { errors }),
};

export function formatShanghai(d: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}
