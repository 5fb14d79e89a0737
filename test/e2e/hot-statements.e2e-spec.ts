import type { DataSource } from 'typeorm';
import { createLogger, HotStatements, loadConfig, statementName } from '#platform';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { createTestDatabase } from '../support/test-db.js';
import { queryRows } from '../support/sql.js';

// The hot statements run on connections of their own that plan each named statement once
// (plan_cache_mode = force_generic_plan); the main pool keeps PostgreSQL's default, so TypeORM's
// unnamed statements are still planned for their values (docs/performance.md).
let database: { url: string; drop: () => Promise<void> };
let hot: HotStatements;
let ds: DataSource;
beforeAll(async () => {
  database = await createTestDatabase();
  // dbPoolSize 1: one hot connection, so the statistics read below are those of the connection that ran the statement.
  const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: database.url, dbPoolSize: 1 };
  hot = new HotStatements(config, createLogger('silent'));
  ds = await createDataSource(database.url, config, createLogger('silent')).initialize();
});
afterAll(async () => {
  await hot?.onApplicationShutdown();
  await ds?.destroy();
  await database?.drop();
});

it('a hot statement run eight times is planned generically every time and answers correctly; the main pool keeps the default', async () => {
  const sql = `SELECT d.code, d.name FROM unnest($1::text[]) AS k(code) JOIN division d ON d.code = k.code ORDER BY d.code`;
  for (let i = 0; i < 8; i++) {
    expect(await hot.rows(sql, [['140428', '1404']])).toEqual([
      { code: '1404', name: '长治市' },
      { code: '140428', name: '长子县' },
    ]);
  }
  const [stats] = await hot.rows<{ generic_plans: string; custom_plans: string }>(
    `SELECT generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name = $1`,
    [statementName(sql)],
  );
  expect(stats).toEqual({ generic_plans: '8', custom_plans: '0' });
  expect(await hot.rows(`SELECT current_setting('plan_cache_mode') AS mode`)).toEqual([{ mode: 'force_generic_plan' }]);
  expect(await queryRows(ds, `SELECT current_setting('plan_cache_mode') AS mode`)).toEqual([{ mode: 'auto' }]);
});
