import type { DataSource } from 'typeorm';
import { createLogger, loadConfig, preparedRows, queryRows, statementName } from '#platform';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { createTestDatabase } from '../support/test-db.js';

// Every connection the app opens plans its named prepared statements once (plan_cache_mode =
// force_generic_plan in data-source-options.ts): PostgreSQL's default chose a new custom plan per call.
let database: { url: string; drop: () => Promise<void> };
let ds: DataSource;
beforeAll(async () => {
  database = await createTestDatabase();
  // One connection, so the statistics read below are those of the connection that ran the statement.
  ds = await createDataSource(database.url, { ...loadConfig({ NODE_ENV: 'test' }), dbPoolSize: 1 }, createLogger('silent')).initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await database?.drop();
});

it('a prepared statement run eight times is planned generically every time, and answers correctly', async () => {
  const sql = `SELECT d.code, d.name FROM unnest($1::text[]) AS k(code) JOIN division d ON d.code = k.code ORDER BY d.code`;
  for (let i = 0; i < 8; i++) {
    const rows = await preparedRows<{ code: string; name: string }>(ds, sql, [['140428', '1404']]);
    expect(rows).toEqual([
      { code: '1404', name: '长治市' },
      { code: '140428', name: '长子县' },
    ]);
  }
  const [mode] = await queryRows<{ plan_cache_mode: string }>(ds, `SHOW plan_cache_mode`);
  expect(mode.plan_cache_mode).toBe('force_generic_plan');
  const [stats] = await queryRows<{ generic_plans: string; custom_plans: string }>(
    ds,
    `SELECT generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name = $1`,
    [statementName(sql)],
  );
  expect(stats).toEqual({ generic_plans: '8', custom_plans: '0' });
});
