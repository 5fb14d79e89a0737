import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LOGGER } from '../logging.js';
import { pgPoolSettings } from './data-source-options.js';
import { isDatabaseUnavailable, isSerializationFailure } from './db-errors.js';
import { type DB, type Db, dbOf, lendingPool } from './kysely.js';

/** Where a report was answered from, for the log and the tests. */
export type ReportSource = 'replica' | 'primary';

/**
 * The read-only pool for reports, statistics and exports (DATABASE_READ_URL, decision 060): a
 * streaming replica takes the city's big aggregates off the primary. Without DATABASE_READ_URL every
 * read goes to the primary's pool.
 *
 * Only `read()` reaches the replica, with work that reads and nothing else, outside any transaction:
 * a write or a read inside a use case's transaction never comes here (the replica's sessions are
 * read-only besides, so a stray write fails rather than lands).
 *
 * When the replica cannot be reached (refused, timed out, a connection-class error) the read is run
 * again on the primary and the app answers as before; one warning per outage, then reports stay on
 * the primary and every DB_READ_RETRY_SECONDS one `SELECT 1` asks whether the replica is back. A
 * statement the standby cancelled for a conflict with recovery (40001) is retried on the primary too,
 * without counting as an outage. A replica that is up but behind answers with its (older) figures:
 * statistics may lag by the replication delay, which the IT office watches (docs/scaling.md).
 */
@Injectable()
export class ReportingDb implements OnApplicationShutdown {
  private readonly pool: pg.Pool | null;
  private readonly replica: Db | null;
  private downSince: number | null = null;
  private retryAt = 0;
  private fallbacks = 0;
  private probing: Promise<void> | null = null;
  private readonly now = () => performance.now();

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    if (!config.databaseReadUrl) {
      this.pool = null;
      this.replica = null;
      return;
    }
    this.pool = new pg.Pool({
      connectionString: config.databaseReadUrl,
      // A replica that does not answer must not hold a report for long: it is then read from the primary.
      ...pgPoolSettings(config.dbReadPoolSize, config.dbStatementTimeoutMs, { connectTimeoutMs: 2000 }),
      application_name: 'sangong-reports',
      options: '-c default_transaction_read_only=on',
    });
    // An idle connection dropped by a replica restart must not crash the process.
    this.pool.on('error', (err) => this.replicaFailed(err));
    this.replica = new Kysely<DB>({ dialect: new PostgresDialect({ pool: lendingPool(this.pool) }) });
  }

  /** Whether reports are now sent to the replica. */
  get source(): ReportSource {
    return this.replica && this.downSince === null ? 'replica' : 'primary';
  }

  /**
   * Runs `work` (reads only) on the replica, or on the primary when there is none or it is down.
   * `work` may run twice (once on each), so it must not have effects of its own.
   */
  async read<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const replica = this.replica;
    if (!replica) return work(dbOf(this.primary));
    if (this.downSince !== null) {
      this.maybeProbe();
      this.fallbacks++;
      return work(dbOf(this.primary));
    }
    try {
      return await work(replica);
    } catch (err) {
      if (isDatabaseUnavailable(err)) this.replicaFailed(err);
      else if (!isSerializationFailure(err)) throw err;
      // The standby cancelled it (recovery conflict) or is gone: the primary answers this one.
      this.fallbacks++;
      return work(dbOf(this.primary));
    }
  }

  private replicaFailed(err: unknown): void {
    if (this.downSince !== null) return;
    this.downSince = this.now();
    this.retryAt = this.downSince + this.config.dbReadRetrySeconds * 1000;
    this.fallbacks = 0;
    this.log.warn(
      { err: err instanceof Error ? err.message : String(err), retrySeconds: this.config.dbReadRetrySeconds },
      '只读副本不可用，报表与统计改由主库回答',
    );
  }

  /** While down: at most one probe in flight, one per retry interval; its success sends reports back. */
  private maybeProbe(): void {
    if (this.probing || this.now() < this.retryAt || !this.replica) return;
    const replica = this.replica;
    this.probing = (async () => {
      try {
        await sql`SELECT 1`.execute(replica);
        const since = this.downSince ?? this.now();
        this.downSince = null;
        this.log.warn(
          { downForSeconds: Math.round((this.now() - since) / 100) / 10, answeredByPrimary: this.fallbacks },
          '只读副本已恢复，报表与统计回到只读副本',
        );
      } catch {
        this.retryAt = this.now() + this.config.dbReadRetrySeconds * 1000;
      } finally {
        this.probing = null;
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replica?.destroy();
  }
}
