import type { DataSourceOptions } from 'typeorm';
import type { Logger } from 'pino';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  // TypeORM takes entity and migration classes of any shape.
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  log?: Logger;
  applicationName?: string;
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
    poolErrorHandler: (err: unknown) => {
      s.log?.warn({ err: describeDbError(err) }, 'database pool error');
    },
    extra: {
      max: s.poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      statement_timeout: s.statementTimeoutMs,
      idle_in_transaction_session_timeout: Math.max(s.statementTimeoutMs * 2, 60000),
      // Named prepared statements (preparedRows: the guard's session read, the batched ballot) reuse one
      // generic plan instead of being planned again on every call; PostgreSQL's default kept choosing
      // a fresh custom plan, which cost as much as running them. TypeORM's unnamed statements are
      // planned per call whatever this says. Measured: docs/decisions/007-generic-plans.md.
      options: '-c plan_cache_mode=force_generic_plan',
    },
  };
}

export function describeDbError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
