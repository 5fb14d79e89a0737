import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is on the other end of the wire: carried into audit rows. */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | null;
}

export function requestMetaOf(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return { requestId: String(req.id), ip: req.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
}

export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
