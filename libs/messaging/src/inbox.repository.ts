import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { NotificationKind } from './names.js';
import type { NotificationView } from './views.js';

/** A notification as a module sends it. */
export interface InboxMessage {
  kind: NotificationKind;
  /** The proposal it is about (村事共议), if any. */
  proposalId?: string | null;
  /** Where the web opens it: a path of the web app. */
  link?: string | null;
  title: string;
  body: string;
}

/** The notification table's SQL (the in-app channel). */
@Injectable()
export class InboxRepository {
  /** One notification per distinct person. */
  async toPeople(conn: Conn, personIds: readonly string[], m: InboxMessage, at: Date): Promise<number> {
    if (!personIds.length) return 0;
    const r = await sql`INSERT INTO notification (person_id, kind, proposal_id, link, title, body, created_at)
      SELECT DISTINCT unnest(${[...personIds]}::uuid[]), ${m.kind}::text, ${m.proposalId ?? null}::uuid, ${m.link ?? null}::text,
             ${m.title}::text, ${m.body}::text, ${at}::timestamptz`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n);
  }

  counts(conn: Conn, personId: string): Promise<{ all: number; unread: number }> {
    return dbOf(conn)
      .selectFrom('notification')
      .select([sql<number>`count(*)::int`.as('all'), sql<number>`count(*) FILTER (WHERE read_at IS NULL)::int`.as('unread')])
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
  }

  async page(conn: Conn, personId: string, unreadOnly: boolean, limit: number, offset: number): Promise<NotificationView[]> {
    let q = dbOf(conn)
      .selectFrom('notification')
      .select(['id', 'kind', 'proposal_id as proposalId', 'link', 'title', 'body', 'created_at', 'read_at'])
      .where('person_id', '=', personId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return rows.map(({ created_at, read_at, ...r }) => ({
      ...r,
      createdAt: created_at.toISOString(),
      readAt: read_at?.toISOString() ?? null,
    }));
  }

  /** Marks one of the person's notifications read (keeping the first reading); false if not theirs. */
  async markRead(conn: Conn, id: string, personId: string | null, at: Date): Promise<boolean> {
    if (!personId) return false;
    const r = await dbOf(conn)
      .updateTable('notification')
      .set({ read_at: sql<Date>`coalesce(read_at, ${at})` })
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }
}
