import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A collective organization's credit code never changes, so one issued before 长治's 2018–2019
 * redistricting carries the county it was registered in then. The pairs (today's county, predecessor)
 * are the table of libs/economy/src/data/predecessor-counties.json, frozen here as SQL
 * (test/e2e/economy-old-codes.e2e-spec.ts checks this constraint against that file).
 */
const CODE_COUNTY = `substr(credit_code, 3, 6) = left(division_code, 6)
  OR (left(division_code, 6), substr(credit_code, 3, 6)) IN (
    ('140403', '140402'), -- 潞州区 ← 城区
    ('140403', '140411'), -- 潞州区 ← 郊区
    ('140404', '140421'), -- 上党区 ← 长治县
    ('140405', '140424'), -- 屯留区 ← 屯留县
    ('140406', '140481')  -- 潞城区 ← 潞城市
  )`;

export class OldCreditCodes1764384000000 implements MigrationInterface {
  name = 'OldCreditCodes1764384000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE collective_org DROP CONSTRAINT collective_org_code_county`);
    await q.query(`ALTER TABLE collective_org ADD CONSTRAINT collective_org_code_county CHECK (${CODE_COUNTY})`);
  }

  /** Fails while an organization with a predecessor's code is registered: reverting must not drop it silently. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE collective_org DROP CONSTRAINT collective_org_code_county`);
    await q.query(
      `ALTER TABLE collective_org ADD CONSTRAINT collective_org_code_county CHECK (substr(credit_code, 3, 6) = left(division_code, 6))`,
    );
  }
}
