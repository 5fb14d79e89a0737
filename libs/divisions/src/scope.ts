/**
 * Scope is a code prefix: a division's code starts with its parent's code (NBS 统计用区划代码),
 * so "X is inside Y" is `X.startsWith(Y)` and "everything inside my scopes" is a prefix filter.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DivisionLevel } from './views.js';

export type { DivisionLevel } from './views.js';

const LEVEL_LENGTH: Record<DivisionLevel, number> = { city: 4, county: 6, township: 9, village: 12 };

export const levelOfCode = (code: string): DivisionLevel | null => {
  switch (code.length) {
    case 4:
      return 'city';
    case 6:
      return 'county';
    case 9:
      return 'township';
    case 12:
      return 'village';
    default:
      return null;
  }
};

export const isDivisionCode = (code: string): boolean => /^\d+$/.test(code) && levelOfCode(code) !== null;

/** True when `code` is `scope` itself or lies below it. */
export function isWithin(code: string, scope: string): boolean {
  return isDivisionCode(code) && isDivisionCode(scope) && code.startsWith(scope);
}

export function isWithinAny(code: string, scopes: readonly string[]): boolean {
  return scopes.some((s) => isWithin(code, s));
}

/** Drops scopes already covered by a wider one: ['1404','140428'] → ['1404']. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const sorted = [...new Set(scopes.filter(isDivisionCode))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const s of sorted) if (!kept.some((k) => s.startsWith(k))) kept.push(s);
  return kept;
}

/** The code of the ancestor of `code` at `level` (or null if `code` is above that level). */
export function ancestorAt(code: string, level: DivisionLevel): string | null {
  const len = LEVEL_LENGTH[level];
  return code.length >= len ? code.slice(0, len) : null;
}

/** All ancestor codes of `code`, city first, excluding itself. */
export function ancestorCodes(code: string): string[] {
  return (['city', 'county', 'township', 'village'] as const)
    .map((l) => LEVEL_LENGTH[l])
    .filter((len) => len < code.length)
    .map((len) => code.slice(0, len));
}

/**
 * SQL for "column lies inside one of scopes": ORed `column LIKE $n` terms, one prefix parameter each,
 * numbered from `paramIndex`. Each term can use a varchar_pattern_ops index as a range scan, which
 * `LIKE ANY($array)` cannot (measured: a resident's proposal list went from 166 ms to 18 ms, p50).
 * An empty scope list yields FALSE (default deny). Scopes covered by wider ones are dropped first.
 */
export function scopeSql(column: string, scopes: readonly string[], paramIndex: number): { sql: string; params: string[] } {
  const norm = normalizeScopes(scopes);
  if (norm.length === 0) return { sql: 'FALSE', params: [] };
  return {
    sql: `(${norm.map((_, i) => `${column} LIKE $${paramIndex + i}`).join(' OR ')})`,
    params: norm.map((s) => `${s}%`),
  };
}

/**
 * The typed builder's form of scopeSql: "column lies inside one of scopes", one `LIKE prefix%` term per
 * scope (index range scans), FALSE for no scope. Usable in `.where()` and inside `sql` templates.
 */
export function withinScopes(column: string, scopes: readonly string[]): RawBuilder<SqlBool> {
  const norm = normalizeScopes(scopes);
  if (norm.length === 0) return sql<SqlBool>`FALSE`;
  return sql<SqlBool>`(${sql.join(
    norm.map((s) => sql`${sql.ref(column)} LIKE ${`${s}%`}`),
    sql` OR `,
  )})`;
}
