import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createLogger, ensureDatabase, loadConfig, startEmbeddedPostgres, type EmbeddedServer } from '#platform';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { seedDivisions } from '../../seeds/divisions.seed.js';
import { Api } from '../support/http.js';

// This file runs its own PostgreSQL, because it stops and restarts the server under a live app.
let dir: string;
let pg: EmbeddedServer;
let app: NestFastifyApplication;
let api: Api;
/** Everything the app logs at warn and above, parsed. */
const logged: { level: number; msg: string; [k: string]: unknown }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sangong-restart-'));
  await chmod(dir, 0o755);
  pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), throwaway: true });
  await ensureDatabase(pg.url('postgres'), 'sangong');
  const config = loadConfig({ NODE_ENV: 'test', JOBS_ENABLED: 'false', DB_STATEMENT_TIMEOUT_MS: '5000' });
  const ds = await createDataSource(pg.url('sangong'), config, createLogger('silent')).initialize();
  await ds.runMigrations();
  await seedDivisions(ds);
  await ds.destroy();
  const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  app = await createApp({ ...config, databaseUrl: pg.url('sangong') }, { log });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.getHttpServer().address();
  api = new Api(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
});

afterAll(async () => {
  await app?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('answers 503 while PostgreSQL is down and recovers after it returns, without a process restart', async () => {
  expect((await api.get('/health')).status).toBe(200);
  expect((await api.get('/api/v1/divisions/140428')).body.name).toBe('长子县');

  const port = pg.port;
  await pg.stop();
  const down = await api.get('/health');
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ code: 'DATABASE_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' });
  const downApi = await api.get('/api/v1/divisions/140428');
  expect(downApi.status).toBe(503);
  expect(downApi.body.code).toBe('DATABASE_UNAVAILABLE');
  expect(JSON.stringify(downApi.body)).not.toMatch(/ECONNREFUSED|at |\.ts/);
  // Traffic during the outage: each request fails, none gets a log line of its own.
  const during = await Promise.all(Array.from({ length: 40 }, (_, i) => api.get(i % 2 ? '/health' : '/api/v1/divisions/140428')));
  expect(during.map((r) => r.status)).toEqual(Array(40).fill(503));

  pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), preferredPort: port, throwaway: true });
  expect(pg.port).toBe(port);
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await api.get('/health')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(200);
  expect((await api.get('/api/v1/divisions/140428')).body.name).toBe('长子县');

  // The outage is told once, and its end (the probe runs every second) with the count.
  for (let i = 0; i < 40 && !logged.some((l) => l.msg === '数据库已恢复'); i++) await new Promise((r) => setTimeout(r, 250));
  const count = (msg: string) => logged.filter((l) => l.msg === msg).length;
  expect(count('数据库不可用')).toBe(1);
  expect(count('数据库已恢复')).toBe(1);
  expect(count('request failed')).toBe(0);
  const end = logged.find((l) => l.msg === '数据库已恢复')!;
  expect(end.failures).toBeGreaterThanOrEqual(42);
  expect((end.bySource as Record<string, number>).request).toBeGreaterThanOrEqual(42);
  // 42 failed requests and the pool's dropped connections: a handful of lines in all, not one each.
  expect(logged.length).toBeLessThanOrEqual(5);
});
