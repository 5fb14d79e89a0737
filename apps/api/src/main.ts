import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { ConfigError, createLogger, loadConfig } from '#platform';
import { DEMO_PASSWORD, runSeeds } from '../../../seeds/index.js';
import { createApp } from './bootstrap.js';
import { openDatabase, runMigrations } from './runtime.js';

async function main(): Promise<void> {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, log);
  let stopping = false;
  const stopEmbedded = async () => {
    if (db.embedded) await db.embedded.stop().catch((e: unknown) => log.warn({ err: String(e) }, '停止嵌入式 PostgreSQL 失败'));
  };
  try {
    if (config.runMigrations) {
      const ran = await runMigrations(db.directUrl, config, log);
      if (ran.length) log.info({ migrations: ran }, '已执行数据库迁移');
    }
    const app = await createApp({ ...config, databaseUrl: db.url }, { log });
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, '正在停止');
      await app.close().catch((e: unknown) => log.warn({ err: String(e) }, '关闭应用出错'));
      await stopEmbedded();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));

    let logins: Awaited<ReturnType<typeof runSeeds>>['demoLogins'] = [];
    if (config.seedOnStart) {
      const report = await runSeeds(app.get(DataSource), { people: app.get(PeopleService) }, { demo: config.demoMode, env: config.env });
      logins = report.demoLogins;
    }
    await app.listen({ port: config.port, host: config.host });
    const base = `http://localhost:${config.port}`;
    const lines = [
      '',
      `三共 Sangong 已启动（${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
      `  网页:     ${base}/`,
      config.apiDocs ? `  API 文档: ${base}/api/docs` : '  API 文档: 未开放（API_DOCS=false）',
      `  数据库:   ${db.embedded ? `嵌入式 PostgreSQL（${config.dataDir}/pg，端口 ${db.embedded.port}）` : 'DATABASE_URL'}`,
    ];
    if (config.demoMode && logins.length) {
      lines.push(`  演示账号（密码均为 ${DEMO_PASSWORD}，仅演示模式显示）:`);
      for (const l of logins) lines.push(`    ${l.phone}  ${l.role.padEnd(22)} ${l.divisionCode.padEnd(13)} ${l.realName}`);
    }
    lines.push('  按 Ctrl-C 停止', '');
    process.stdout.write(lines.join('\n') + '\n');
  } catch (err) {
    log.error({ err }, '启动失败');
    await stopEmbedded();
    process.exit(1);
  }
}

void main();
