import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 村事共议: proposals and their history, township review, discussion, votes (frozen electorate,
 * participation and choices kept apart for secret ballots), tallies, notices, notifications,
 * joint proposals (联名提议).
 */
export class Deliberation1764371000000 implements MigrationInterface {
  name = 'Deliberation1764371000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE joint_request (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        village_code    varchar(12) NOT NULL REFERENCES division (code),
        kind            text NOT NULL CHECK (kind IN ('residents', 'representatives')),
        title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        base            integer NOT NULL CHECK (base >= 0),
        threshold       integer NOT NULL CHECK (threshold >= 1),
        status          text NOT NULL DEFAULT 'collecting' CHECK (status IN ('collecting', 'reached')),
        proposal_id     uuid,
        created_by      uuid NOT NULL REFERENCES person (id),
        created_at      timestamptz NOT NULL,
        reached_at      timestamptz,
        CONSTRAINT joint_request_reached CHECK ((status = 'reached') = (reached_at IS NOT NULL) AND (status = 'reached') = (proposal_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX joint_request_village_idx ON joint_request (village_code varchar_pattern_ops, created_at DESC)`);
    await q.query(`
      CREATE TABLE joint_signature (
        request_id uuid NOT NULL REFERENCES joint_request (id),
        person_id  uuid NOT NULL REFERENCES person (id),
        signed_on  date NOT NULL,
        PRIMARY KEY (request_id, person_id)
      )`);

    await q.query(`
      CREATE TABLE proposal (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        village_code            varchar(12) NOT NULL REFERENCES division (code),
        title                   text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body                    text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        category                text NOT NULL CHECK (category IN ('work_subsidy', 'collective_income', 'public_welfare',
                                  'land_contracting', 'collective_project', 'homestead', 'land_compensation',
                                  'collective_property', 'charter', 'membership', 'share_quantification', 'merger_split', 'other')),
        amount_fen              bigint CHECK (amount_fen IS NULL OR amount_fen >= 0),
        deciding_body           text NOT NULL CHECK (deciding_body IN ('villagers_meeting', 'representatives_meeting',
                                  'members_assembly', 'members_representatives_assembly')),
        ballot_type             text NOT NULL CHECK (ballot_type IN ('open', 'secret')),
        allow_ballot_change     boolean NOT NULL DEFAULT false,
        deliberation_days       integer NOT NULL DEFAULT 7 CHECK (deliberation_days BETWEEN 1 AND 90),
        publicity_days          integer NOT NULL DEFAULT 7 CHECK (publicity_days BETWEEN 1 AND 90),
        status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'proposed', 'consulted', 'party_voting',
                                  'pending_review', 'deliberation', 'voting', 'passed', 'rejected', 'no_quorum', 'announced',
                                  'closed', 'withdrawn')),
        origin                  text NOT NULL DEFAULT 'committee' CHECK (origin IN ('committee', 'joint')),
        joint_request_id        uuid REFERENCES joint_request (id),
        deliberation_started_at timestamptz,
        created_by              uuid REFERENCES account (id),
        created_at              timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL,
        is_demo                 boolean NOT NULL DEFAULT false,
        CONSTRAINT proposal_origin_joint CHECK ((origin = 'joint') = (joint_request_id IS NOT NULL)),
        CONSTRAINT proposal_deliberation_started CHECK (status IN ('draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'withdrawn')
                                  OR deliberation_started_at IS NOT NULL),
        -- 成员代表大会 may not decide these (农村集体经济组织法 Art. 28)
        CONSTRAINT proposal_mra_reserved CHECK (deciding_body <> 'members_representatives_assembly' OR category NOT IN
                                  ('charter', 'membership', 'land_contracting', 'homestead', 'share_quantification', 'land_compensation', 'merger_split'))
      )`);
    await q.query(`ALTER TABLE joint_request ADD CONSTRAINT joint_request_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposal (id)`);
    await q.query(`CREATE UNIQUE INDEX proposal_joint_request_uq ON proposal (joint_request_id) WHERE joint_request_id IS NOT NULL`);
    await q.query(`CREATE INDEX proposal_village_created_idx ON proposal (village_code varchar_pattern_ops, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposal_status_created_idx ON proposal (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposal_category_idx ON proposal (category, created_at DESC)`);
    await q.query(`CREATE INDEX proposal_body_idx ON proposal (deciding_body, created_at DESC)`);
    await q.query(`CREATE INDEX proposal_created_idx ON proposal (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposal_text_trgm_idx ON proposal USING gin ((title || ' ' || body) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE proposal_event (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id      uuid NOT NULL REFERENCES proposal (id),
        action           text NOT NULL,
        from_status      text,
        to_status        text NOT NULL,
        at               timestamptz NOT NULL,
        actor_account_id uuid REFERENCES account (id),
        actor_name       text NOT NULL,
        details          jsonb
      )`);
    await q.query(`CREATE INDEX proposal_event_proposal_idx ON proposal_event (proposal_id, at)`);

    await q.query(`
      CREATE TABLE proposal_attachment (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id  uuid NOT NULL REFERENCES proposal (id),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        url          text CHECK (url IS NULL OR url ~ '^https?://'),
        content      bytea,
        content_type text,
        size_bytes   integer NOT NULL DEFAULT 0 CHECK (size_bytes BETWEEN 0 AND 2097152),
        created_at   timestamptz NOT NULL,
        CONSTRAINT proposal_attachment_one_kind CHECK ((url IS NULL) <> (content IS NULL)),
        CONSTRAINT proposal_attachment_file_type CHECK (content IS NULL OR content_type IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX proposal_attachment_proposal_idx ON proposal_attachment (proposal_id)`);

    await q.query(`
      CREATE TABLE proposal_comment (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id    uuid NOT NULL REFERENCES proposal (id),
        kind           text NOT NULL CHECK (kind IN ('comment', 'question', 'answer', 'objection')),
        parent_id      uuid REFERENCES proposal_comment (id),
        author_account uuid NOT NULL REFERENCES account (id),
        author_name    text NOT NULL,
        body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        created_at     timestamptz NOT NULL,
        hidden_at      timestamptz,
        hidden_reason  text,
        hidden_by      uuid REFERENCES account (id),
        CONSTRAINT proposal_comment_answer_parent CHECK ((kind = 'answer') = (parent_id IS NOT NULL)),
        CONSTRAINT proposal_comment_hidden CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL) AND (hidden_at IS NULL) = (hidden_by IS NULL))
      )`);
    await q.query(`CREATE INDEX proposal_comment_proposal_idx ON proposal_comment (proposal_id, created_at)`);

    // One vote per 审议 online vote or decision. electorate/households are frozen when it opens.
    await q.query(`
      CREATE TABLE vote (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id            uuid NOT NULL REFERENCES proposal (id),
        purpose                text NOT NULL CHECK (purpose IN ('party_review', 'decision')),
        body                   text NOT NULL CHECK (body IN ('villagers_meeting', 'representatives_meeting', 'members_assembly',
                                 'members_representatives_assembly', 'party_meeting')),
        ballot_type            text NOT NULL CHECK (ballot_type IN ('open', 'secret')),
        allow_change           boolean NOT NULL,
        opens_at               timestamptz NOT NULL,
        closes_at              timestamptz NOT NULL,
        reference_date         date NOT NULL,
        electorate             integer NOT NULL CHECK (electorate >= 0),
        households             integer NOT NULL CHECK (households >= 0),
        status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        reminder_sent          boolean NOT NULL DEFAULT false,
        -- post-close work, done by the scheduler after the tally commits (see VotingService.afterClose)
        ballots_shuffled       boolean NOT NULL DEFAULT false,
        result_notified        boolean NOT NULL DEFAULT false,
        participants           integer CHECK (participants >= 0),
        households_represented integer CHECK (households_represented >= 0),
        yes_count              integer CHECK (yes_count >= 0),
        no_count               integer CHECK (no_count >= 0),
        abstain_count          integer CHECK (abstain_count >= 0),
        outcome                text CHECK (outcome IN ('passed', 'rejected', 'no_quorum')),
        rule                   jsonb,
        tallied_at             timestamptz,
        CONSTRAINT vote_window CHECK (closes_at > opens_at),
        CONSTRAINT vote_party_body CHECK ((purpose = 'party_review') = (body = 'party_meeting')),
        CONSTRAINT vote_tally_complete CHECK ((status = 'closed') = (outcome IS NOT NULL)
          AND (outcome IS NULL) = (participants IS NULL) AND (outcome IS NULL) = (yes_count IS NULL)
          AND (outcome IS NULL) = (no_count IS NULL) AND (outcome IS NULL) = (abstain_count IS NULL)
          AND (outcome IS NULL) = (rule IS NULL) AND (outcome IS NULL) = (tallied_at IS NULL)
          AND (outcome IS NULL) = (households_represented IS NULL)),
        CONSTRAINT vote_tally_adds_up CHECK (outcome IS NULL OR (yes_count + no_count + abstain_count = participants AND participants <= electorate)),
        CONSTRAINT vote_id_type_uq UNIQUE (id, ballot_type)
      )`);
    await q.query(`CREATE UNIQUE INDEX vote_one_open_per_proposal ON vote (proposal_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX vote_proposal_idx ON vote (proposal_id, opens_at DESC)`);
    await q.query(`CREATE INDEX vote_due_idx ON vote (closes_at) WHERE status = 'open'`);
    await q.query(
      `CREATE INDEX vote_after_close_idx ON vote (tallied_at) WHERE status = 'closed' AND (NOT ballots_shuffled OR NOT result_notified)`,
    );

    await q.query(`
      CREATE TABLE vote_elector (
        vote_id      uuid NOT NULL REFERENCES vote (id),
        person_id    uuid NOT NULL REFERENCES person (id),
        household_no text,
        PRIMARY KEY (vote_id, person_id)
      )`);
    await q.query(`CREATE INDEX vote_elector_person_idx ON vote_elector (person_id)`);

    // 成员大会: a member may vote by written proxy given to a member of the same household (recorded by
    // the committee). Both must be in the frozen electorate; a member holds at most one proxy.
    await q.query(`
      CREATE TABLE vote_proxy (
        vote_id            uuid NOT NULL,
        grantor_person_id  uuid NOT NULL,
        proxy_person_id    uuid NOT NULL,
        recorded_by        uuid NOT NULL REFERENCES account (id),
        recorded_on        date NOT NULL,
        PRIMARY KEY (vote_id, grantor_person_id),
        CONSTRAINT vote_proxy_one_per_holder UNIQUE (vote_id, proxy_person_id),
        CONSTRAINT vote_proxy_not_self CHECK (grantor_person_id <> proxy_person_id),
        FOREIGN KEY (vote_id, grantor_person_id) REFERENCES vote_elector (vote_id, person_id),
        FOREIGN KEY (vote_id, proxy_person_id) REFERENCES vote_elector (vote_id, person_id)
      )`);

    // Who took part. The primary key is the one-ballot-per-elector guarantee; the foreign key to the
    // frozen electorate refuses anyone outside it. No time finer than the day.
    await q.query(`
      CREATE TABLE ballot_participation (
        vote_id   uuid NOT NULL,
        person_id uuid NOT NULL,
        voted_on  date NOT NULL,
        PRIMARY KEY (vote_id, person_id),
        FOREIGN KEY (vote_id, person_id) REFERENCES vote_elector (vote_id, person_id)
      )`);

    // What was chosen. No key shared with ballot_participation, no time, no serial: for a secret
    // ballot the row is a receipt code and a choice. voter_person_id only for open ballots.
    await q.query(`
      CREATE TABLE ballot_choice (
        vote_id         uuid NOT NULL,
        ballot_type     text NOT NULL,
        receipt_code    text NOT NULL CHECK (receipt_code ~ '^[0-9A-Z]{12}$'),
        choice          text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
        voter_person_id uuid REFERENCES person (id),
        PRIMARY KEY (vote_id, receipt_code),
        FOREIGN KEY (vote_id, ballot_type) REFERENCES vote (id, ballot_type),
        CONSTRAINT ballot_choice_secret_unnamed CHECK ((ballot_type = 'open') = (voter_person_id IS NOT NULL)),
        CONSTRAINT ballot_choice_open_voter_uq UNIQUE (vote_id, voter_person_id)
      )`);

    await q.query(`
      CREATE TABLE notice (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id       uuid NOT NULL REFERENCES proposal (id),
        village_code      varchar(12) NOT NULL REFERENCES division (code),
        kind              text NOT NULL CHECK (kind IN ('resolution', 'implementation')),
        title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 250),
        body              text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        outcome           jsonb,
        committee_name    text NOT NULL,
        published_at      timestamptz NOT NULL,
        publicity_ends_at timestamptz NOT NULL,
        is_demo           boolean NOT NULL DEFAULT false,
        CONSTRAINT notice_period CHECK (publicity_ends_at > published_at),
        CONSTRAINT notice_resolution_outcome CHECK ((kind = 'resolution') = (outcome IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX notice_one_resolution_uq ON notice (proposal_id) WHERE kind = 'resolution'`);
    await q.query(`CREATE INDEX notice_village_idx ON notice (village_code varchar_pattern_ops, published_at DESC)`);

    await q.query(`
      CREATE TABLE notification (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id   uuid NOT NULL REFERENCES person (id),
        kind        text NOT NULL CHECK (kind IN ('voting_opened', 'closing_soon', 'result_published', 'proposal_returned',
                      'proposal_approved', 'joint_threshold_reached')),
        proposal_id uuid REFERENCES proposal (id),
        title       text NOT NULL,
        body        text NOT NULL,
        created_at  timestamptz NOT NULL,
        read_at     timestamptz
      )`);
    await q.query(`CREATE INDEX notification_person_idx ON notification (person_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification`);
    await q.query(`DROP TABLE notice`);
    await q.query(`DROP TABLE ballot_choice`);
    await q.query(`DROP TABLE ballot_participation`);
    await q.query(`DROP TABLE vote_proxy`);
    await q.query(`DROP TABLE vote_elector`);
    await q.query(`DROP TABLE vote`);
    await q.query(`DROP TABLE proposal_comment`);
    await q.query(`DROP TABLE proposal_attachment`);
    await q.query(`DROP TABLE proposal_event`);
    await q.query(`ALTER TABLE joint_request DROP CONSTRAINT joint_request_proposal_fk`);
    await q.query(`DROP TABLE proposal`);
    await q.query(`DROP TABLE joint_signature`);
    await q.query(`DROP TABLE joint_request`);
    // pg_trgm stays: other modules may use it, and dropping an extension is not this migration's call.
  }
}
