import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The oversight roll-up (oversight.repository.ts) reads, for each village, its published disclosures of a schedule
 * series: village first (one index descent per village, in the village's own order of series and period), with
 * the publication instant in the index, so the read never touches the table (an index-only scan). It replaces
 * disclosure_schedule_idx (series first, no publication instant), which the village's schedule also reads by
 * village and which this index serves as well.
 */
export class DisclosurePublishedSlotIndex1764387000900 implements MigrationInterface {
  name = 'DisclosurePublishedSlotIndex1764387000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX disclosure_published_slot_idx ON disclosure (village_code, series, period_start) INCLUDE (published_at)
        WHERE state = 'published' AND series IS NOT NULL`,
    );
    await q.query(`DROP INDEX disclosure_schedule_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX disclosure_schedule_idx ON disclosure (series, village_code, period_start) WHERE state = 'published'`);
    await q.query(`DROP INDEX disclosure_published_slot_idx`);
  }
}
