import type pg from 'pg';

/** Tables that get millions of rows: their secondary indexes are built after the load, not row by row. */
export const BULK_TABLES = [
  'audit_log',
  'vote_elector',
  'ballot_participation',
  'ballot_choice',
  'notification',
  'proposal_event',
  'role_grant',
  'person',
  'account',
  'collective_member',
  'mediation_party',
] as const;

export interface Deferred {
  foreignKeys: { table: string; name: string; def: string }[];
  indexes: { table: string; name: string; sql: string }[];
}

/**
 * Drops every foreign key of the schema and the secondary indexes and unique constraints (not the
 * primary keys) of BULK_TABLES; returns what it dropped so `restore` can build it again. Re-adding a
 * foreign key validates every row, so the load's integrity is checked by PostgreSQL itself.
 */
export async function dropForLoad(c: pg.Client): Promise<Deferred> {
  const { rows: fks } = await c.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conrelid::regclass::text, conname`,
  );
  const { rows: idx } = await c.query<{ table: string; name: string; indexdef: string; con: string | null; condef: string | null }>(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS indexdef, con.conname AS con, pg_get_constraintdef(con.oid) AS condef
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.conrelid = t.oid
      WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace AND NOT x.indisprimary
      ORDER BY t.relname, i.relname`,
    [[...BULK_TABLES]],
  );
  for (const f of fks) await c.query(`ALTER TABLE ${f.table} DROP CONSTRAINT ${f.name}`);
  const indexes: Deferred['indexes'] = [];
  for (const i of idx) {
    if (i.con) {
      await c.query(`ALTER TABLE ${i.table} DROP CONSTRAINT ${i.con}`);
      indexes.push({ table: i.table, name: i.con, sql: `ALTER TABLE ${i.table} ADD CONSTRAINT ${i.con} ${i.condef}` });
    } else {
      await c.query(`DROP INDEX ${i.name}`);
      indexes.push({ table: i.table, name: i.name, sql: i.indexdef });
    }
  }
  return { foreignKeys: fks, indexes };
}

/** Builds the dropped indexes, then re-adds (and so validates) every foreign key; seconds per step. */
export async function restoreAfterLoad(
  c: pg.Client,
  d: Deferred,
  log: (m: string) => void,
): Promise<{ indexSeconds: number; foreignKeySeconds: number }> {
  await c.query(`SET maintenance_work_mem = '1GB'`);
  let s = performance.now();
  for (const i of d.indexes) {
    const t = performance.now();
    await c.query(i.sql);
    log(`  index ${i.table}.${i.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const indexSeconds = (performance.now() - s) / 1000;
  s = performance.now();
  for (const f of d.foreignKeys) {
    const t = performance.now();
    await c.query(`ALTER TABLE ${f.table} ADD CONSTRAINT ${f.name} ${f.def}`);
    const took = (performance.now() - t) / 1000;
    if (took > 1) log(`  foreign key ${f.table}.${f.name}: ${took.toFixed(1)} s`);
  }
  return { indexSeconds, foreignKeySeconds: (performance.now() - s) / 1000 };
}
