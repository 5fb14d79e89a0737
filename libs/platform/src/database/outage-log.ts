import { inspect } from 'node:util';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../logging.js';
import { dbOf } from './kysely.js';

export interface OutageLogOptions {
  /** At most one "still down" line per this many milliseconds (with the count since the last line). */
  reportEveryMs?: number;
  /** While down, how often the probe (if any) asks the database whether it is back. */
  probeEveryMs?: number;
  /** Monotonic milliseconds; a test passes a fake clock. */
  now?: () => number;
  /** Schedules `fn` once after `ms`; a test passes a fake. */
  schedule?: (fn: () => void, ms: number) => { cancel(): void };
}

interface Outage {
  since: number;
  failures: number;
  failuresSinceLine: number;
  lastLineAt: number;
  bySource: Record<string, number>;
}

const describeError = (err: unknown): string | undefined =>
  err === undefined ? undefined : err instanceof Error ? `${err.name}: ${err.message}` : inspect(err);

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

/**
 * One story per database outage instead of one error line per failed request (issue 10 §6: a
 * 5-second restart under load wrote 993 identical lines): "数据库不可用" once with the first error,
 * then at most one "数据库仍不可用" line per `reportEveryMs` with the count of failures since the last
 * line, and "数据库已恢复" with the duration and the total count when a probe gets through again.
 * Failures come from the exception filter (503 DATABASE_UNAVAILABLE), the pg pools' error events and
 * the interval jobs.
 */
export class DatabaseOutageLog {
  private outage: Outage | null = null;
  private probe: (() => Promise<unknown>) | null = null;
  private probeTimer: { cancel(): void } | null = null;
  private readonly reportEveryMs: number;
  private readonly probeEveryMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => { cancel(): void };

  constructor(
    private readonly log: Logger,
    opts: OutageLogOptions = {},
  ) {
    this.reportEveryMs = opts.reportEveryMs ?? 10_000;
    this.probeEveryMs = opts.probeEveryMs ?? 1_000;
    this.now = opts.now ?? (() => performance.now());
    this.schedule = opts.schedule ?? realTimer;
  }

  get isDown(): boolean {
    return this.outage !== null;
  }

  /** Something failed because the database could not be reached. */
  failure(source: string, err?: unknown): void {
    const now = this.now();
    const o = this.outage;
    if (!o) {
      this.outage = { since: now, failures: 1, failuresSinceLine: 0, lastLineAt: now, bySource: { [source]: 1 } };
      this.log.error({ source, err: describeError(err) }, '数据库不可用');
      this.scheduleProbe();
      return;
    }
    o.failures++;
    o.failuresSinceLine++;
    o.bySource[source] = (o.bySource[source] ?? 0) + 1;
    if (now - o.lastLineAt >= this.reportEveryMs) {
      this.log.warn(
        { downForSeconds: seconds(now - o.since), failedSinceLastLine: o.failuresSinceLine, failures: o.failures },
        '数据库仍不可用',
      );
      o.failuresSinceLine = 0;
      o.lastLineAt = now;
    }
  }

  /** The database answered again; ends the outage, if there is one. */
  recovered(): void {
    const o = this.outage;
    if (!o) return;
    this.outage = null;
    this.probeTimer?.cancel();
    this.probeTimer = null;
    this.log.warn({ downForSeconds: seconds(this.now() - o.since), failures: o.failures, bySource: o.bySource }, '数据库已恢复');
  }

  /** While the database is down, `probe` runs every probeEveryMs; its first success ends the outage. Returns the undo. */
  watch(probe: () => Promise<unknown>): () => void {
    this.probe = probe;
    if (this.outage) this.scheduleProbe();
    return () => {
      if (this.probe !== probe) return;
      this.probe = null;
      this.probeTimer?.cancel();
      this.probeTimer = null;
    };
  }

  private scheduleProbe(): void {
    if (!this.probe || this.probeTimer) return;
    this.probeTimer = this.schedule(() => void this.runProbe(), this.probeEveryMs);
  }

  private async runProbe(): Promise<void> {
    const probe = this.probe;
    if (!probe || !this.outage) {
      this.probeTimer = null;
      return;
    }
    let up = false;
    try {
      await probe();
      up = true;
    } catch {
      // still down
    }
    this.probeTimer = null;
    if (up) this.recovered();
    else if (this.outage) this.scheduleProbe();
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

const byLogger = new WeakMap<Logger, DatabaseOutageLog>();

/**
 * The outage log of the process whose root logger is `log`. Kept per logger so that every part that
 * already holds the logger (the exception filter, the pools, the jobs) reports into one story
 * without new wiring, and two apps in one test process keep theirs apart.
 */
export function outageLogFor(log: Logger): DatabaseOutageLog {
  let o = byLogger.get(log);
  if (!o) {
    o = new DatabaseOutageLog(log);
    byLogger.set(log, o);
  }
  return o;
}

/** Gives the process's outage log its probe: `SELECT 1` through the app's pool. */
@Injectable()
export class DatabaseOutageWatch implements OnModuleInit, OnApplicationShutdown {
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.unwatch = outageLogFor(this.log).watch(() => sql`SELECT 1`.execute(dbOf(this.db)));
  }

  onApplicationShutdown(): void {
    this.unwatch?.();
    this.unwatch = null;
  }
}
