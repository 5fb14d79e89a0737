import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { ConfigError, createLogger, DeploymentError } from '#platform';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { runSeeds } from '../../seeds/index.js';
import { runSeedCommand } from '../../seeds/seed-command.js';
import { makeIdNumber } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';
import { startTestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

/** What an operator sets for production, with fresh secrets. */
const productionEnv = (databaseUrl: string): Record<string, string> => ({
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  JWT_SECRET: randomBytes(36).toString('base64'),
  PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  PII_HASH_KEY: randomBytes(32).toString('hex'),
  SMS_PROVIDER: 'log',
  LOG_LEVEL: 'silent',
  JOBS_ENABLED: 'false',
});

async function withDataSource<T>(url: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await createDataSource(url, { dbPoolSize: 2, dbStatementTimeoutMs: 10000 }, createLogger('silent')).initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

const demoRows = (ds: DataSource) => queryRows<{ demo: boolean }>(ds, `SELECT demo_rows_exist() AS demo`).then((r) => r[0].demo);
const marks = (ds: DataSource) => queryRows<{ n: number }>(ds, `SELECT count(*)::int AS n FROM deployment_marker`).then((r) => r[0].n);

/** Each test gets a fresh database (migrations applied, divisions seeded): no test depends on another's mark. */
async function withDatabase(work: (url: string) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  try {
    await work(database.url);
  } finally {
    await database.drop();
  }
}

describe('demo data never reaches a production database', () => {
  it('`npm run seed` with NODE_ENV=production and DEMO_MODE=true stops at the configuration, naming DEMO_MODE', () =>
    withDatabase(async (url) => {
      const err = await runSeedCommand({ ...productionEnv(url), DEMO_MODE: 'true' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe('DEMO_MODE');
      await withDataSource(url, async (ds) => {
        expect(await demoRows(ds)).toBe(false);
        expect(await marks(ds)).toBe(0);
      });
    }));

  it('the seeds refuse demo data when told the environment is production, before writing anything', () =>
    withDatabase(async (url) => {
      await withDataSource(url, async (ds) => {
        const err = await runSeeds(ds, { people: {} as PeopleService }, { demo: true, env: 'production' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeploymentError);
        expect(await demoRows(ds)).toBe(false);
      });
    }));

  it('a production seed run marks the database; from then on demo seeding is refused in any environment, and so is any demo row', () =>
    withDatabase(async (url) => {
      const report = await runSeedCommand(productionEnv(url));
      expect(report.demoLogins).toEqual([]);
      await withDataSource(url, async (ds) => {
        expect(await marks(ds)).toBe(1);
      });

      // A developer's `npm run seed` (demo mode is the default outside production) against that database.
      const dev = await runSeedCommand({ NODE_ENV: 'development', DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' }).catch(
        (e: unknown) => e,
      );
      expect(dev).toBeInstanceOf(DeploymentError);
      expect((dev as Error).message).toMatch(/以生产环境运行过，拒绝写入演示数据/);

      await withDataSource(url, async (ds) => {
        expect(await demoRows(ds)).toBe(false);
        // Whatever writes it, the database itself refuses a demo row…
        const insert = ds.query(
          `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code, is_demo)
         VALUES ('演示', '\\x00', $1, 'x', '1980-01-01', 'M', '140428101200', true)`,
          [Buffer.from(makeIdNumber())],
        );
        await expect(insert).rejects.toThrow(/曾以生产环境运行，拒绝写入演示数据（表 person）/);
        // …turning a real row into a demo one too…
        await ds.query(
          `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
         VALUES ('真人', '\\x00', $1, 'x', '1980-01-01', 'M', '140428101200')`,
          [Buffer.from(makeIdNumber())],
        );
        await expect(ds.query(`UPDATE person SET is_demo = true WHERE real_name = '真人'`)).rejects.toThrow(/拒绝写入演示数据/);
        // …and the mark cannot be removed.
        await expect(ds.query(`DELETE FROM deployment_marker`)).rejects.toThrow(/stays marked/);
        await expect(ds.query(`TRUNCATE deployment_marker`)).rejects.toThrow(/stays marked/);
        expect(await marks(ds)).toBe(1);
        expect(await demoRows(ds)).toBe(false);
      });
    }));
});

describe('production start', () => {
  it('refuses a database that holds demo data, and marks nothing', async () => {
    const t = await startTestApp();
    try {
      await runSeeds(t.db, { people: t.app.get(PeopleService) }, { demo: true, env: 'test' });
      expect(await demoRows(t.db)).toBe(true);
      const err = await runSeedCommand(productionEnv(t.databaseUrl)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeploymentError);
      expect((err as Error).message).toMatch(/含演示数据/);
      expect(await marks(t.db)).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('serves /api/docs outside production only, unless API_DOCS=true', async () => {
    const dev = await startTestApp();
    try {
      const doc = await dev.api.get('/api/docs/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.info.title).toBe('三共 Sangong API');
    } finally {
      await dev.close();
    }
    const prod = await startTestApp({ ...productionEnv('postgres://unused/db'), DATABASE_URL: '' });
    try {
      expect(prod.config.env).toBe('production');
      expect(await marks(prod.db)).toBe(1);
      for (const path of ['/api/docs', '/api/docs/openapi.json']) {
        const r = await prod.api.get(path);
        expect([path, r.status, r.body.code]).toEqual([path, 404, 'ROUTE_NOT_FOUND']);
      }
    } finally {
      await prod.close();
    }
    const asked = await startTestApp({ ...productionEnv('postgres://unused/db'), DATABASE_URL: '', API_DOCS: 'true' });
    try {
      expect((await asked.api.get('/api/docs/openapi.json')).status).toBe(200);
    } finally {
      await asked.close();
    }
  });
});
