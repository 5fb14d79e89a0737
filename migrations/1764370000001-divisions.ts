import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Divisions1764370000001 implements MigrationInterface {
  name = 'Divisions1764370000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE division (
        code        varchar(12) PRIMARY KEY,
        name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        level       text NOT NULL CHECK (level IN ('city', 'county', 'township', 'village')),
        parent_code varchar(12) REFERENCES division (code),
        CONSTRAINT division_code_digits CHECK (code ~ '^[0-9]+$'),
        CONSTRAINT division_code_length CHECK (length(code) = CASE level
          WHEN 'city' THEN 4 WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END),
        CONSTRAINT division_parent_level CHECK ((level = 'city') = (parent_code IS NULL)),
        CONSTRAINT division_parent_prefix CHECK (parent_code IS NULL OR starts_with(code, parent_code))
      )`);
    await q.query(`CREATE INDEX division_parent_idx ON division (parent_code)`);
    await q.query(`CREATE INDEX division_code_prefix_idx ON division (code varchar_pattern_ops)`);
    await q.query(`CREATE INDEX division_name_idx ON division (name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE division`);
  }
}
