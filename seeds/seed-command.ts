import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { createLogger, loadConfig } from '#platform';
import { createApp } from '../apps/api/src/bootstrap.js';
import { openDatabase, runMigrations } from '../apps/api/src/runtime.js';
import { runSeeds, type SeedReport } from './index.js';

/**
 * `npm run seed`: migrations, then the seeds (demo data only in demo mode). The configuration is
 * validated first, so NODE_ENV=production with DEMO_MODE=true stops here (ConfigError naming
 * DEMO_MODE); a database that has run in production refuses demo data (DeploymentError).
 */
export async function runSeedCommand(env: Record<string, string | undefined> = process.env): Promise<SeedReport> {
  const config = { ...loadConfig(env), jobsEnabled: false };
  const log = createLogger('warn');
  const db = await openDatabase(config, log);
  try {
    await runMigrations(db.directUrl, config, log);
    const app = await createApp({ ...config, databaseUrl: db.url }, { log });
    try {
      return await runSeeds(app.get(DataSource), { people: app.get(PeopleService) }, { demo: config.demoMode, env: config.env });
    } finally {
      await app.close();
    }
  } finally {
    await db.embedded?.stop();
  }
}
