import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createLogger, loadConfig, projectRoot } from '#platform';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { seedDivisions } from '../../seeds/divisions.seed.js';

const TEMPLATE_LOCK = 7_300_001;

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (the e2e global setup sets it)');
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** The template's name changes whenever a migration or the division data changes. */
function templateName(): string {
  const root = projectRoot();
  const h = createHash('sha256');
  for (const f of readdirSync(path.join(root, 'migrations')).sort()) h.update(f).update(readFileSync(path.join(root, 'migrations', f)));
  h.update(readFileSync(path.join(root, 'seeds/data/changzhi-divisions.csv')));
  return `sangong_tpl_${h.digest('hex').slice(0, 12)}`;
}

/**
 * A fresh database for one test file: CREATE DATABASE … TEMPLATE a database that has every migration
 * applied and the divisions seeded. The template is built once per schema version, under an advisory
 * lock so parallel workers do not race.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  const tpl = templateName();
  const name = `sangong_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [tpl]);
    if (!rowCount) {
      const building = `${tpl}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const config = loadConfig({ NODE_ENV: 'test' });
      const ds = await createDataSource(
        withDatabase(adminUrl(), building),
        { ...config, dbPoolSize: 2 },
        createLogger('silent'),
      ).initialize();
      await ds.runMigrations({ transaction: 'each' });
      await seedDivisions(ds);
      await ds.destroy();
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${tpl}`);
    }
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl}`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl(), name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
