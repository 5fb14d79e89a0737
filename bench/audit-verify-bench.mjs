// npm run bench:audit-verify — issue 16: `audit:verify` of the whole chain at ≥ 200,000 rows/s.
// Fills a fresh database with BENCH_AUDIT_ROWS (default 2,000,000) audit rows shaped like the app's (mostly ballots,
// logins, registrations; now and then quotes, backslashes, control characters, CJK and emoji), COPYs them in unsealed
// and seals them with the real sealer (audit_seal, as AuditService.seal calls it: the chain is computed by the
// database's code, the verifier recomputes it in Node.js). Then it times the real verify: `node dist/scripts/audit-verify.js`
// (what `npm run audit:verify` runs, app boot included; its peak RSS from /usr/bin/time) and AuditService.verify
// in-process; and checks that a tampered row is still named. BENCH_VERIFY_RUNS (default 3) runs of each.
// BENCH_AUDIT_DB_URL: verify an existing database's chain instead (e.g. one `npm run seed:city` filled): no fill,
// no tampering, nothing dropped.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { cpuSeconds, dist, fmt, freshDatabase } from './lib.mjs';

const EXISTING = process.env.BENCH_AUDIT_DB_URL;
let ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 2_000_000);
const RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 3);
const SEAL_BATCH = 50_000;
const KEEP = process.env.BENCH_KEEP_DB === '1';

const VILLAGES = ['140428101200', '140428101201', '140428102200', '140402001001', '140421100200'];
const AWKWARD = ['引号"与反斜杠\\', '换行\n回车\r制表\t', 'ctl\u0001\u001f\u007f', '斜杠/ 与 \u2028\u2029', '表情 🗳️ 投票'];

/** A value as COPY's text format takes it: \N for null; backslash, tab, newline and carriage return escaped. */
const copyText = (v) =>
  v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);

/** Row `i` of the filler: deterministic shapes, distinct uuids. */
function auditRow(i, accounts, proposals, t0) {
  const v = VILLAGES[i % VILLAGES.length];
  const account = accounts[i % accounts.length];
  const at = new Date(t0 + i * 7).toISOString(); // 7 ms apart: a few hours of a busy city
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const req = randomUUID();
  const kind = i % 20;
  let row;
  if (kind < 14) {
    const p = proposals[i % proposals.length];
    row = [
      account,
      'resident',
      v,
      'ballot.cast',
      'proposal',
      p,
      v,
      'success',
      req,
      ip,
      JSON.stringify({ proposalId: p, ballotType: 'secret' }),
    ];
  } else if (kind < 17) {
    row = [
      account,
      kind === 16 ? null : 'resident',
      v,
      'auth.login',
      'account',
      account,
      v,
      kind === 16 ? 'failure' : 'success',
      req,
      ip,
      null,
    ];
  } else if (kind < 19) {
    const person = randomUUID();
    row = [
      account,
      'village_committee,resident',
      v,
      'register.person_create',
      'person',
      person,
      v,
      'success',
      req,
      ip,
      JSON.stringify({ personId: person, household: `H${i}` }),
    ];
  } else {
    row = [
      null,
      null,
      null,
      'access.denied',
      null,
      null,
      null,
      'denied',
      req,
      ip,
      JSON.stringify({ route: '/api/v1/people', method: 'GET' }),
    ];
  }
  if (i % 997 === 0) {
    const text = AWKWARD[(i / 997) % AWKWARD.length];
    row[5] = `${text}#${i}`;
    row[10] = JSON.stringify({ text, nested: { list: [text, null, 1.5, true] } });
  }
  return `${at}\t${row.map(copyText).join('\t')}\n`;
}

