import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register's offline flag (1764386000000-meetings): an index for the register list's 无智能手机
 * filter (a village's few offline people, so a partial index), and one on helper_person_id for "whose
 * helper is this person" (clearing the helpers of a person who moves village) and the foreign key.
 */
export class RegisterOfflineIndexes1764386300000 implements MigrationInterface {
  name = 'RegisterOfflineIndexes1764386300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX person_no_smartphone_idx ON person (home_division_code) WHERE no_smartphone`);
    await q.query(`CREATE INDEX person_helper_idx ON person (helper_person_id) WHERE helper_person_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX person_helper_idx`);
    await q.query(`DROP INDEX person_no_smartphone_idx`);
  }
}
