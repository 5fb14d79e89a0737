import { createLogger } from '#platform';
import { migrationDataSource } from '../../apps/api/src/runtime.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// Migrations run without the app's statement timeout: at city scale an index takes longer than the 15 s a
// request may (person_name_grams_idx over 1.5 million people was cancelled and stopped the deploy).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '1500' });
});
afterAll(async () => {
  await t.close();
});

it('the app’s sessions keep DB_STATEMENT_TIMEOUT_MS; the migrations’ session has none and runs a statement longer than it', async () => {
  const [app] = await queryRows<{ statement_timeout: string }>(t.db, 'SHOW statement_timeout');
  expect(app.statement_timeout).toBe('1500ms');
  const ds = await migrationDataSource(t.databaseUrl, t.config, createLogger('silent')).initialize();
  try {
    const [m] = await queryRows<{ statement_timeout: string }>(ds, 'SHOW statement_timeout');
    expect(m.statement_timeout).toBe('0');
    const slept = await queryRows<{ ok: number }>(ds, 'SELECT 1 AS ok FROM pg_sleep(2)');
    expect(slept).toEqual([{ ok: 1 }]);
  } finally {
    await ds.destroy();
  }
});
