import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * TypeORM's raw `query()` returns rows for SELECT/INSERT but `[rows, rowCount]` for UPDATE and
 * DELETE. These two helpers give every caller one shape. (Rows are objects, never arrays, so the
 * pair is unambiguous.)
 */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function split(result: unknown): { rows: unknown[]; count: number } {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return { rows: result[0], count: result[1] };
  }
  const rows = Array.isArray(result) ? result : [];
  return { rows, count: rows.length };
}

export async function queryRows<T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return split(await q.query(sql, params)).rows as T[];
}

/** Number of rows the statement touched (for UPDATE/DELETE, the affected count). */
export async function execute(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return split(await q.query(sql, params)).count;
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

const statementNames = new Map<string, string>();

/**
 * A stable name per SQL text, so each pooled connection parses the statement once. PostgreSQL still
 * plans it per call (its plan cache keeps choosing custom plans for these; see docs/performance.md).
 */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `q${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A single statement, outside any transaction, as a named prepared statement on TypeORM's own pg
 * pool. For the hottest paths only (the guard's session read, the ballot): TypeORM's `query()`
 * sends every statement unnamed, so PostgreSQL parses and plans it on every call, which costs
 * several times the execution of a short indexed statement (measured: docs/performance.md).
 * The SQL must be static text: each distinct text becomes one prepared statement per connection.
 */
export async function preparedRows<T>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const pool = (ds.driver as unknown as { master?: PgPool }).master;
  if (!pool) throw new Error('数据库连接池尚未初始化');
  const res = await pool.query({ name: statementName(sql), text: sql, values: params });
  return res.rows as T[];
}
