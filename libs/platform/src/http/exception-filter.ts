import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CommonErrors, DomainError, httpStatusOf } from '../errors/domain-error.js';
import { isDatabaseUnavailable, isStatementTimeout, isUniqueViolation } from '../database/db-errors.js';
import { outageLogFor } from '../database/outage-log.js';

/** Turns anything thrown into `{ code, message, details? }`. Never leaks a stack or SQL. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse() as { message?: unknown } | string;
    if (status === 404) return CommonErrors.routeNotFound();
    if (status === 413) return CommonErrors.payloadTooLarge();
    if (status === 400) {
      const details = typeof body === 'object' ? body.message : undefined;
      return new DomainError('invalid', 'MALFORMED_REQUEST', '请求格式错误', details);
    }
    if (status === 401) return CommonErrors.unauthenticated();
    if (status === 403) return CommonErrors.forbidden();
    if (status === 415) return new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型');
    if (status === 429) return new DomainError('too_many', 'TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试');
    return CommonErrors.internal();
  }
  // Fastify's own errors (bad JSON, body too large) carry a statusCode.
  const e = err as { statusCode?: number; code?: string };
  if (e?.statusCode === 413 || e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return CommonErrors.payloadTooLarge();
  if (e?.statusCode === 400 && typeof e.code === 'string' && e.code.startsWith('FST_')) return CommonErrors.badJson();
  if (e?.statusCode === 415) return new DomainError('invalid', 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型');
  if (isDatabaseUnavailable(err)) return CommonErrors.databaseUnavailable();
  if (isStatementTimeout(err)) return new DomainError('unavailable', 'QUERY_TIMEOUT', '查询超时，请缩小范围后重试');
  if (isUniqueViolation(err)) return new DomainError('conflict', 'DUPLICATE_RECORD', '记录已存在');
  return CommonErrors.internal();
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
    if (err.code === 'DATABASE_UNAVAILABLE') outageLogFor(this.log).failure('request', exception);
    else if (status >= 500) this.log.error({ reqId: req?.id, err: exception }, 'request failed');
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.details !== undefined) body.details = err.details;
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
