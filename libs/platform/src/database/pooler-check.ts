import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, isPooled } from '../config/app-config.js';
import { LOGGER } from '../logging.js';
import { idleInTransactionTimeoutMs } from './data-source-options.js';
import { dbOf } from './kysely.js';

/**
 * Through a transaction-mode pooler the app cannot set its timeouts at connect (PgBouncer refuses the
 * startup parameters), so they must come from the database role. At boot, asks the pooled connection
 * which timeouts it runs with and says so when one is missing or shorter than the settings ask
 * (a missing statement timeout lets a runaway report hold a pooled connection for ever).
 */
@Injectable()
export class PoolerSettingsCheck implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!isPooled(this.config)) return;
    const { rows } = await sql<{ name: string; ms: number }>`SELECT name, setting::int AS ms FROM pg_settings
      WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout')`.execute(dbOf(this.db));
    const want: Record<string, number> = {
      statement_timeout: this.config.dbStatementTimeoutMs,
      idle_in_transaction_session_timeout: idleInTransactionTimeoutMs(this.config.dbStatementTimeoutMs),
    };
    for (const r of rows) {
      if (r.ms !== want[r.name]) {
        this.log.warn(
          { setting: r.name, pooledMs: r.ms, wantedMs: want[r.name] },
          `经连接池（DATABASE_URL）的连接 ${r.name} 为 ${r.ms} 毫秒，与设置不符；请在数据库执行 ALTER ROLE <应用账号> SET ${r.name} = ${want[r.name]}（见 docs/scaling.md）`,
        );
      }
    }
  }
}
