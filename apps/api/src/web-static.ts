import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type AppConfig, projectRoot } from '#platform';

/** Vite names every file under assets/ by a hash of its content: a changed file is a new name. */
export const ASSETS_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: the browser asks again each time (a 304 when unchanged). */
export const PAGE_CACHE = 'no-cache';

/**
 * Serves the built web UI (apps/web/dist) at / when it exists; the API stays under /api.
 * The build writes a brotli and a gzip copy beside each text file (apps/web/build/precompress.ts);
 * the one the browser accepts is sent as it is, so no response is compressed at request time
 * (docs/performance.md has the CPU figures).
 */
export async function serveWeb(app: NestFastifyApplication, config: AppConfig): Promise<boolean> {
  const dir = config.webDistDir ?? path.join(projectRoot(), 'apps/web/dist');
  if (!existsSync(path.join(dir, 'index.html'))) return false;
  const assetsDir = path.join(dir, 'assets') + path.sep;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    // The .br and .gz copies are not URLs of their own; they are chosen by Accept-Encoding.
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders: (reply, file) => void reply.header('cache-control', file.startsWith(assetsDir) ? ASSETS_CACHE : PAGE_CACHE),
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Client-side routes fall back to index.html; unknown /api paths stay 404 JSON, and so does an asset
  // name that is not (or no longer) in this build: a page still holding an older index.html then sees
  // its chunk fail to load and offers a reload, rather than getting HTML in place of a script.
  fastify.get('/*', (req, reply) => {
    const url = req.url.split('?')[0];
    if (url.startsWith('/api/') || url === '/health' || url.startsWith('/assets/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  return true;
}
