import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { ElectorReads } from '#identity';
import { type Actor, Clock, pageOf } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { type Message, NotificationsRepository } from './notifications.repository.js';
import type { NotificationList } from './views.js';

export type { NotificationKind, NotificationView } from './views.js';

/** In-app notifications, written in the transaction of the event they announce. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly repo: NotificationsRepository,
    private readonly people: ElectorReads,
  ) {}

  async toPeople(em: EntityManager, personIds: readonly string[], m: Message): Promise<number> {
    if (!personIds.length) return 0;
    return this.repo.toPeople(em, personIds, m, this.clock.now());
  }

  /** Everyone holding the village committee role at the village. */
  async toCommittee(em: EntityManager, villageCode: string, m: Message): Promise<number> {
    return this.toPeople(em, await this.people.holdersOf(em, villageCode, 'village_committee'), m);
  }

  /** The frozen electorate of a vote; with onlyNonVoters, those who have not voted yet. */
  toElectorate(em: EntityManager, voteId: string, m: Message, onlyNonVoters = false): Promise<number> {
    return this.repo.toElectorate(em, voteId, m, this.clock.now(), onlyNonVoters);
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
      if (!(await this.repo.markRead(em, id, actor.personId, this.clock.now()))) throw DeliberationErrors.notificationNotFound();
      await this.audit.record(em, { actor, action: 'notification.read', targetType: 'notification', targetId: id });
    });
  }
}
