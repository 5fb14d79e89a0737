import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Division } from '#divisions';
import { type AppConfig, buildDataSourceOptions } from '#platform';
import { migrations } from '../../../migrations/index.js';

/** The one DataSource definition: the app, the migration CLI, seeds and tests all build theirs here. */
export const entities = [Division];

export function createDataSource(url: string, config: Pick<AppConfig, 'dbPoolSize' | 'dbStatementTimeoutMs'>, log?: Logger): DataSource {
  return new DataSource(
    buildDataSourceOptions({
      url,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      entities,
      migrations,
      log,
    }),
  );
}
