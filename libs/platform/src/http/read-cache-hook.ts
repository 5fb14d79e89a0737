import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { ReadCache } from '../database/read-cache.js';

/** Marks a writing route that changes nothing the read cache holds (it sets the route's config: not with BodyLimit). */
export const KeepsReadCache = (): MethodDecorator => RouteConfig({ keepsReadCache: true });

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After every writing request of this process, before its answer leaves, the read cache is dropped, so
 * the writer's next request reads what it wrote whatever the timing of the database's notification
 * (other processes learn it from the notification; decision 062). Ballots, sign-ins and logins, which
 * change nothing cached, are marked with @KeepsReadCache() and keep it.
 */
export function dropReadCacheAfterWrites(fastify: FastifyInstance, cache: ReadCache): void {
  fastify.addHook('onSend', async (request, _reply, payload) => {
    if (!READING.has(request.method) && !(request.routeOptions.config as { keepsReadCache?: boolean }).keepsReadCache)
      cache.invalidate('*');
    return payload;
  });
}

/**
 * Fastify's reply serializer (routes have no response schemas, so it replaces plain JSON.stringify): an
 * answer from the read cache goes out as the bytes encoded when it was stored; anything else as before.
 */
export function sendCachedJson(fastify: FastifyInstance, cache: ReadCache): void {
  fastify.setReplySerializer((payload) => (cache.jsonOf(payload) ?? JSON.stringify(payload)) as string);
}
