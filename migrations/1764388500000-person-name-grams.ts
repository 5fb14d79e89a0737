import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The register's name search (`real_name LIKE '%term%'`) filtered every person of a county after a range
 * scan of its division: 102–135 ms for a county of 120,000 (docs/performance.md, "City scale"). Names are
 * two to four characters, too short for trigrams; this indexes each name's characters and character pairs
 * with the function proposals already use (migration 1764376000000). The list asks it with `@>` for the
 * term's pairs and keeps LIKE as the exact check.
 */
export class PersonNameGrams1764388500000 implements MigrationInterface {
  name = 'PersonNameGrams1764388500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX person_name_grams_idx ON person USING gin (text_short_grams(real_name))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX person_name_grams_idx`);
  }
}
