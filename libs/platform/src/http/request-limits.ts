import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CommonErrors, DomainError, httpStatusOf } from '../errors/domain-error.js';
import { jsonNestsDeeperThan } from '../input/json-depth.js';
import { errorBody, toDomainError } from './exception-filter.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** A JSON body is at most this large unless its route says otherwise with @BodyLimit (uploads). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** No request of this API nests deeper than a few levels; 32 leaves room and keeps recursion cheap. */
export const MAX_JSON_DEPTH = 32;

/** A route that takes a larger body than DEFAULT_BODY_LIMIT (an upload), in bytes. */
export const BodyLimit = (bytes: number): MethodDecorator => RouteConfig({ bodyLimit: bytes });

const jsonTooDeep = () => new DomainError('invalid', 'REQUEST_TOO_DEEP', `请求内容嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`);

const RAW_SECURITY_HEADERS = Object.entries(SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/** Refusals written before Fastify has a request (Node's HTTP parser): same shape, raw on the socket. */
function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new DomainError('headers_too_large', 'HEADERS_TOO_LARGE', '网址或请求头过长')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new DomainError('timeout', 'REQUEST_TIMEOUT', '请求超时')
        : CommonErrors.badJson();
  const status = httpStatusOf(refusal.kind);
  const body = JSON.stringify(errorBody(refusal));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${RAW_SECURITY_HEADERS}` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** The router's refusals (a malformed URL, an over-long path parameter), without echoing the URL back. */
function frameworkError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const err = toDomainError(error);
  void reply
    .headers(SECURITY_HEADERS)
    .header('x-request-id', req.id)
    .status(httpStatusOf(err.kind))
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(err));
}

const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is kept (logged, echoed) only when it looks like an id; otherwise a new one. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Options for the FastifyAdapter: body size, request ids, and every refusal Fastify itself writes in the one error shape. */
export function requestLimitOptions() {
  return {
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestIdHeader: false as const,
    genReqId: requestId,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
  };
}

/**
 * Before the routes are registered (between NestFactory.create, with `bodyParser: false`, and
 * app.init): a route's @BodyLimit becomes its Fastify bodyLimit; the API reads JSON and nothing else
 * (any other content type is a 415); and JSON bodies nested deeper than MAX_JSON_DEPTH are refused
 * from the raw bytes, before parsing, so no recursive walk (class-transformer, the pipe) sees them.
 */
export function installRequestLimits(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const config: { bodyLimit?: unknown } | undefined = route.config;
    const limit = config?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
  fastify.removeContentTypeParser('text/plain');
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (req, body, done) => {
    if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
      done(jsonTooDeep(), undefined);
      return;
    }
    void parseJson(req, body.toString('utf8'), done);
  });
}
