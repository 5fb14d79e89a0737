import { createHash } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig, directUrlOf } from '../config/app-config.js';
import { LOGGER } from '../logging.js';
import { outageLogFor } from './outage-log.js';
import { pgPoolSettings } from './data-source-options.js';

const statementNames = new Map<string, string>();

/** A stable name per SQL text, so each connection prepares the statement once. */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `q${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * The hottest statements (the guard's batched session read, the batched ballot) as named prepared
 * statements on a few connections of their own, with plan_cache_mode = force_generic_plan: each is
 * parsed and planned once per connection. PostgreSQL's default kept re-planning them on every call,
 * which cost as much as running them; setting the mode on the main pool instead also gave TypeORM's
 * unnamed statements generic plans and made some searches 100 times slower (docs/performance.md).
 * Only static SQL whose best plan does not depend on the values belongs here.
 */
@Injectable()
export class HotStatements implements OnApplicationShutdown {
  private pool: pg.Pool | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  private connections(): pg.Pool {
    if (this.pool) return this.pool;
    const url = directUrlOf(this.config);
    if (!url) throw new Error('数据库地址尚未确定');
    // Named statements live in a server session: never through a transaction-mode pooler (DATABASE_DIRECT_URL, decision 060).
    const pool = new pg.Pool({
      connectionString: url,
      // Each batcher (sessions, ballots, needs-my-vote, the inbox) keeps one batch in flight: a few connections are enough.
      ...pgPoolSettings(Math.min(6, this.config.dbPoolSize), this.config.dbStatementTimeoutMs),
      application_name: 'sangong-hot',
      options: '-c plan_cache_mode=force_generic_plan',
    });
    // A dropped connection (database restart) must not crash the process; the pool opens a new one.
    pool.on('error', (err) => outageLogFor(this.log).failure('pool:hot', err));
    this.pool = pool;
    return pool;
  }

  /** The rows of a hand-written statement; `T` is its row type, declared beside the SQL in a repository. */
  async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const res = await this.connections().query<T>({ name: statementName(sql), text: sql, values: params });
    return res.rows;
  }

  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
