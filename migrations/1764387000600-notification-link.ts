import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_KINDS = `'voting_opened', 'closing_soon', 'result_published', 'proposal_returned', 'proposal_approved', 'joint_threshold_reached',
  'meeting_notice', 'approval_recorded', 'meeting_arranged'`;
const NEW_KINDS = `'disclosure_due', 'disclosure_overdue', 'disclosure_submitted', 'disclosure_returned', 'query_asked', 'query_answered',
  'query_escalated'`;

/**
 * The in-app notification becomes the messaging lib's inbox (decision 019), for every module: a `link`
 * (a path of the web app) besides the proposal a 村事共议 notification is about, and 村务共管's kinds.
 */
export class NotificationLink1764387000600 implements MigrationInterface {
  name = 'NotificationLink1764387000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE notification ADD COLUMN link text CHECK (link IS NULL OR (link ~ '^/[A-Za-z0-9/_-]*$' AND length(link) <= 200))`,
    );
    await q.query(`UPDATE notification SET link = '/proposals/' || proposal_id WHERE proposal_id IS NOT NULL`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${OLD_KINDS}, ${NEW_KINDS}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE kind IN (${NEW_KINDS})`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${OLD_KINDS}))`);
    await q.query(`ALTER TABLE notification DROP COLUMN link`);
  }
}
