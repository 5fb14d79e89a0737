import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Division } from '#divisions';
import { type AppConfig, buildDataSourceOptions } from '#platform';
import { migrations } from '../../../migrations/index.js';

/** The one DataSource definition: the app, the migration CLI, seeds and tests all build theirs here. */
export const entities = [Division];

/** `pooled`: `url` is a transaction-mode pooler (DATABASE_URL with a DATABASE_DIRECT_URL beside it). */
export function createDataSource(
  url: string,
  config: Pick<AppConfig, 'dbPoolSize' | 'dbStatementTimeoutMs'> & { pooled?: boolean },
  log?: Logger,
): DataSource {
  return new DataSource(
    buildDataSourceOptions({
      url,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      entities,
      migrations,
      log,
      pooled: config.pooled,
    }),
  );
}
