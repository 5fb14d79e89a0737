import { AnchorFileError, AuditService, readAnchors, type AuditAnchor } from '#audit';
import { createLogger, DomainError, loadConfig } from '#platform';
import { createApp } from '../apps/api/src/bootstrap.js';
import { openDatabase } from '../apps/api/src/runtime.js';

// npm run audit:verify [-- --anchors FILE ...]: the chain, and every anchor of the files named (verify adds AUDIT_ANCHOR_FILE's).
const files: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--anchors' && args[i + 1]) files.push(args[++i]);
  else {
    console.error(`用法：npm run audit:verify [-- --anchors 锚点文件 ...]；无法识别的参数 "${args[i]}"`);
    process.exit(2);
  }
}

const config = { ...loadConfig(), jobsEnabled: false };
const anchors: AuditAnchor[] = [];
for (const f of files) {
  try {
    anchors.push(...(await readAnchors(f)));
  } catch (err) {
    console.error(`锚点文件 ${f} 无法使用：${err instanceof AnchorFileError ? err.message : (err as Error).message}`);
    process.exit(2);
  }
}

const log = createLogger('warn');
const db = await openDatabase(config, log);
let code = 0;
try {
  const app = await createApp({ ...config, databaseUrl: db.url }, { log });
  const audit = app.get(AuditService);
  await audit.seal();
  const r = await audit.verify(anchors).catch((err: unknown) => {
    if (err instanceof DomainError) return err; // a damaged AUDIT_ANCHOR_FILE
    throw err;
  });
  await app.close();
  if (r instanceof DomainError) {
    console.error(r.message);
    code = 2;
  } else if (r.ok) console.log(`审计链完整：已校验 ${r.checked} 行，未封存 ${r.unsealed} 行；锚点 ${r.anchorsMatched} 个相符`);
  else {
    const b = r.firstBroken!;
    console.error(`审计链断裂：第 ${b.seq} 号${b.id ? `（id ${b.id}）` : ''}，原因 ${b.reason}；此前 ${r.checked} 行完好`);
    code = 1;
  }
} finally {
  await db.embedded?.stop();
}
process.exit(code);
