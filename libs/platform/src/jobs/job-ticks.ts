import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import { LOGGER } from '../logging.js';
import { IntervalJob } from './interval-job.js';

/**
 * Periodic jobs that run once per period across all app processes (decision 060). Each process ticks
 * on its own timer; before a tick it claims the period in `job_tick` with one conditional upsert, and
 * only the process that moves the job's slot forward runs it. The slot is counted by the database's
 * clock, so hosts with skewed clocks still agree on it. (runExclusive's advisory lock alone keeps two
 * ticks from overlapping, but three processes whose timers do not line up would each run every period.)
 */
@Injectable()
export class JobTicks {
  private readonly me = `${hostname()}:${process.pid}`;

  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  every(name: string, everyMs: number, tick: () => Promise<unknown>): IntervalJob {
    return new IntervalJob(name, everyMs, tick, this.log, () => this.claim(name, everyMs));
  }

  /** True when this process won the current period of `name` (and so must run it). */
  async claim(name: string, everyMs: number): Promise<boolean> {
    const { rows } = await sql<{ job: string }>`INSERT INTO job_tick AS t (job, period_ms, slot, ran_at, ran_by)
        VALUES (${name}, ${everyMs}, floor(extract(epoch FROM clock_timestamp()) * 1000 / ${everyMs})::bigint, clock_timestamp(), ${this.me})
        ON CONFLICT (job) DO UPDATE SET period_ms = EXCLUDED.period_ms, slot = EXCLUDED.slot, ran_at = EXCLUDED.ran_at,
                                        ran_by = EXCLUDED.ran_by, runs = t.runs + 1
          WHERE t.slot < EXCLUDED.slot OR t.period_ms <> EXCLUDED.period_ms
        RETURNING job`.execute(dbOf(this.db));
    return rows.length === 1;
  }
}
