import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Conn, pageOf } from '#platform';
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
  ) {}

  toPeople(conn: Conn, personIds: readonly string[], m: InboxMessage): Promise<number> {
    return this.repo.toPeople(conn, personIds, m, this.clock.now());
  }

  async listMine(actor: Actor, q: { unreadOnly?: boolean; page: number; pageSize: number }): Promise<NotificationList> {
    if (!actor.personId) return { ...pageOf([], 0, q), unread: 0 };
    const { all, unread } = await this.repo.counts(this.db, actor.personId);
    const total = q.unreadOnly ? unread : all;
    const items = await this.repo.page(this.db, actor.personId, q.unreadOnly ?? false, q.pageSize, (q.page - 1) * q.pageSize);
    return { ...pageOf(items, total, q), unread };
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      if (!(await this.repo.markRead(em, id, actor.personId, this.clock.now()))) throw MessagingErrors.notificationNotFound();
      await this.audit.record(em, { actor, action: 'notification.read', targetType: 'notification', targetId: id });
    });
  }
}
