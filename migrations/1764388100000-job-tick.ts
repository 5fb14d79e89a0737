import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last tick each periodic job ran (decision 060): with several app processes, the one that first
 * moves `slot` (the job's period number by the database's clock) runs the tick and the others skip it,
 * so a job runs once per period across the processes, not once per process. `runs` and `ran_by` are
 * the trace an operator (and npm run test:topology) reads.
 */
export class JobTick1764388100000 implements MigrationInterface {
  name = 'JobTick1764388100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE job_tick (
      job text PRIMARY KEY CHECK (job ~ '^[a-z]+\\.[a-z]+$'),
      period_ms integer NOT NULL CHECK (period_ms > 0),
      slot bigint NOT NULL CHECK (slot >= 0),
      ran_at timestamptz NOT NULL,
      ran_by text NOT NULL CHECK (length(ran_by) BETWEEN 1 AND 200),
      runs bigint NOT NULL DEFAULT 1 CHECK (runs >= 1)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_tick`);
  }
}
