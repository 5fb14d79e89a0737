import type { MigrationInterface, QueryRunner } from 'typeorm';

const REPORT_KINDS = `'annual_work_report', 'financial_report', 'distribution_plan'`;
/** The 村民委员会组织法 Art. 24 matters a 村民代表会议 decides only by authorisation (matter-rules.ts `byAuthorisation`). */
const AUTHORISABLE = `'work_subsidy', 'collective_income', 'public_welfare', 'collective_project', 'collective_property', 'other'`;

/**
 * Issue 11 items 6–8 (docs/decisions/013-notice-joint-requests-authorisation.md):
 * - the statutory notice of a meeting, issued on the township's approval (one per proposal), and the
 *   Art. 46 reports among a proposal's attachments;
 * - joint requests that must be convened: the 1/5-of-representatives request for a 村民代表会议, a
 *   withdrawal state for requests still collecting, and no withdrawal of a proposal a request forced;
 * - the 村民会议's authorisations of the 村民代表会议 (Art. 24 ¶2, Art. 25).
 */
export class NoticeJointAuthorisation1764383000000 implements MigrationInterface {
  name = 'NoticeJointAuthorisation1764383000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE proposal ADD COLUMN meeting_place text CHECK (meeting_place IS NULL OR length(meeting_place) BETWEEN 1 AND 200)`,
    );
    await q.query(`
      CREATE TABLE proposal_notice (
        proposal_id      uuid PRIMARY KEY REFERENCES proposal (id),
        deciding_body    text NOT NULL,
        issued_at        timestamptz NOT NULL,
        earliest_vote_at timestamptz NOT NULL,
        statutory_days   integer CHECK (statutory_days IS NULL OR statutory_days > 0),
        statutory_source text,
        meeting_time     text NOT NULL,
        place            text NOT NULL,
        matters          text NOT NULL,
        participation    text NOT NULL,
        recipients       integer NOT NULL CHECK (recipients >= 0),
        CONSTRAINT proposal_notice_statutory CHECK ((statutory_days IS NULL) = (statutory_source IS NULL)),
        CONSTRAINT proposal_notice_period CHECK (earliest_vote_at >= issued_at + coalesce(statutory_days, 0) * interval '1 day')
      )`);
    await q.query(
      `ALTER TABLE proposal_attachment ADD COLUMN report_kind text CHECK (report_kind IS NULL OR report_kind IN (${REPORT_KINDS}))`,
    );

    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`
      ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('voting_opened', 'closing_soon', 'result_published',
        'proposal_returned', 'proposal_approved', 'joint_threshold_reached', 'meeting_notice'))`);

    // 村民委员会组织法 Art. 21 (1/10 of villagers, 1/3 of representatives → 村民会议), Art. 26 (1/5 of representatives → 村民代表会议).
    await q.query(`ALTER TABLE joint_request ADD COLUMN convenes text NOT NULL DEFAULT 'villagers_meeting'
      CHECK (convenes IN ('villagers_meeting', 'representatives_meeting'))`);
    await q.query(
      `ALTER TABLE joint_request ADD CONSTRAINT joint_request_convenes_kind CHECK (convenes = 'villagers_meeting' OR kind = 'representatives')`,
    );
    await q.query(`ALTER TABLE joint_request ADD COLUMN withdrawn_at timestamptz`);
    await q.query(`ALTER TABLE joint_request DROP CONSTRAINT joint_request_status_check`);
    await q.query(
      `ALTER TABLE joint_request ADD CONSTRAINT joint_request_status_check CHECK (status IN ('collecting', 'reached', 'withdrawn'))`,
    );
    await q.query(
      `ALTER TABLE joint_request ADD CONSTRAINT joint_request_withdrawn CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))`,
    );
    await q.query(`CREATE INDEX joint_request_reached_idx ON joint_request (reached_at) WHERE status = 'reached'`);
    // The committee SHALL convene (应当召集): a proposal forced by a joint request is never withdrawn.
    // NOT VALID: rows withdrawn before this rule stay as history; every new row is checked.
    await q.query(
      `ALTER TABLE proposal ADD CONSTRAINT proposal_joint_not_withdrawn CHECK (origin <> 'joint' OR status <> 'withdrawn') NOT VALID`,
    );

    await q.query(`
      CREATE TABLE representatives_authorisation (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        village_code           varchar(12) NOT NULL REFERENCES division (code),
        categories             text[] NOT NULL CHECK (cardinality(categories) >= 1 AND categories <@ ARRAY[${AUTHORISABLE}]::text[]),
        valid_from             date NOT NULL,
        valid_to               date NOT NULL,
        granted_by_proposal_id uuid REFERENCES proposal (id),
        charter_clause         text CHECK (charter_clause IS NULL OR length(charter_clause) BETWEEN 1 AND 2000),
        note                   text CHECK (note IS NULL OR length(note) <= 2000),
        recorded_by            uuid NOT NULL REFERENCES account (id),
        recorded_at            timestamptz NOT NULL,
        is_demo                boolean NOT NULL DEFAULT false,
        CONSTRAINT representatives_authorisation_period CHECK (valid_to >= valid_from),
        CONSTRAINT representatives_authorisation_grant CHECK ((granted_by_proposal_id IS NULL) <> (charter_clause IS NULL))
      )`);
    await q.query(
      `CREATE INDEX representatives_authorisation_village_idx ON representatives_authorisation (village_code varchar_pattern_ops, valid_from, valid_to)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE representatives_authorisation`);
    await q.query(`ALTER TABLE proposal DROP CONSTRAINT proposal_joint_not_withdrawn`);
    await q.query(`DROP INDEX joint_request_reached_idx`);
    await q.query(`DELETE FROM joint_signature WHERE request_id IN (SELECT id FROM joint_request WHERE status = 'withdrawn')`);
    await q.query(`DELETE FROM joint_request WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE joint_request DROP CONSTRAINT joint_request_withdrawn`);
    await q.query(`ALTER TABLE joint_request DROP CONSTRAINT joint_request_status_check`);
    await q.query(`ALTER TABLE joint_request ADD CONSTRAINT joint_request_status_check CHECK (status IN ('collecting', 'reached'))`);
    await q.query(`ALTER TABLE joint_request DROP COLUMN withdrawn_at`);
    await q.query(`ALTER TABLE joint_request DROP CONSTRAINT joint_request_convenes_kind`);
    // A 1/5 request becomes a plain representatives' request (its threshold stays as it was recorded).
    await q.query(`ALTER TABLE joint_request DROP COLUMN convenes`);
    await q.query(`DELETE FROM notification WHERE kind = 'meeting_notice'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`
      ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN ('voting_opened', 'closing_soon', 'result_published',
        'proposal_returned', 'proposal_approved', 'joint_threshold_reached'))`);
    await q.query(`ALTER TABLE proposal_attachment DROP COLUMN report_kind`);
    await q.query(`DROP TABLE proposal_notice`);
    await q.query(`ALTER TABLE proposal DROP COLUMN meeting_place`);
  }
}
