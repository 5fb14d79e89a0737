import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_ROLES = `'resident', 'village_representative', 'party_member', 'collective_member', 'village_committee',
  'supervision_committee', 'township_staff', 'mediator', 'county_admin', 'city_admin'`;
const ROLES = `${OLD_ROLES}, 'committee_member', 'probationary_party_member'`;

/**
 * Bodies with the right seats (issue 11, stage 2; docs/decisions/012-bodies-and-seats.md):
 * - two village seats in the register: 村民委员会成员 (who sit in the 村民代表会议 with the
 *   representatives, 村民委员会组织法 Art. 25) and 预备党员 (no vote in the 党员大会);
 * - the seat an elector held in the frozen electorate, and on each ballot of a 村民代表会议 whether it
 *   was a representative's or a committee member's (never whose): the count of "2/3 of all village
 *   representatives" on land matters;
 * - the written proxy of the 成员大会 goes to a family member of the same household, who need not be a
 *   member, and one holder may hold several (农村集体经济组织法 Art. 27 sets no limit);
 * - the elected 成员代表 of each collective organization, with election date and five-year term (Art. 28).
 */
export class BodiesAndSeats1764382000000 implements MigrationInterface {
  name = 'BodiesAndSeats1764382000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check`);
    await q.query(`ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check CHECK (role IN (${ROLES}))`);

    await q.query(`ALTER TABLE vote_elector ADD COLUMN seat text CHECK (seat IN ('representative', 'committee'))`);
    await q.query(`ALTER TABLE ballot_choice ADD COLUMN seat text CHECK (seat IN ('representative', 'committee'))`);
    // Votes tallied before: their electorate was the representatives alone.
    await q.query(
      `UPDATE vote_elector e SET seat = 'representative' FROM vote v WHERE v.id = e.vote_id AND v.body = 'representatives_meeting'`,
    );
    await q.query(
      `UPDATE ballot_choice c SET seat = 'representative' FROM vote v WHERE v.id = c.vote_id AND v.body = 'representatives_meeting'`,
    );

    await q.query(`ALTER TABLE vote_proxy DROP CONSTRAINT vote_proxy_one_per_holder`);
    await q.query(`ALTER TABLE vote_proxy DROP CONSTRAINT vote_proxy_vote_id_proxy_person_id_fkey`);
    await q.query(`ALTER TABLE vote_proxy ADD CONSTRAINT vote_proxy_holder_fk FOREIGN KEY (proxy_person_id) REFERENCES person (id)`);
    await q.query(`CREATE INDEX vote_proxy_holder_idx ON vote_proxy (vote_id, proxy_person_id)`);

    await q.query(`ALTER TABLE collective_member ADD CONSTRAINT collective_member_id_org_uq UNIQUE (id, org_id)`);
    await q.query(`
      CREATE TABLE collective_member_representative (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id        uuid NOT NULL REFERENCES collective_org (id),
        member_id     uuid NOT NULL,
        elected_on    date NOT NULL,
        term_ends_on  date NOT NULL,
        ended_on      date,
        created_at    timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (member_id, org_id) REFERENCES collective_member (id, org_id),
        CONSTRAINT cmr_five_year_term CHECK (term_ends_on = (elected_on + interval '5 years')::date),
        CONSTRAINT cmr_ended_after_election CHECK (ended_on IS NULL OR ended_on >= elected_on),
        CONSTRAINT cmr_one_election_a_day UNIQUE (member_id, elected_on)
      )`);
    await q.query(`CREATE INDEX cmr_org_idx ON collective_member_representative (org_id, elected_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE collective_member_representative`);
    await q.query(`ALTER TABLE collective_member DROP CONSTRAINT collective_member_id_org_uq`);
    await q.query(`DROP INDEX vote_proxy_holder_idx`);
    await q.query(`ALTER TABLE vote_proxy DROP CONSTRAINT vote_proxy_holder_fk`);
    await q.query(`ALTER TABLE vote_proxy ADD FOREIGN KEY (vote_id, proxy_person_id) REFERENCES vote_elector (vote_id, person_id)`);
    await q.query(`ALTER TABLE vote_proxy ADD CONSTRAINT vote_proxy_one_per_holder UNIQUE (vote_id, proxy_person_id)`);
    await q.query(`ALTER TABLE ballot_choice DROP COLUMN seat`);
    await q.query(`ALTER TABLE vote_elector DROP COLUMN seat`);
    await q.query(`ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check`);
    await q.query(`ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check CHECK (role IN (${OLD_ROLES}))`);
  }
}
