import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Meetings with everyone (issue 14; docs/decisions/017-meetings-with-everyone.md):
 * - the register knows who is offline: person.no_smartphone and an optional helper who relays notices;
 * - meeting: the decision vote's meeting (time, place, chair, which parts are held), one per proposal;
 *   meeting_officer: its tellers (计票人) and scrutineers (监票人), one duty per person;
 * - ballot_participation.channel: online, onsite (signed in at the meeting) or assisted (代投 on a
 *   staff device, with who assisted). Its primary key (vote, person) stays the one guarantee that an
 *   elector takes part once, whichever way;
 * - vote.online_part / onsite_part: the parts the vote holds (the hot ballot statement reads them);
 * - vote_onsite: the on-site part of one vote: its state, the photo of the 计票单, the confirmation;
 *   paper_tally_entry: a teller's independent entry of the paper totals (two must match);
 * - the tally stores each part's figures; spoiled and unreturned paper ballots take part but are not
 *   yes, no or abstain, so the sum rule becomes yes + no + abstain + spoiled = participants.
 */
export class Meetings1764386000000 implements MigrationInterface {
  name = 'Meetings1764386000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE person
        ADD COLUMN no_smartphone boolean NOT NULL DEFAULT false,
        ADD COLUMN helper_person_id uuid REFERENCES person (id),
        ADD CONSTRAINT person_helper_not_self CHECK (helper_person_id <> id)`);

    await q.query(`
      CREATE TABLE meeting (
        proposal_id     uuid PRIMARY KEY REFERENCES proposal (id),
        held_at         timestamptz NOT NULL,
        place           text NOT NULL CHECK (length(place) BETWEEN 1 AND 100),
        chair_person_id uuid NOT NULL REFERENCES person (id),
        online_part     boolean NOT NULL,
        onsite_part     boolean NOT NULL,
        arranged_by     uuid NOT NULL REFERENCES account (id),
        arranged_at     timestamptz NOT NULL,
        CONSTRAINT meeting_has_a_part CHECK (online_part OR onsite_part)
      )`);
    await q.query(`
      CREATE TABLE meeting_officer (
        proposal_id uuid NOT NULL REFERENCES meeting (proposal_id) ON DELETE CASCADE,
        person_id   uuid NOT NULL REFERENCES person (id),
        duty        text NOT NULL CHECK (duty IN ('teller', 'scrutineer')),
        PRIMARY KEY (proposal_id, person_id)
      )`);

    await q.query(`
      ALTER TABLE vote
        ADD COLUMN online_part boolean NOT NULL DEFAULT true,
        ADD COLUMN onsite_part boolean NOT NULL DEFAULT false,
        ADD COLUMN spoiled_count integer CHECK (spoiled_count >= 0),
        ADD COLUMN online_participants integer CHECK (online_participants >= 0),
        ADD COLUMN assisted_participants integer CHECK (assisted_participants >= 0),
        ADD COLUMN onsite_participants integer CHECK (onsite_participants >= 0),
        ADD CONSTRAINT vote_has_a_part CHECK (online_part OR onsite_part)`);
    // Votes closed before this migration: every ballot was online.
    await q.query(`
      UPDATE vote SET spoiled_count = 0, online_participants = participants, assisted_participants = 0, onsite_participants = 0
       WHERE status = 'closed'`);
    await q.query(`ALTER TABLE vote DROP CONSTRAINT vote_tally_adds_up`);
    await q.query(`
      ALTER TABLE vote ADD CONSTRAINT vote_tally_adds_up CHECK (outcome IS NULL OR (
        yes_count + no_count + abstain_count + spoiled_count = participants
        AND online_participants + onsite_participants = participants
        AND assisted_participants <= online_participants
        AND participants <= electorate))`);
    await q.query(`
      ALTER TABLE vote ADD CONSTRAINT vote_parts_complete CHECK ((outcome IS NULL) = (spoiled_count IS NULL)
        AND (outcome IS NULL) = (online_participants IS NULL) AND (outcome IS NULL) = (assisted_participants IS NULL)
        AND (outcome IS NULL) = (onsite_participants IS NULL))`);

    await q.query(`
      ALTER TABLE ballot_participation
        ADD COLUMN channel text NOT NULL DEFAULT 'online' CHECK (channel IN ('online', 'onsite', 'assisted')),
        ADD COLUMN assisted_by uuid REFERENCES account (id),
        ADD CONSTRAINT ballot_participation_assisted_by CHECK ((channel = 'assisted') = (assisted_by IS NOT NULL))`);

    await q.query(`
      CREATE TABLE vote_onsite (
        vote_id                  uuid PRIMARY KEY REFERENCES vote (id),
        state                    text NOT NULL DEFAULT 'signing_in' CHECK (state IN ('signing_in', 'counting', 'entered', 'confirmed')),
        issued                   integer CHECK (issued >= 0),
        returned                 integer CHECK (returned >= 0),
        yes_count                integer CHECK (yes_count >= 0),
        no_count                 integer CHECK (no_count >= 0),
        abstain_count            integer CHECK (abstain_count >= 0),
        spoiled_count            integer CHECK (spoiled_count >= 0),
        representatives_yes      integer CHECK (representatives_yes >= 0),
        tally_sheet_id           uuid REFERENCES proposal_attachment (id),
        confirmed_by             uuid REFERENCES account (id),
        confirmed_at             timestamptz,
        CONSTRAINT vote_onsite_confirmed CHECK ((state = 'confirmed') = (confirmed_at IS NOT NULL)
          AND (confirmed_at IS NULL) = (confirmed_by IS NULL)
          AND (state <> 'confirmed' OR tally_sheet_id IS NOT NULL)),
        CONSTRAINT vote_onsite_paper_adds_up CHECK (returned IS NULL OR (
          yes_count + no_count + abstain_count + spoiled_count = returned AND returned <= issued))
      )`);
    await q.query(`
      CREATE TABLE paper_tally_entry (
        vote_id             uuid NOT NULL REFERENCES vote_onsite (vote_id),
        entry_no            smallint NOT NULL CHECK (entry_no IN (1, 2)),
        teller_person_id    uuid NOT NULL REFERENCES person (id),
        entered_by          uuid NOT NULL REFERENCES account (id),
        entered_at          timestamptz NOT NULL,
        issued              integer NOT NULL CHECK (issued >= 0),
        returned            integer NOT NULL CHECK (returned >= 0),
        yes_count           integer NOT NULL CHECK (yes_count >= 0),
        no_count            integer NOT NULL CHECK (no_count >= 0),
        abstain_count       integer NOT NULL CHECK (abstain_count >= 0),
        spoiled_count       integer NOT NULL CHECK (spoiled_count >= 0),
        representatives_yes integer CHECK (representatives_yes >= 0),
        PRIMARY KEY (vote_id, entry_no),
        CONSTRAINT paper_tally_entry_two_tellers UNIQUE (vote_id, teller_person_id),
        CONSTRAINT paper_tally_entry_adds_up CHECK (yes_count + no_count + abstain_count + spoiled_count = returned AND returned <= issued)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE paper_tally_entry`);
    await q.query(`DROP TABLE vote_onsite`);
    await q.query(`DELETE FROM ballot_participation WHERE channel <> 'online'`);
    await q.query(
      `ALTER TABLE ballot_participation DROP CONSTRAINT ballot_participation_assisted_by, DROP COLUMN assisted_by, DROP COLUMN channel`,
    );
    await q.query(`ALTER TABLE vote DROP CONSTRAINT vote_parts_complete, DROP CONSTRAINT vote_tally_adds_up`);
    await q.query(`
      ALTER TABLE vote ADD CONSTRAINT vote_tally_adds_up CHECK (outcome IS NULL OR (yes_count + no_count + abstain_count = participants AND participants <= electorate))`);
    await q.query(`
      ALTER TABLE vote DROP CONSTRAINT vote_has_a_part, DROP COLUMN onsite_participants, DROP COLUMN assisted_participants,
        DROP COLUMN online_participants, DROP COLUMN spoiled_count, DROP COLUMN onsite_part, DROP COLUMN online_part`);
    await q.query(`DROP TABLE meeting_officer`);
    await q.query(`DROP TABLE meeting`);
    await q.query(`ALTER TABLE person DROP CONSTRAINT person_helper_not_self, DROP COLUMN helper_person_id, DROP COLUMN no_smartphone`);
  }
}
