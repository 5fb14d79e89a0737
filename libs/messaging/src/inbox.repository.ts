import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, HotStatements, MicroBatcher } from '#platform';
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

/** A page of a person's inbox, as the list asks for it. */
export interface InboxAsk {
  personId: string;
  unreadOnly: boolean;
  limit: number;
  offset: number;
}

/** InboxRepository.inboxPage's statement, for a batch of asks: each person's counts and page, tagged with the ask's place. */
const INBOX_SQL = `SELECT i.idx, c.all_count, c.unread_count, n.id, n.kind, n.proposal_id, n.link, n.title, n.body, n.created_at, n.read_at
  FROM unnest($1::uuid[], $2::bool[], $3::int[], $4::int[]) WITH ORDINALITY AS i(person_id, unread_only, lim, off, idx)
  CROSS JOIN LATERAL (SELECT count(*)::int AS all_count, (count(*) FILTER (WHERE read_at IS NULL))::int AS unread_count
                        FROM notification WHERE person_id = i.person_id) c
  LEFT JOIN LATERAL (SELECT x.id, x.kind, x.proposal_id, x.link, x.title, x.body, x.created_at, x.read_at
                       FROM notification x
                      WHERE x.person_id = i.person_id AND (NOT i.unread_only OR x.read_at IS NULL)
                      ORDER BY x.created_at DESC, x.id LIMIT i.lim OFFSET i.off) n ON true
 ORDER BY i.idx, n.created_at DESC, n.id`;

interface InboxRow {
  idx: string;
  all_count: number;
  unread_count: number;
  id: string | null;
  kind: NotificationKind;
  proposal_id: string | null;
  link: string | null;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

/** The notification table's SQL (the in-app channel). */
@Injectable()
export class InboxRepository {
  constructor(private readonly hot: HotStatements) {}

  /**
   * A person's counts (all, unread) and one page, newest first: one prepared statement for every person
   * asking at the same moment (MicroBatcher), as the home screen's badge asks on every visit.
   */
  inboxPage(ask: InboxAsk): Promise<{ all: number; unread: number; items: NotificationView[] }> {
    return this.pages.submit(ask);
  }

  private readonly pages = new MicroBatcher<InboxAsk, { all: number; unread: number; items: NotificationView[] }>(
    async (asks) => {
      const rows = await this.hot.rows<InboxRow>(INBOX_SQL, [
        asks.map((a) => a.personId),
        asks.map((a) => a.unreadOnly),
        asks.map((a) => a.limit),
        asks.map((a) => a.offset),
      ]);
      const out = asks.map(() => ({ all: 0, unread: 0, items: [] as NotificationView[] }));
      for (const r of rows) {
        const o = out[Number(r.idx) - 1];
        o.all = r.all_count;
        o.unread = r.unread_count;
        if (r.id !== null) {
          o.items.push({
            id: r.id,
            kind: r.kind,
            proposalId: r.proposal_id,
            link: r.link,
            title: r.title,
            body: r.body,
            createdAt: r.created_at.toISOString(),
            readAt: r.read_at?.toISOString() ?? null,
          });
        }
      }
      return out;
    },
    { maxBatch: 100, maxInFlight: 1 },
  );

  /** One notification per distinct person. */
  async toPeople(conn: Conn, personIds: readonly string[], m: InboxMessage, at: Date): Promise<number> {
    if (!personIds.length) return 0;
    const r = await sql`INSERT INTO notification (person_id, kind, proposal_id, link, title, body, created_at)
      SELECT DISTINCT unnest(${[...personIds]}::uuid[]), ${m.kind}::text, ${m.proposalId ?? null}::uuid, ${m.link ?? null}::text,
             ${m.title}::text, ${m.body}::text, ${at}::timestamptz`.execute(dbOf(conn));
    return Number(r.numAffectedRows ?? 0n);
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
