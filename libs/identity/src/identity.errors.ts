import { DomainError } from '#platform';
import { PASSWORD_HINT } from './password-strength.js';

export const IdentityErrors = {
  loginFailed: () => new DomainError('unauthenticated', 'LOGIN_FAILED', '手机号或密码错误'),
  accountLocked: (until: Date) =>
    new DomainError('locked', 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定至 ${formatShanghai(until)}`, {
      lockedUntil: until.toISOString(),
    }),
  accountDisabled: () => new DomainError('forbidden', 'ACCOUNT_DISABLED', '账号已停用，请联系管理员'),
  accountNotActivated: () => new DomainError('forbidden', 'ACCOUNT_NOT_ACTIVATED', '账号尚未激活，请使用激活码设置密码'),
  loginRateLimited: () => new DomainError('too_many', 'LOGIN_RATE_LIMITED', '登录尝试过于频繁，请一分钟后再试'),
  tokenMissing: () => new DomainError('unauthenticated', 'UNAUTHENTICATED', '请先登录'),
  tokenInvalid: () => new DomainError('unauthenticated', 'TOKEN_INVALID', '登录凭证无效，请重新登录'),
  tokenExpired: () => new DomainError('unauthenticated', 'TOKEN_EXPIRED', '登录已过期，请刷新或重新登录'),
  sessionRevoked: () => new DomainError('unauthenticated', 'SESSION_REVOKED', '登录已失效，请重新登录'),
  refreshInvalid: () => new DomainError('unauthenticated', 'REFRESH_TOKEN_INVALID', '刷新凭证无效或已过期，请重新登录'),
  refreshReused: () => new DomainError('unauthenticated', 'REFRESH_TOKEN_REUSED', '检测到刷新凭证被重复使用，已注销该登录，请重新登录'),
  activationInvalid: () => new DomainError('invalid', 'ACTIVATION_CODE_INVALID', '激活码错误或已过期'),
  passwordLength: () => new DomainError('invalid', 'PASSWORD_LENGTH', '密码长度应为 8–64 个字符'),
  passwordTooWeak: (reasons: string[]) =>
    new DomainError('invalid', 'PASSWORD_TOO_WEAK', `密码太容易被猜到：${reasons.join('；')}。${PASSWORD_HINT}`, {
      reasons,
      hint: PASSWORD_HINT,
    }),
  passwordWrong: () => new DomainError('invalid', 'PASSWORD_WRONG', '原密码错误'),
  routeUndeclared: () => new DomainError('forbidden', 'ROUTE_PERMISSION_UNDECLARED', '该接口未声明访问权限，已拒绝'),
  personNotFound: () => new DomainError('not_found', 'PERSON_NOT_FOUND', '人员不存在'),
  personDuplicate: () => new DomainError('conflict', 'PERSON_DUPLICATE', '该身份证号码已登记'),
  phoneTaken: () => new DomainError('conflict', 'PHONE_TAKEN', '该手机号已被其他账号使用'),
  idNumberInvalid: (problem: string) =>
    new DomainError(
      'invalid',
      'ID_NUMBER_INVALID',
      `身份证号码无效（${problem === 'checksum' ? '校验位错误' : problem === 'birth_date' ? '出生日期错误' : '格式错误'}）`,
    ),
  mobileInvalid: () => new DomainError('invalid', 'MOBILE_INVALID', '手机号码应为 1 开头的 11 位数字'),
  divisionNotVillage: () => new DomainError('invalid', 'DIVISION_NOT_VILLAGE', '村民登记只能在村（社区）一级进行'),
  grantNotAllowed: () => new DomainError('forbidden', 'GRANT_NOT_ALLOWED', '您无权授予该角色（不得超出本人职权或辖区）'),
  grantLevelMismatch: (role: string, levels: readonly string[]) =>
    new DomainError('invalid', 'GRANT_LEVEL_MISMATCH', `角色 ${role} 只能在 ${levels.join('、')} 级区划授予`),
  grantDuplicate: () => new DomainError('conflict', 'GRANT_DUPLICATE', '该人员已在此区划持有该角色'),
  grantNotFound: () => new DomainError('not_found', 'GRANT_NOT_FOUND', '角色授权不存在'),
  accountNotFound: () => new DomainError('not_found', 'ACCOUNT_NOT_FOUND', '账号不存在'),
  csvEmpty: () => new DomainError('invalid', 'CSV_EMPTY', 'CSV 文件为空或缺少表头'),
  csvHeader: (missing: string[]) => new DomainError('invalid', 'CSV_HEADER_INVALID', `CSV 缺少列：${missing.join('、')}`),
  csvRows: (errors: { row: number; column: string; code: string; message: string }[]) =>
    new DomainError('invalid', 'CSV_ROWS_INVALID', `有 ${errors.length} 处错误，未导入任何数据`, { errors }),
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
