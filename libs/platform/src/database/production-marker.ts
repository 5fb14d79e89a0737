import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type Conn, dbOf } from './kysely.js';

/** Refusals of this file: a startup or seeding step that must not go on. Not an HTTP error. */
export class DeploymentError extends Error {}

/**
 * Marks the database as one that has run in production (a permanent row, migration
 * 1764380100000), after checking it holds no demo data: demo logins share a published password.
 */
export async function markProductionDatabase(db: Conn): Promise<void> {
  const {
    rows: [{ demo }],
  } = await sql<{ demo: boolean }>`SELECT demo_rows_exist() AS demo`.execute(dbOf(db));
  if (demo) {
    throw new DeploymentError('该数据库含演示数据（演示账号的密码公开在 README 里），不能以生产环境运行；请为生产环境使用一个新数据库');
  }
  await sql`INSERT INTO deployment_marker (name) VALUES ('production') ON CONFLICT (name) DO NOTHING`.execute(dbOf(db));
}

/** Demo data goes only into a database that has never run in production, from a process that is not production. */
export async function assertDemoSeedAllowed(db: Conn, env: string | undefined): Promise<void> {
  if (env === 'production') throw new DeploymentError('生产环境（NODE_ENV=production）不能写入演示数据');
  const mark = await dbOf(db).selectFrom('deployment_marker').select('marked_at').where('name', '=', 'production').executeTakeFirst();
  if (mark) {
    throw new DeploymentError(`该数据库自 ${mark.marked_at.toISOString()} 起以生产环境运行过，拒绝写入演示数据`);
  }
}

/** At start in production: the mark is written before any request or job touches the data. */
@Injectable()
export class ProductionMarker implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.env === 'production') await markProductionDatabase(this.db);
  }
}
