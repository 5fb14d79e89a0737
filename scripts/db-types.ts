import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  type CheckInfo,
  CHECKS_SQL,
  type ColumnInfo,
  COLUMNS_SQL,
  createLogger,
  loadConfig,
  projectRoot,
  renderSchemaTypes,
} from '#platform';
import { openDatabase, runMigrations } from '../apps/api/src/runtime.js';

/** `npm run db:types`: migrate the configured database (embedded by default), then write its table types. */
const config = loadConfig();
const log = createLogger('warn');
const db = await openDatabase(config, log);
try {
  await runMigrations(db.directUrl, config, log);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<ColumnInfo>(COLUMNS_SQL);
    const checks = (await client.query<CheckInfo>(CHECKS_SQL)).rows;
    const file = path.join(projectRoot(), 'libs/platform/src/database/schema.generated.ts');
    writeFileSync(file, renderSchemaTypes(rows, checks));
    console.log(`已生成 ${path.relative(projectRoot(), file)}：${new Set(rows.map((r) => r.table_name)).size} 张表`);
  } finally {
    await client.end();
  }
} finally {
  await db.embedded?.stop();
}
