import { randomInt } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { hashPassword } from '#identity';
import { ConfigError, createLogger, loadConfig, PiiCipher } from '#platform';
import { createDataSource } from '../apps/api/src/data-source.js';
import { runMigrations } from '../apps/api/src/runtime.js';
import { seedDivisions } from '../seeds/divisions.seed.js';
import { CITY_BENCH_PASSWORD, seedCity, writeManifest } from '../seeds/city/city.js';

// npm run seed:city [-- --scale 0.01] [--manifest FILE] [--allow-nonempty]
// Fills DATABASE_URL with a city's worth of generated data (issue 16). Never in production.
const args = process.argv.slice(2);
let scale = Number(process.env.CITY_SCALE ?? 1);
let manifest = path.resolve('city-manifest.json');
let allowNonEmpty = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--scale' && args[i + 1]) scale = Number(args[++i]);
  else if (args[i] === '--manifest' && args[i + 1]) manifest = path.resolve(args[++i]);
  else if (args[i] === '--allow-nonempty') allowNonEmpty = true;
  else {
    console.error(`用法：npm run seed:city [-- --scale 0.01] [--manifest 文件] [--allow-nonempty]；无法识别的参数 "${args[i]}"`);
    process.exit(2);
  }
}
if (!(scale > 0 && scale <= 1)) {
  console.error(`规模应在 0 到 1 之间（1 = 全市 150 万人），收到 ${scale}`);
  process.exit(2);
}

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
if (config.env === 'production') {
  console.error('生产环境（NODE_ENV=production）不能写入生成的全市数据');
  process.exit(2);
}
if (!config.databaseUrl) {
  console.error('请用 DATABASE_URL 指定要填充的数据库（全市数据不写入嵌入式数据库）');
  process.exit(2);
}
const url = config.databaseUrl;
const log = createLogger('warn');
const say = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

say(`迁移并写入行政区划：${new URL(url).pathname.slice(1)}`);
await runMigrations(url, config, log);
const ds = await createDataSource(url, { ...config, dbPoolSize: 2 }, log).initialize();
await seedDivisions(ds);
await ds.destroy();

const c = new pg.Client({ connectionString: url });
await c.connect();
const { rows: marks } = await c.query<{ name: string }>(`SELECT name FROM deployment_marker`);
const {
  rows: [held],
} = await c.query<{ tables: string[] }>(
  `SELECT array_remove(ARRAY[
     CASE WHEN EXISTS (SELECT 1 FROM person) THEN 'person' END,
     CASE WHEN EXISTS (SELECT 1 FROM proposal) THEN 'proposal' END,
     CASE WHEN EXISTS (SELECT 1 FROM mediation_case) THEN 'mediation_case' END,
     CASE WHEN EXISTS (SELECT 1 FROM collective_org) THEN 'collective_org' END,
     CASE WHEN EXISTS (SELECT 1 FROM disclosure) THEN 'disclosure' END,
     CASE WHEN EXISTS (SELECT 1 FROM audit_log) THEN 'audit_log' END], NULL) AS tables`,
);
await c.end();
if (marks.length) {
  console.error('该数据库以生产环境运行过（deployment_marker），拒绝写入生成的数据');
  process.exit(2);
}
if (held.tables.length && !allowNonEmpty) {
  console.error(`该数据库已有数据（${held.tables.join('、')}）；只在新数据库里生成，或加 --allow-nonempty 追加`);
  process.exit(2);
}

const pii = new PiiCipher(config.piiEncryptionKey, config.piiHashKey);
const passwordHash = await hashPassword(CITY_BENCH_PASSWORD);
say(`生成全市数据，规模 ${scale}`);
const report = await seedCity({ url, scale, pii, passwordHash, run: held.tables.length ? randomInt(2, 256) : 1, log: say });
writeManifest(manifest, report.manifest);

console.log('\n| 部分 | 行数 | 秒 | 行/秒 |\n| --- | ---: | ---: | ---: |');
for (const p of report.parts) {
  const rows = Object.values(p.rows).reduce((a, b) => a + b, 0);
  const detail = Object.entries(p.rows)
    .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
    .join(', ');
  console.log(
    `| ${p.part} | ${detail || '—'} | ${p.seconds.toFixed(1)} | ${p.seconds > 0 && rows ? Math.round(rows / p.seconds).toLocaleString('en-US') : '—'} |`,
  );
}
console.log(`\n共 ${(report.seconds / 60).toFixed(1)} 分钟；样例账号清单：${manifest}（所有生成账号的密码：${CITY_BENCH_PASSWORD}）`);
