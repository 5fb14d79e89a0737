import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { ChangeView } from './views.js';

export type EntityType = 'org' | 'company';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The jsonb `changes` column as written by `append`: field → { old, new }. */
function changesOf(v: unknown): ChangeView['changes'] {
  const out: ChangeView['changes'] = {};
  if (isRecord(v))
    for (const [field, c] of Object.entries(v)) if (isRecord(c) && 'old' in c && 'new' in c) out[field] = { old: c.old, new: c.new };
  return out;
}

/** The change history of registry records (economy_change). */
@Injectable()
export class HistoryRepository {
  async append(
    conn: Conn,
    row: {
      entityType: EntityType;
      entityId: string;
      divisionCode: string;
      action: string;
      changes: Record<string, { old: unknown; new: unknown }>;
      at: Date;
      accountId: string | null;
      actorName: string;
    },
  ): Promise<void> {
    await dbOf(conn)
      .insertInto('economy_change')
      .values({
        entity_type: row.entityType,
        entity_id: row.entityId,
        division_code: row.divisionCode,
        action: row.action,
        changes: JSON.stringify(row.changes),
        changed_at: row.at,
        account_id: row.accountId,
        actor_name: row.actorName,
      })
      .execute();
  }

  async of(conn: Conn, type: EntityType, id: string): Promise<ChangeView[]> {
    const rows = await dbOf(conn)
      .selectFrom('economy_change')
      .select([sql<string>`id::text`.as('id'), 'action', 'changed_at', 'account_id', 'actor_name', 'changes'])
      .where('entity_type', '=', type)
      .where('entity_id', '=', id)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      changedAt: r.changed_at.toISOString(),
      accountId: r.account_id,
      actorName: r.actor_name,
      changes: changesOf(r.changes),
    }));
  }
}
