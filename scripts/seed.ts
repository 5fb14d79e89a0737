import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { createLogger, loadConfig } from '#platform';
import { createApp } from '../apps/api/src/bootstrap.js';
import { openDatabase, runMigrations } from '../apps/api/src/runtime.js';
import { runSeeds } from '../seeds/index.js';

const config = { ...loadConfig(), jobsEnabled: false };
const log = createLogger('warn');
const db = await openDatabase(config, log);
try {
  await runMigrations(db.url, config, log);
  const app = await createApp({ ...config, databaseUrl: db.url }, { log });
  const report = await runSeeds(app.get(DataSource), { people: app.get(PeopleService) }, { demo: config.demoMode });
  await app.close();
  console.log(`区划变更 ${report.divisionsChanged} 行；演示账号 ${report.demoLogins.length} 个`);
} finally {
  await db.embedded?.stop();
}
