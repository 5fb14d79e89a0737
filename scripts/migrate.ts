import { createLogger, loadConfig } from '#platform';
import { openDatabase, revertMigration, runMigrations } from '../apps/api/src/runtime.js';

const config = loadConfig();
const log = createLogger('info');
const db = await openDatabase(config, log);
try {
  if (process.argv[2] === 'revert') {
    await revertMigration(db.directUrl, config, log);
    console.log('已回滚最近一次迁移');
  } else {
    const ran = await runMigrations(db.directUrl, config, log);
    console.log(ran.length ? `已执行：${ran.join(', ')}` : '没有待执行的迁移');
  }
} finally {
  await db.embedded?.stop();
}
