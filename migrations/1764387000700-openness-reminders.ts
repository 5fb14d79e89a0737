import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 村务共管's reminders (issue 15): the committee before a slot's due day, the township once it is overdue,
 * each at most once per (village, series, period, kind) — the primary key is the "once", whatever the
 * number of processes running the job.
 */
export class OpennessReminders1764387000700 implements MigrationInterface {
  name = 'OpennessReminders1764387000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE openness_reminder (
        village_code varchar(12) NOT NULL REFERENCES division (code),
        series       text NOT NULL CHECK (series IN ('general', 'finance', 'collective_finance')),
        period_start date NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
        sent_at      timestamptz NOT NULL,
        PRIMARY KEY (village_code, series, period_start, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE openness_reminder`);
  }
}
