import type { EntityManager } from 'typeorm';
import type { Actor } from '#platform';
import { queryRows } from '#platform';
import type { ChangeView } from './views.js';

export type EntityType = 'org' | 'company';

export type { ChangeView } from './views.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Field-by-field old → new; fields equal on both sides are left out. */
export function diffRecords(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const o = before?.[k] ?? null;
    const n = after?.[k] ?? null;
    if (!same(o, n)) out[k] = { old: o, new: n };
  }
  return out;
}

/**
 * Appends one history row (who, when, old → new) for a record, inside the caller's transaction.
 * Returns false, writing nothing, when nothing changed: re-saving the same values leaves no trace.
 */
export async function recordChange(
  em: EntityManager,
  at: Date,
  actor: Actor,
  entity: { type: EntityType; id: string; divisionCode: string },
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<boolean> {
  const changes = diffRecords(before, after);
  if (!Object.keys(changes).length) return false;
  await em.query(
    `INSERT INTO economy_change (entity_type, entity_id, division_code, action, changes, changed_at, account_id, actor_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entity.type, entity.id, entity.divisionCode, action, JSON.stringify(changes), at, actor.accountId, actor.realName],
  );
  return true;
}

export function historyOf(em: Pick<EntityManager, 'query'>, type: EntityType, id: string): Promise<ChangeView[]> {
  return queryRows<ChangeView>(
    em,
    `SELECT id::text AS id, action, changed_at AS "changedAt", account_id AS "accountId", actor_name AS "actorName", changes
       FROM economy_change WHERE entity_type = $1 AND entity_id = $2 ORDER BY id DESC`,
    [type, id],
  );
}