async function fill(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const accounts = Array.from({ length: 5000 }, () => randomUUID());
  const proposals = Array.from({ length: 300 }, () => randomUUID());
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const started = performance.now();
  const CHUNK = 5000;
  async function* lines() {
    for (let i = 0; i < ROWS; i += CHUNK) {
      let s = '';
      for (let j = i; j < Math.min(ROWS, i + CHUNK); j++) s += auditRow(j, accounts, proposals, t0);
      yield s;
    }
  }
  await pipeline(
    Readable.from(lines()),
    client.query(
      copyStreams.from(
        `COPY audit_log (occurred_at, account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip, details) FROM STDIN`,
      ),
    ),
  );
  const copied = performance.now();
  // The real sealer, batch after batch (AuditService.seal runs the same function under its advisory lock).
  let sealed = 0;
  for (;;) {
    const { rows } = await client.query('SELECT audit_seal($1) AS n', [SEAL_BATCH]);
    sealed += rows[0].n;
    if (rows[0].n < SEAL_BATCH) break;
  }
  const done = performance.now();
  await client.query('VACUUM ANALYZE audit_log');
  const { rows: size } = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('audit_log')) AS s`);
  await client.end();
  return { copySeconds: (copied - started) / 1000, sealSeconds: (done - copied) / 1000, sealed, size: size[0].s };
}

/** `node dist/scripts/audit-verify.js` under /usr/bin/time: wall seconds, peak RSS, its output. */
async function verifyScript(url) {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M cpu_s=%U+%S', process.execPath, dist('scripts/audit-verify.js')], {
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: url, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - t0) / 1000;
  const m = /maxrss_kb=(\d+) cpu_s=([\d.]+)\+([\d.]+)/.exec(err);
  return {
    code,
    seconds,
    maxRssMb: m ? Number(m[1]) / 1024 : NaN,
    cpuSeconds: m ? Number(m[2]) + Number(m[3]) : NaN,
    out: out.trim(),
    err: err.replace(/maxrss_kb=.*\n?/, '').trim(),
  };
}

/** The server processes of the app's connections to this database (the verify's pool). */
async function backendPids(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  await c.end();
  return rows.map((r) => r.pid);
}
const backendCpu = (pids) => new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
/** CPU seconds the backends used since `before` (a connection opened meanwhile counts from its start). */
const backendCpuSince = (before, pids) => pids.reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
let db;
if (EXISTING) {
  const { loadConfig } = await import(dist('libs/platform/src/index.js'));
  db = { url: EXISTING, config: loadConfig({ NODE_ENV: 'development', DATABASE_URL: EXISTING }), drop: async () => undefined };
  const c = new pg.Client({ connectionString: EXISTING });
  await c.connect();
  ROWS = Number((await c.query('SELECT count(*) AS n FROM audit_log WHERE seq IS NOT NULL')).rows[0].n);
  await c.end();
  console.log(`bench:audit-verify — the existing chain of ${ROWS.toLocaleString('en')} rows; load average ${load()}`);
} else {
  console.log(`bench:audit-verify — ${ROWS.toLocaleString('en')} rows; load average ${load()}`);
  db = await freshDatabase('auditbench');
}
try {
  if (!EXISTING) {
    const f = await fill(db.url);
    console.log(
      `fill: COPY ${fmt(f.copySeconds)} s (${Math.round(ROWS / f.copySeconds).toLocaleString('en')} rows/s), ` +
        `audit_seal ${fmt(f.sealSeconds)} s (${Math.round(f.sealed / f.sealSeconds).toLocaleString('en')} rows/s), table ${f.size}`,
    );
    if (f.sealed !== ROWS) throw new Error(`sealed ${f.sealed} of ${ROWS}`);
  }

  const scriptRuns = [];
  for (let r = 0; r < RUNS; r++) {
    const s = await verifyScript(db.url);
    if (s.code !== 0 || !s.out.includes(`已校验 ${ROWS} 行`)) throw new Error(`audit-verify.js: exit ${s.code}: ${s.out} ${s.err}`);
    scriptRuns.push(s);
    console.log(
      `npm run audit:verify (node dist/scripts/audit-verify.js): ${fmt(s.seconds, 2)} s, ${Math.round(ROWS / s.seconds).toLocaleString('en')} rows/s end to end, ` +
        `peak RSS ${fmt(s.maxRssMb, 0)} MB, CPU ${fmt(s.cpuSeconds, 2)} s (boot included) — "${s.out}"`,
    );
  }

  // In-process: AuditService.verify alone (no boot), the figure the target is about.
  const { createApp } = await import(dist('apps/api/src/bootstrap.js'));
  const { AuditService } = await import(dist('libs/audit/src/index.js'));
  const { createLogger } = await import(dist('libs/platform/src/index.js'));
  const app = await createApp({ ...db.config, jobsEnabled: false, databaseUrl: db.url }, { log: createLogger('warn') });
  const audit = app.get(AuditService);
  const rates = [];
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 50);
  try {
    for (let r = 0; r < RUNS; r++) {
      const rssBefore = process.memoryUsage.rss();
      rssPeak = rssBefore;
      const pg0 = backendCpu(await backendPids(db.url));
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const v = await audit.verify();
      const s = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const pgCpu = backendCpuSince(pg0, await backendPids(db.url));
      if (!v.ok || v.checked !== ROWS) throw new Error(`verify: ${JSON.stringify(v)}`);
      rates.push(ROWS / s);
      console.log(
        `AuditService.verify in-process: ${fmt(s, 2)} s, ${Math.round(ROWS / s).toLocaleString('en')} rows/s; ` +
          `CPU per row: Node.js ${fmt((cpu.user + cpu.system) / ROWS, 2)} µs, PostgreSQL ${fmt((pgCpu * 1e6) / ROWS, 2)} µs; ` +
          `RSS ${fmt(rssBefore / 2 ** 20, 0)} MB before, peak ${fmt(rssPeak / 2 ** 20, 0)} MB`,
      );
    }
    if (!EXISTING) {
      // Still catches tampering at the far end of the chain: a result rewritten in the last 1% of the rows.
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const victimSeq = Math.floor(ROWS * 0.995);
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard');
      await c.query(`UPDATE audit_log SET result = CASE result WHEN 'denied' THEN 'success' ELSE 'denied' END WHERE seq = $1`, [victimSeq]);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard');
      await c.end();
      const t0 = performance.now();
      const v = await audit.verify();
      const s = (performance.now() - t0) / 1000;
      if (v.ok || v.firstBroken?.seq !== String(victimSeq) || v.firstBroken.reason !== 'hash_mismatch') {
        throw new Error(`tamper not found: ${JSON.stringify(v)}`);
      }
      console.log(
        `tampered row ${victimSeq}: named (${v.firstBroken.reason}) after ${v.checked.toLocaleString('en')} rows in ${fmt(s, 2)} s`,
      );
    }
  } finally {
    clearInterval(sampler);
    await app.close();
  }
  rates.sort((a, b) => a - b);
  const best = rates[rates.length - 1];
  console.log(
    `verify: median ${Math.round(rates[Math.floor(rates.length / 2)]).toLocaleString('en')} rows/s, best ${Math.round(best).toLocaleString('en')} rows/s ` +
      `(target ≥ 200,000): ${rates[Math.floor(rates.length / 2)] >= 200_000 ? 'met' : 'MISSED'}; load average ${load()}`,
  );
} finally {
  if (KEEP && !EXISTING) console.log(`database kept: ${db.url}`);
  else await db.drop();
}
process.exit(0);
