import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (issue 14; docs/decisions/019-outbox-and-sms.md): every SMS the product sends, written in the
 * transaction of the event it announces, sent later by a background job.
 * - person_id is the recipient; about_person_id the elector the message is about (the same person, or the
 *   elector a helper relays it to). No phone number is stored here: the sender decrypts the recipient's
 *   phone from the register at send time.
 * - One message per (kind, proposal, vote, elector, occasion): NULLS NOT DISTINCT, so a notice (no vote) is unique
 *   too; `occasion` tells apart messages of one kind that may rightly be sent again (a meeting moved to a new
 *   time or place is told again), and is '' for the others.
 * - state: queued → sending → sent | queued (retry after a failure, attempts counts them) | failed. A
 *   'sending' row carries its claim (claim_token, claimed_until); a claim that expires unfinished is failed
 *   as "result unknown", never sent again by itself. manual_retries counts the committee's retries by hand.
 */
export class Outbox1764386100000 implements MigrationInterface {
  name = 'Outbox1764386100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_message (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel             text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms')),
        kind                text NOT NULL CHECK (kind IN ('meeting_notice', 'meeting_arranged', 'voting_opened', 'closing_soon', 'result_published')),
        occasion            text NOT NULL DEFAULT '' CHECK (length(occasion) <= 200),
        person_id           uuid NOT NULL REFERENCES person (id),
        about_person_id     uuid NOT NULL REFERENCES person (id),
        division_code       varchar(12) NOT NULL REFERENCES division (code),
        proposal_id         uuid REFERENCES proposal (id),
        vote_id             uuid REFERENCES vote (id),
        params              jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
        state               text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
        attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        manual_retries      integer NOT NULL DEFAULT 0 CHECK (manual_retries >= 0),
        next_attempt_at     timestamptz NOT NULL,
        claim_token         uuid,
        claimed_until       timestamptz,
        last_error          text CHECK (last_error IS NULL OR length(last_error) <= 500),
        provider_message_id text CHECK (provider_message_id IS NULL OR length(provider_message_id) <= 100),
        created_at          timestamptz NOT NULL,
        sent_at             timestamptz,
        CONSTRAINT outbox_message_once UNIQUE NULLS NOT DISTINCT (kind, proposal_id, vote_id, about_person_id, occasion),
        CONSTRAINT outbox_message_claim CHECK ((state = 'sending') = (claimed_until IS NOT NULL AND claim_token IS NOT NULL)),
        CONSTRAINT outbox_message_sent CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT outbox_message_failed_says_why CHECK (state <> 'failed' OR last_error IS NOT NULL)
      )`);
    // The sender's claim: due queued rows in order; and the sweep of expired claims.
    await q.query(`CREATE INDEX outbox_message_due_idx ON outbox_message (next_attempt_at) WHERE state = 'queued'`);
    await q.query(`CREATE INDEX outbox_message_claimed_idx ON outbox_message (claimed_until) WHERE state = 'sending'`);
    // The committee's list: by division (prefix scope), newest first; by proposal.
    await q.query(`CREATE INDEX outbox_message_division_idx ON outbox_message (division_code varchar_pattern_ops, created_at DESC)`);
    await q.query(`CREATE INDEX outbox_message_proposal_idx ON outbox_message (proposal_id) WHERE proposal_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_message`);
  }
}
