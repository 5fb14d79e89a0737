import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { SmsProvider } from '#messaging';
import { loadConfig, SystemClock, type AppConfig } from '#platform';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { createTestDatabase } from './test-db.js';
import { Api } from './http.js';
import { Factories } from './factories.js';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  db: DataSource;
  clock: SystemClock;
  api: Api;
  given: Factories;
  config: AppConfig;
  databaseUrl: string;
  /** A second app process's worth (its own pools, caches, batchers) on the same database. */
  sibling: (
    env?: Record<string, string>,
    opts?: { smsProvider?: SmsProvider },
  ) => Promise<{ app: NestFastifyApplication; api: Api; close: () => Promise<void> }>;
  close: () => Promise<void>;
}

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://127.0.0.1:${port}`;
}

/**
 * The real application on its own fresh PostgreSQL database, listening on a free port:
 * tests talk to it over real HTTP. Background jobs are off unless asked for; tests drive them.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { smsProvider?: SmsProvider } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const settings = (more: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'test', JOBS_ENABLED: 'false', LOGIN_IP_LIMIT_PER_MINUTE: '100000', DB_POOL_SIZE: '10', ...env, ...more });
  const config = settings({});
  const clock = new SystemClock();
  const app = await createApp({ ...config, databaseUrl: database.url }, { clock, smsProvider: opts.smsProvider });
  const baseUrl = await listen(app);
  const db = app.get(DataSource);
  const api = new Api(baseUrl);
  return {
    app,
    baseUrl,
    db,
    clock,
    api,
    config,
    databaseUrl: database.url,
    sibling: async (more = {}, siblingOpts = {}) => {
      const other = await createApp({ ...settings(more), databaseUrl: database.url }, { clock, smsProvider: siblingOpts.smsProvider });
      const url = await listen(other);
      return { app: other, api: new Api(url), close: () => other.close() };
    },
    given: new Factories(db, api, app),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
