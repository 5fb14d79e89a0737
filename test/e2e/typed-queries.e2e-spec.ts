import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  type CheckInfo,
  CHECKS_SQL,
  type ColumnInfo,
  COLUMNS_SQL,
  createLogger,
  dbOf,
  loadConfig,
  projectRoot,
  renderSchemaTypes,
} from '#platform';
import { createDataSource } from '../../apps/api/src/data-source.js';
import { createTestDatabase } from '../support/test-db.js';

let database: { url: string; drop: () => Promise<void> };
let ds: DataSource;
beforeAll(async () => {
  database = await createTestDatabase();
  const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: database.url, dbPoolSize: 2 };
  ds = await createDataSource(database.url, config, createLogger('silent')).initialize();
});
afterAll(async () => {
  await ds?.destroy();
  await database?.drop();
});

it('the committed table types are those of the schema the migrations build (run `npm run db:types` after a migration)', async () => {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<ColumnInfo>(COLUMNS_SQL);
    const checks = (await client.query<CheckInfo>(CHECKS_SQL)).rows;
    const committed = readFileSync(path.join(projectRoot(), 'libs/platform/src/database/schema.generated.ts'), 'utf8');
    expect(rows.length).toBeGreaterThan(100);
    expect(committed).toBe(renderSchemaTypes(rows, checks));
  } finally {
    await client.end();
  }
});

it('the typed builder runs on the pool outside a transaction and on the transaction’s own connection inside one', async () => {
  const city = await dbOf(ds).selectFrom('division').select(['code', 'name']).where('code', '=', '1404').executeTakeFirst();
  expect(city).toEqual({ code: '1404', name: '长治市' });

  // Inside: the builder sees the transaction's uncommitted write, and a rollback takes it back.
  await expect(
    ds.transaction(async (em) => {
      const updated = await dbOf(em).updateTable('division').set({ name: '临时' }).where('code', '=', '1404').executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      const seen = await dbOf(em).selectFrom('division').select('name').where('code', '=', '1404').executeTakeFirstOrThrow();
      expect(seen.name).toBe('临时');
      const outside = await dbOf(ds).selectFrom('division').select('name').where('code', '=', '1404').executeTakeFirstOrThrow();
      expect(outside.name).toBe('长治市');
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  const after = await dbOf(ds).selectFrom('division').select('name').where('code', '=', '1404').executeTakeFirstOrThrow();
  expect(after.name).toBe('长治市');
});
