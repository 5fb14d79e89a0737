import type { DataSourceOptions } from 'typeorm';
import type { Logger } from 'pino';
import { outageLogFor } from './outage-log.js';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  // TypeORM takes entity and migration classes of any shape.
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  log?: Logger;
  applicationName?: string;
  /** The URL is a transaction-mode pooler: no session settings at connect (see pgPoolSettings). */
  pooled?: boolean;
}

/** The one place that decides how every process (app, CLI, seeds, tests) talks to PostgreSQL. */
export function buildDataSourceOptions(s: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: s.url,
    entities: s.entities,
    migrations: s.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: s.applicationName ?? 'sangong',
    // A dropped connection (database restart) must not crash the process; the pool reconnects.
    // Each idle connection reports it: one outage story, not a line per connection.
    poolErrorHandler: (err: unknown) => {
      if (s.log) outageLogFor(s.log).failure('pool', err);
    },
    extra: pgPoolSettings(s.poolSize, s.statementTimeoutMs, { pooled: s.pooled }),
  };
}

/**
 * How every pg pool of a process connects (TypeORM's, HotStatements', the replica's). The timeouts are
 * startup parameters, which PgBouncer refuses ("unsupported startup parameter"); through a
 * transaction-mode pooler they come from the database role instead (`ALTER ROLE … SET
 * statement_timeout`, checked at boot by PoolerSettingsCheck; decision 060).
 */
export function pgPoolSettings(max: number, statementTimeoutMs: number, opts: { pooled?: boolean; connectTimeoutMs?: number } = {}) {
  const base = { max, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000, idleTimeoutMillis: 30000 };
  if (opts.pooled) return base;
  return {
    ...base,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs(statementTimeoutMs),
  };
}

/** A transaction left open by a stuck process is ended after this (twice the statement timeout, at least a minute). */
export const idleInTransactionTimeoutMs = (statementTimeoutMs: number): number => Math.max(statementTimeoutMs * 2, 60000);

export function describeDbError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
