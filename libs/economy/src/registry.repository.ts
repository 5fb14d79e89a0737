import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { type Conn, containing, dbOf, type ReadConn, startingWith } from '#platform';
import { withinScopes } from '#divisions';

/** What a registry list filters on; `scopes` are the caller's read scopes. */
export interface RegistryFilter {
  scopes: readonly string[];
  divisionCode?: string;
  q?: string;
  level?: string;
  status?: string;
}

/** A registry row matched by its credit code (imports). */
export interface CodeMatch {
  id: string;
  divisionCode: string;
  level: string;
}

/** One registry's table, as `registry-common` uses it: the SQL of 集体经济组织 or 平台公司. */
export interface RegistryStore<R, V> {
  find(conn: Conn, id: string, lock: boolean): Promise<V | undefined>;
  page(conn: Conn, filter: RegistryFilter, page: { limit: number; offset: number }): Promise<{ items: V[]; total: number }>;
  all(conn: ReadConn, filter: RegistryFilter): Promise<V[]>;
  byCreditCode(conn: Conn, code: string): Promise<CodeMatch | undefined>;
  insert(conn: Conn, rec: R, opts: { isDemo: boolean; at: Date }): Promise<string>;
  update(conn: Conn, id: string, rec: R, at: Date): Promise<void>;
}

/** The list WHERE of a registry whose table has the alias `a`: one `LIKE 'prefix%'` term per scope. */
export function registryWhere(a: 'o' | 'c', f: RegistryFilter): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [withinScopes(`${a}.division_code`, f.scopes)];
  if (f.divisionCode) parts.push(sql<SqlBool>`${sql.ref(`${a}.division_code`)} LIKE ${startingWith(f.divisionCode)}`);
  if (f.q) {
    const p = containing(f.q);
    parts.push(sql<SqlBool>`(${sql.ref(`${a}.name`)} LIKE ${p} OR ${sql.ref(`${a}.credit_code`)} LIKE ${p})`);
  }
  if (f.level) parts.push(sql<SqlBool>`${sql.ref(`${a}.level`)} = ${f.level}`);
  if (f.status) parts.push(sql<SqlBool>`${sql.ref(`${a}.status`)} = ${f.status}`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

// Lookups both registries share: divisions, and credit codes (unique across both tables).

export async function divisionLevel(conn: Conn, code: string): Promise<string | undefined> {
  const r = await dbOf(conn).selectFrom('division').select('level').where('code', '=', code).executeTakeFirst();
  return r?.level;
}

/** Whether another record of either registry holds `code` (`selfId`, in `table`, excepted). */
export async function creditCodeTaken(
  conn: Conn,
  table: 'collective_org' | 'platform_company',
  code: string,
  selfId: string | null,
): Promise<boolean> {
  const other = table === 'collective_org' ? 'platform_company' : 'collective_org';
  const { rows } = await sql<{
    one: number;
  }>`SELECT 1 AS one FROM ${sql.table(table)} WHERE credit_code = ${code} AND id IS DISTINCT FROM ${selfId}::uuid
      UNION ALL SELECT 1 FROM ${sql.table(other)} WHERE credit_code = ${code}`.execute(dbOf(conn));
  return rows.length > 0;
}

/** Ids of the records holding these credit codes, by code (one statement for a whole file). */
export async function idsByCode(
  conn: Conn,
  table: 'collective_org' | 'platform_company',
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await dbOf(conn)
    .selectFrom(table)
    .select(['id', 'credit_code'])
    .where('credit_code', '=', sql<string>`ANY(${[...new Set(codes)]}::varchar[])`)
    .execute();
  return new Map(rows.map((r) => [r.credit_code, r.id]));
}
