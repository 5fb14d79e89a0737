import { createHash } from 'node:crypto';

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

const statementNames = new Map<string, string>();

/** A stable name per SQL text, so each connection prepares the statement once (HotStatements). */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `q${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}
