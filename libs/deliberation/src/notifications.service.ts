import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, execute, type Page, pageOf, queryRows } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';

export type NotificationKind =
  | 'voting_opened'
  | 'closing_soon'
  | 'result_published'
  | 'proposal_returned'
  | 'proposal_approved'
  | 'joint_threshold_reached'
  | 'meeting_notice'
  | 'approval_recorded';

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  proposalId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

interface Message {
  kind: NotificationKind;
  proposalId: string | null;
  title: string;
  body: string;
}

/** In-app notifications, written in the transaction of the event they announce. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async toPeople(em: EntityManager, personIds: readonly string[], m: Message): Promise<number> {
    if (!personIds.length) return 0;
    return execute(
      em,
      `INSERT INTO notification (person_id, kind, proposal_id, title, body, created_at)
       SELECT DISTINCT unnest($1::uuid[]), $2::text, $3::uuid, $4::text, $5::text, $6::timestamptz`,
      [personIds, m.kind, m.proposalId, m.title, m.body, this.clock.now()],
    );
  }

  /** Everyone holding the village committee role at the village. */
  async toCommittee(em: EntityManager, villageCode: string, m: Message): Promise<number> {
    return execute(
      em,
      `INSERT INTO notification (person_id, kind, proposal_id, title, body, created_at)
       SELECT DISTINCT g.person_id, $2::text, $3::uuid, $4::text, $5::text, $6::timestamptz FROM role_grant g
        WHERE g.division_code = $1 AND g.role = 'village_committee' AND g.revoked_at IS NULL`,
      [villageCode, m.kind, m.proposalId, m.title, m.body, this.clock.now()],
    );
  }

  /** The frozen electorate of a vote; with onlyNonVoters, those who have not voted yet. */
  async toElectorate(em: EntityManager, voteId: string, m: Message, onlyNonVoters = false): Promise<number> {
    return execute(
      em,
      `INSERT INTO notification (person_id, kind, proposal_id, title, body, created_at)
       SELECT e.person_id, $2::text, $3::uuid, $4::text, $5::text, $6::timestamptz FROM vote_elector e
        WHERE e.vote_id = $1
          ${onlyNonVoters ? 'AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = e.vote_id AND b.person_id = e.person_id)' : ''}`,
      [voteId, m.kind, m.proposalId, m.title, m.body, this.clock.now()],
    );
  }

  async listMine(
    actor: Actor,
    q: { unreadOnly?: boolean; page: number; pageSize: number },
  ): Promise<Page<NotificationView> & { unread: number }> {
    if (!actor.personId) return { ...pageOf([], 0, q), unread: 0 };
    const filter = q.unreadOnly ? 'AND read_at IS NULL' : '';
    const [{ all, unread }] = await queryRows<{ all: number; unread: number }>(
      this.db,
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notification WHERE person_id = $1`,
      [actor.personId],
    );
    const total = q.unreadOnly ? unread : all;
    const items = await queryRows<NotificationView>(
      this.db,
      `SELECT id, kind, proposal_id AS "proposalId", title, body, created_at AS "createdAt", read_at AS "readAt"
         FROM notification WHERE person_id = $1 ${filter}
        ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [actor.personId, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { ...pageOf(items, total, q), unread };
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const rows = await queryRows<{ id: string }>(
        em,
        `UPDATE notification SET read_at = coalesce(read_at, $3) WHERE id = $1 AND person_id = $2 RETURNING id`,
        [id, actor.personId, this.clock.now()],
      );
      if (!rows.length) throw DeliberationErrors.notificationNotFound();
      await this.audit.record(em, { actor, action: 'notification.read', targetType: 'notification', targetId: id });
    });
  }
}
