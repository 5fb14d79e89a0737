import { AuditService } from '#audit';
import { createLogger, loadConfig } from '#platform';
import { createApp } from '../apps/api/src/bootstrap.js';
import { openDatabase } from '../apps/api/src/runtime.js';

const config = { ...loadConfig(), jobsEnabled: false };
const log = createLogger('warn');
const db = await openDatabase(config, log);
let code = 0;
try {
  const app = await createApp({ ...config, databaseUrl: db.url }, { log });
  const audit = app.get(AuditService);
  await audit.seal();
  const r = await audit.verify();
  await app.close();
  if (r.ok) console.log(`审计链完整：已校验 ${r.checked} 行，未封存 ${r.unsealed} 行`);
  else {
    console.error(`审计链断裂：第 ${r.firstBroken!.seq} 号（id ${r.firstBroken!.id}），原因 ${r.firstBroken!.reason}；此前 ${r.checked} 行完好`);
    code = 1;
  }
} finally {
  await db.embedded?.stop();
}
process.exit(code);
