import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_ROLES = `'resident', 'village_representative', 'party_member', 'collective_member', 'village_committee',
  'supervision_committee', 'township_staff', 'mediator', 'county_admin', 'city_admin', 'committee_member', 'probationary_party_member'`;
const ROLES = `${OLD_ROLES}, 'party_member_under_probation'`;

/**
 * 留党察看 as a village role (docs/decisions/065-party-probation-no-vote.md): held beside party_member while
 * the sanction lasts (党章 Art. 40: no vote, no right to elect or be elected), so the 党员大会 leaves the member
 * out of its roll (支部工作条例 Art. 11). The grant's granted_at and revoked_at are the sanction's start and end.
 */
export class PartyProbation1764388450000 implements MigrationInterface {
  name = 'PartyProbation1764388450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check`);
    await q.query(`ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check CHECK (role IN (${ROLES}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The sanction's grants go with the role (a down migration loses them; their audit rows remain).
    await q.query(`DELETE FROM role_grant WHERE role = 'party_member_under_probation'`);
    await q.query(`ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check`);
    await q.query(`ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check CHECK (role IN (${OLD_ROLES}))`);
  }
}
