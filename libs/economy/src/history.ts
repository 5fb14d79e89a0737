import type { EntityManager } from 'typeorm';
import type { Actor } from '#platform';
import type { EntityType, HistoryRepository } from './history.repository.js';

export type { EntityType } from './history.repository.js';
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
  history: HistoryRepository,
  em: EntityManager,
  change: {
    at: Date;
    actor: Actor;
    entity: { type: EntityType; id: string; divisionCode: string };
    action: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  },
): Promise<boolean> {
  const changes = diffRecords(change.before, change.after);
  if (!Object.keys(changes).length) return false;
  await history.append(em, {
    entityType: change.entity.type,
    entityId: change.entity.id,
    divisionCode: change.entity.divisionCode,
    action: change.action,
    changes,
    at: change.at,
    accountId: change.actor.accountId,
    actorName: change.actor.realName,
  });
  return true;
}
