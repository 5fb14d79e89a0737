import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CommonErrors, DomainError, httpStatusOf } from '../errors/domain-error.js';
import { dataRejectionOf, isDatabaseUnavailable, isStatementTimeout, isUniqueViolation } from '../database/db-errors.js';
import { outageLogFor } from '../database/outage-log.js';

const unsupportedMediaType = () => new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型，请以 application/json 提交');
const malformedUrl = () => new DomainError('invalid', 'MALFORMED_URL', '网址格式错误');
const urlTooLong = () => new DomainError('uri_too_long', 'URL_TOO_LONG', '网址过长');

/** Fastify's and its router's own errors, by code (their messages are English and may echo the URL). */
function fromFastify(code: string, status: number | undefined): DomainError | undefined {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonErrors.payloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('invalid', 'REQUEST_BODY_EMPTY', '请求内容为空，应为 JSON');
    case 'FST_ERR_BAD_URL':
      return malformedUrl();
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return urlTooLong();
    default:
      if (status === 413) return CommonErrors.payloadTooLarge();
      if (status === 415) return unsupportedMediaType();
      if (status !== undefined && status >= 400 && status < 500) return CommonErrors.badJson();
      return undefined;
  }
}

/** Turns anything thrown into `{ code, message, details? }`. Never leaks a stack, SQL, or a client's own input. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return CommonErrors.routeNotFound();
    if (status === 413) return CommonErrors.payloadTooLarge();
    if (status === 401) return CommonErrors.unauthenticated();
    if (status === 403) return CommonErrors.forbidden();
    if (status === 415) return unsupportedMediaType();
    if (status === 429) return new DomainError('too_many', 'TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试');
    // Nest's own 400s (a body parser's refusal) carry English text: the code says enough.
    if (status >= 400 && status < 500) return CommonErrors.badJson();
    return CommonErrors.internal();
  }
  const e = err as { statusCode?: unknown; code?: unknown } | null;
  if (typeof e?.code === 'string' && e.code.startsWith('FST_')) {
    const mapped = fromFastify(e.code, typeof e.statusCode === 'number' ? e.statusCode : undefined);
    if (mapped) return mapped;
  }
  if (e?.statusCode === 413) return CommonErrors.payloadTooLarge();
  if (isDatabaseUnavailable(err)) return CommonErrors.databaseUnavailable();
  if (isStatementTimeout(err)) return new DomainError('unavailable', 'QUERY_TIMEOUT', '查询超时，请缩小范围后重试');
  if (isUniqueViolation(err)) return new DomainError('conflict', 'DUPLICATE_RECORD', '记录已存在');
  switch (dataRejectionOf(err)) {
    case 'reference':
      return new DomainError('invalid', 'INVALID_REFERENCE', '引用的记录不存在或不可用');
    case 'data':
      return new DomainError('invalid', 'DATA_REJECTED', '提交的数据不符合要求');
    case undefined:
      return CommonErrors.internal();
  }
}

/** The one body every error answer carries. */
export function errorBody(err: DomainError): Record<string, unknown> {
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.details !== undefined) body.details = err.details;
  return body;
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const err = toDomainError(exception);
    const status = httpStatusOf(err.kind);
    if (err.code === 'DATABASE_UNAVAILABLE') {
      outageLogFor(this.log).failure('request', exception);
    } else if (status >= 500) {
      this.log.error({ reqId: req?.id, err: exception }, 'request failed');
    } else if (err.code === 'DATA_REJECTED' || err.code === 'INVALID_REFERENCE') {
      // The database, not validation, refused the input: answered as a 400, logged as a gap to close.
      const db = exception as { code?: string; driverError?: { code?: string; constraint?: string; column?: string } };
      this.log.warn(
        { reqId: req?.id, pgCode: db.driverError?.code ?? db.code, constraint: db.driverError?.constraint, column: db.driverError?.column },
        'input refused by the database',
      );
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(errorBody(err));
  }
}
