/**
 * Every error a client sees is a DomainError: a stable code, a Chinese message, optional details.
 * The kind decides the HTTP status (one exhaustive switch in the exception filter); codes stay
 * owned by their domain, so a new code never needs an edit here.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'too_many'
  | 'too_large'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'timeout'
  | 'unavailable'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_large':
      return 413;
    case 'uri_too_long':
      return 414;
    case 'headers_too_large':
      return 431;
    case 'timeout':
      return 408;
    case 'locked':
      return 423;
    case 'too_many':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** Codes shared by every module. Domain modules declare their own next to their services. */
export const CommonErrors = {
  validation: (details: unknown) => new DomainError('invalid', 'VALIDATION_FAILED', '提交的数据不符合要求', details),
  notFound: (what = '记录') => new DomainError('not_found', 'NOT_FOUND', `${what}不存在`),
  routeNotFound: () => new DomainError('not_found', 'ROUTE_NOT_FOUND', '请求的接口不存在'),
  unauthenticated: () => new DomainError('unauthenticated', 'UNAUTHENTICATED', '请先登录'),
  forbidden: () => new DomainError('forbidden', 'PERMISSION_DENIED', '您没有执行此操作的权限'),
  staleState: () => new DomainError('conflict', 'STATE_CHANGED', '记录已被他人修改，请刷新后重试'),
  databaseUnavailable: () => new DomainError('unavailable', 'DATABASE_UNAVAILABLE', '数据库暂时不可用，请稍后重试'),
  internal: () => new DomainError('internal', 'INTERNAL_ERROR', '服务器内部错误，请稍后重试'),
  payloadTooLarge: () => new DomainError('too_large', 'PAYLOAD_TOO_LARGE', '上传内容过大'),
  badJson: () => new DomainError('invalid', 'MALFORMED_REQUEST', '请求格式错误'),
};
