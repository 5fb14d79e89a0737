import { DomainError } from '#platform';

/** The divisions module's error codes: one meaning each. */
export const DivisionErrorCode = {
  notFound: 'DIVISION_NOT_FOUND',
  badCode: 'DIVISION_CODE_INVALID',
} as const;

export const DivisionErrors = {
  notFound: () => new DomainError('not_found', DivisionErrorCode.notFound, '行政区划不存在'),
  badCode: () => new DomainError('invalid', DivisionErrorCode.badCode, '行政区划代码格式错误（应为 4、6、9 或 12 位数字）'),
};
