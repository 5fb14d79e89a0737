import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Conn, pageOf, ReadCache } from '#platform';
import { type InboxMessage, InboxRepository } from './inbox.repository.js';
import { MessagingErrors } from './messaging.errors.js';
import type { NotificationList } from './views.js';

export type { InboxMessage } from './inbox.repository.js';

/**
 * In-app notifications (the inbox), as other modules write them: inside the caller's transaction, so a
 * notification exists exactly when the event it announces committed. The caller's list and reading.
 */
@Injectable()
export class Inbox {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly repo: InboxRepository,
    private readonly cache: ReadCache,
  ) {}

  toPeople(conn: Conn, personIds: readonly string[], m: InboxMessage): Promise<number> {
    return this.repo.toPeople(conn, personIds, m, this.clock.now());
  }

  /**
   * The caller's notifications, from the read cache (decision 066): a page is kept until a notification of
   * theirs is written, read or removed (`inbox:<person>`, migration 1764388700000).
   */
  async listMine(actor: Actor, q: { unreadOnly?: boolean; page: number; pageSize: number }): Promise<NotificationList> {
    const personId = actor.personId;
    if (!personId) return { ...pageOf([], 0, q), unread: 0 };
    const unreadOnly = q.unreadOnly ?? false;
    return this.cache.get(
      `inbox:${personId}:${unreadOnly ? 'unread' : 'all'}:${q.page}:${q.pageSize}`,
      async () => {
        const { all, unread, items } = await this.repo.inboxPage({
          personId,
          unreadOnly,
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        });
        return { ...pageOf(items, unreadOnly ? unread : all, q), unread };
      },
      () => [`inbox:${personId}`],
    );
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      if (!(await this.repo.markRead(em, id, actor.personId, this.clock.now()))) throw MessagingErrors.notificationNotFound();
      await this.audit.record(em, { actor, action: 'notification.read', targetType: 'notification', targetId: id });
    });
  }
}
