import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type AppConfig, projectRoot } from '#platform';

/** Serves the built web UI (apps/web/dist) at / when it exists; the API stays under /api. */
export async function serveWeb(app: NestFastifyApplication, config: AppConfig): Promise<boolean> {
  const dir = config.webDistDir ?? path.join(projectRoot(), 'apps/web/dist');
  if (!existsSync(path.join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false, index: ['index.html'] });
  const fastify = app.getHttpAdapter().getInstance();
  // Client-side routes fall back to index.html; unknown /api paths stay 404 JSON.
  fastify.get('/*', (req, reply) => {
    const url = req.url.split('?')[0];
    if (url.startsWith('/api/') || url === '/health') return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  return true;
}
