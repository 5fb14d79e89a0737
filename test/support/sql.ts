/**
 * Test-only: tests read rows straight from the database to assert on them (the product reads through
 * its typed repositories, decision 041). TypeORM's raw `query()` returns rows for SELECT/INSERT but `[rows, rowCount]` for UPDATE and
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
