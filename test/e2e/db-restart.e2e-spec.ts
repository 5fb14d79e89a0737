import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
  app = await createApp({ ...config, databaseUrl: pg.url('sangong') });
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

  pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), preferredPort: port, throwaway: true });
  expect(pg.port).toBe(port);
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await api.get('/health')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(200);
  expect((await api.get('/api/v1/divisions/140428')).body.name).toBe('长子县');
});
