// npm run test:topology — the city's deployment on this machine, from Debian's packages and the
// machine's PostgreSQL 15 (decision 060, docs/scaling.md):
//   a primary cluster and a streaming replica of it (pg_basebackup -R), each on a free port of its own;
//   PgBouncer in transaction mode in front of the primary;
//   three app processes (dist/apps/api/src/main.js, NODE_ENV=production, jobs on) behind one HAProxy port,
//   DATABASE_URL → PgBouncer, DATABASE_DIRECT_URL → the primary, DATABASE_READ_URL → the replica.
// Then it proves, on the data: (a) ballots through all three processes, none lost or doubled; (b) a role
// revoked through one process is refused by every process on the next request; (c) each periodic job runs
// once per tick across the processes; (d) statistics come from the replica, from the primary while the
// replica is down, and from the replica again; (e) the primary restarted under load loses no acknowledged
// ballot and answers clean 503s meanwhile. Exits non-zero on any failed check; stops everything it started.
// It leaves the machine's own PostgreSQL (5432) alone. Needs the build: npx tsc -p tsconfig.build.json.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { dist, fmt, insertPeople, LeanHttpConnection, mintToken, openSessions, percentile } from '../../bench/lib.mjs';

const run = promisify(execFile);
const PG_BIN = process.env.TOPOLOGY_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PGBOUNCER = process.env.TOPOLOGY_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const HAPROXY = process.env.TOPOLOGY_HAPROXY ?? '/usr/sbin/haproxy';
const VOTERS = Number(process.env.TOPOLOGY_VOTERS ?? 3000);
const CONNS = 50;
const APPS = 3;
const KEEP = process.env.TOPOLOGY_KEEP === '1';
/** The app's default: how long a cached answer (a report from the replica among them) may be served without a notification. */
const READ_CACHE_SECONDS = 5;
const TOWNSHIP = '140428101';
const STATEMENT_TIMEOUT_MS = 15000;

const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
const say = (m) => console.log(`[${since()}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The replica's lag over the samples: the time from reading the primary's WAL position to the replica having
 * replayed it (two loopback round trips included), and the bytes behind at the replica's first answer.
 */
function lagFigures(samples) {
  const pick = (k) => samples.map((x) => x[k]).sort((a, b) => a - b);
  const ms = pick('ms');
  const bytes = pick('bytes');
  const mid = (xs) => xs[Math.floor(xs.length / 2)] ?? null;
  return {
    samples: samples.length,
    p50ms: mid(ms) === null ? null : Math.round(mid(ms) * 10) / 10,
    maxMs: ms.length ? Math.round(ms.at(-1) * 10) / 10 : null,
    p50Bytes: mid(bytes),
    maxBytes: bytes.at(-1) ?? null,
  };
}

// ---------- checks ----------
const failures = [];
const figures = {};
function check(name, ok, detail) {
  console.log(
    `  ${ok ? '✓' : '✗'} ${name}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`,
  );
  if (!ok) failures.push(name);
}

// ---------- what we started, stopped in reverse on any exit ----------
const stops = [];
let stopping = null;
function stopAll() {
  stopping ??= (async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (e) {
        console.error(`stop: ${e.message}`);
      }
    }
  })();
  return stopping;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`${sig}: stopping everything`);
    void stopAll().then(() => process.exit(130));
  });
}

// ---------- processes ----------
const root = process.getuid?.() === 0;
/** PostgreSQL's and PgBouncer's programs refuse root: run them as the postgres user. */
const asPostgres = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);

async function sh(cmd, args, opts = {}) {
  const [c, a] = opts.asPostgres ? asPostgres(cmd, args) : [cmd, args];
  try {
    return (await run(c, a, { maxBuffer: 1 << 24, cwd: opts.cwd ?? '/tmp' })).stdout;
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeoutMs = 30000, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function spawnLogged(name, cmd, args, env, logFile) {
  const out = openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, stdio: ['ignore', out, out] });
  child.on('exit', (code, sig) => {
    if (stopping) return;
    console.log(`[${since()}] ${name} exited (${code ?? sig}); the end of its log:`);
    console.log(readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
    failures.push(`${name} exited (${code ?? sig})`);
  });
  return child;
}

async function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGCONT'); // a process frozen by check (c) must wake up to hear the signal
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await once(child, 'exit');
  clearTimeout(timer);
}

// ---------- PostgreSQL ----------
const pgctl = (dir, ...args) => sh(path.join(PG_BIN, 'pg_ctl'), ['-D', dir, ...args], { asPostgres: true });
const url = (port, db = 'sangong', user = 'sangong') => `postgres://${user}@127.0.0.1:${port}/${db}`;

async function query(connectionString, text, params = []) {
  const c = new pg.Client({ connectionString });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

// ---------- HTTP ----------
/** A lean keep-alive connection (bench/lib.mjs) that survives a dropped socket and gives up on a hung answer. */
class Conn {
  constructor(base, timeoutMs = 20000) {
    this.base = base;
    this.timeoutMs = timeoutMs;
    this.c = null;
  }
  async open() {
    this.c = new LeanHttpConnection(this.base);
    await this.c.open();
    return this;
  }
  async request(method, p, opts) {
    if (!this.c) await this.open().catch(() => (this.c = null));
    if (!this.c) return { status: 0, body: { error: 'cannot connect' } };
    let timer;
    try {
      return await Promise.race([
        this.c.request(method, p, opts),
        new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), this.timeoutMs))),
      ]);
    } catch (e) {
      this.c.close();
      this.c = null;
      return { status: e.message === 'timeout' ? -1 : 0, body: { error: e.message } };
    } finally {
      clearTimeout(timer);
    }
  }
  close() {
    this.c?.close();
  }
}

const connections = (base, n) => Promise.all(Array.from({ length: n }, () => new Conn(base).open()));

async function getJson(base, p, token) {
  const res = await fetch(base + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a proxy's own page)
  }
  return { status: res.status, body };
}

async function postJson(base, p, token, json) {
  const res = await fetch(base + p, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Every voter in `tokens` casts one ballot over `conns`; `during` runs alongside (the primary's restart). */
async function castBallots(conns, proposalId, tokens) {
  const outcome = new Array(tokens.length);
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const choices = ['yes', 'no', 'abstain'];
  await Promise.all(
    conns.map(async (conn) => {
      for (;;) {
        const i = next++;
        if (i >= tokens.length) return;
        const a = performance.now();
        const res = await conn.request('POST', `/api/v1/proposals/${proposalId}/ballots`, {
          token: tokens[i],
          json: { choice: choices[i % 3] },
        });
        latencies.push(performance.now() - a);
        outcome[i] = {
          status: res.status,
          code: res.body?.code,
          receipt: res.status === 201 ? res.body.receiptCode : null,
          at: performance.now(),
        };
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const accepted = outcome.filter((o) => o.status === 201).length;
  const byStatus = {};
  for (const o of outcome)
    if (o.status !== 201) byStatus[`${o.status} ${o.code ?? ''}`.trim()] = (byStatus[`${o.status} ${o.code ?? ''}`.trim()] ?? 0) + 1;
  return {
    outcome,
    seconds,
    accepted,
    byStatus,
    ballotsPerSecond: Number(fmt(accepted / seconds)),
    p50ms: Number(fmt(percentile(latencies, 50))),
    p99ms: Number(fmt(percentile(latencies, 99))),
    maxMs: Number(fmt(latencies[latencies.length - 1] ?? 0)),
  };
}

/** One vote's rows against the receipts the app gave: none lost, none doubled. */
async function ballotRows(directUrl, voteId, receipts) {
  const [c] = await query(
    directUrl,
    `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS participations,
            (SELECT count(DISTINCT person_id)::int FROM ballot_participation WHERE vote_id = $1) AS voters,
            (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1) AS choices,
            (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1 AND receipt_code = ANY($2::text[])) AS receipts_found,
            (SELECT count(DISTINCT receipt_code)::int FROM ballot_choice WHERE vote_id = $1) AS distinct_receipts,
            (SELECT count(*)::int FROM audit_log WHERE action = 'ballot.cast' AND target_id = $1::text) AS audit_rows`,
    [voteId, receipts],
  );
  return { ...c, lost: receipts.length - c.receipts_found, duplicates: c.participations - c.voters };
}

async function setUpVote(directUrl, village) {
  const [p] = await query(
    directUrl,
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, '拓扑测试议题', '拓扑测试', 'public_welfare', 'villagers_meeting', 'secret', 'voting', now() - interval '8 days', now() - interval '9 days', now())
     RETURNING id`,
    [village],
  );
  const [v] = await query(
    directUrl,
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
     VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now() - interval '1 minute', now() + interval '2 hours', current_date, 0, 0) RETURNING id`,
    [p.id],
  );
  await query(
    directUrl,
    `WITH e AS (INSERT INTO vote_elector (vote_id, person_id, household_no)
       SELECT $1, g.person_id, p.household_no FROM role_grant g JOIN person p ON p.id = g.person_id
        WHERE g.division_code = $2 AND g.role = 'resident' AND g.revoked_at IS NULL RETURNING household_no)
     UPDATE vote SET electorate = (SELECT count(*) FROM e), households = (SELECT count(DISTINCT household_no) FROM e) WHERE id = $1`,
    [v.id, village],
  );
  return { proposalId: p.id, voteId: v.id };
}

// ---------- HAProxy's per-server request counts ----------
async function requestsPerApp(statsBase) {
  const csv = await (await fetch(`${statsBase}/stats;csv`)).text();
  const [head, ...lines] = csv.replace(/^# /, '').trim().split('\n');
  const cols = head.split(',');
  const out = {};
  for (const l of lines) {
    const f = l.split(',');
    if (f[0] === 'apps' && f[1].startsWith('app')) out[f[1]] = Number(f[cols.indexOf('req_tot')] || f[cols.indexOf('stot')]);
  }
  return out;
}

// =====================================================================================================
async function main() {
  for (const bin of [path.join(PG_BIN, 'initdb'), PGBOUNCER, HAPROXY, dist('apps/api/src/main.js')]) {
    if (!existsSync(bin))
      throw new Error(`missing ${bin} (PostgreSQL 15, pgbouncer and haproxy from Debian; the build: npx tsc -p tsconfig.build.json)`);
  }
  const work = mkdtempSync('/tmp/sangong-topology-');
  chmodSync(work, 0o755);
  if (root) {
    const { uid, gid } = await sh('id', ['-u', 'postgres']).then(async (u) => ({
      uid: Number(u),
      gid: Number(await sh('id', ['-g', 'postgres'])),
    }));
    chownSync(work, uid, gid);
  }
  stops.push(async () => {
    if (KEEP || failures.length) console.log(`kept ${work} (its *.log files tell what each part did)`);
    else rmSync(work, { recursive: true, force: true });
  });
  const ports = {
    primary: await freePort(),
    replica: await freePort(),
    bouncer: await freePort(),
    proxy: await freePort(),
    stats: await freePort(),
  };
  const appPorts = [];
  for (let i = 0; i < APPS; i++) appPorts.push(await freePort());
  say(`work dir ${work}; ports ${JSON.stringify({ ...ports, apps: appPorts })}`);

  // ---- primary ----
  const primaryDir = path.join(work, 'primary');
  const replicaDir = path.join(work, 'replica');
  await sh(path.join(PG_BIN, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    asPostgres: true,
  });
  writeFileSync(
    path.join(primaryDir, 'postgresql.conf'),
    readFileSync(path.join(primaryDir, 'postgresql.conf'), 'utf8') +
      `\n# test:topology
listen_addresses = '127.0.0.1'
port = ${ports.primary}
unix_socket_directories = '${work}'
max_connections = 200
wal_level = replica
max_wal_senders = 4
hot_standby = on
# counts every call of audit_seal() (check c)
track_functions = 'pl'
`,
  );
  await pgctl(primaryDir, '-l', path.join(work, 'primary.log'), '-w', 'start');
  stops.push(() => pgctl(primaryDir, '-m', 'immediate', 'stop').catch(() => undefined));
  const superPrimary = url(ports.primary, 'postgres', 'postgres');
  // The app's role: its timeouts are role settings, since PgBouncer refuses them at connect (decision 060).
  await query(superPrimary, `CREATE ROLE sangong LOGIN`);
  await query(superPrimary, `ALTER ROLE sangong SET statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
  await query(superPrimary, `ALTER ROLE sangong SET idle_in_transaction_session_timeout = ${Math.max(STATEMENT_TIMEOUT_MS * 2, 60000)}`);
  await query(superPrimary, `CREATE DATABASE sangong OWNER sangong`);
  const direct = url(ports.primary);
  say('primary up; migrating and seeding the divisions through the direct connection');
  const { loadConfig, createLogger } = await import(dist('libs/platform/src/index.js'));
  const { runMigrations } = await import(dist('apps/api/src/runtime.js'));
  const { createDataSource } = await import(dist('apps/api/src/data-source.js'));
  const { seedDivisions } = await import(dist('seeds/divisions.seed.js'));
  const migrateConfig = loadConfig({ NODE_ENV: 'development', DATABASE_URL: direct });
  const quiet = createLogger('warn');
  const ran = await runMigrations(direct, migrateConfig, quiet);
  const ds = await createDataSource(direct, { ...migrateConfig, dbPoolSize: 2 }, quiet).initialize();
  await seedDivisions(ds);
  await ds.destroy();
  say(`${ran.length} migrations, divisions seeded`);

  // ---- people, sessions and votes (before the base backup, so the replica starts with them) ----
  const villages = (await query(direct, `SELECT code FROM division WHERE parent_code = $1 ORDER BY code LIMIT 4`, [TOWNSHIP])).map(
    (r) => r.code,
  );
  if (villages.length < 3) throw new Error(`township ${TOWNSHIP} has fewer than 3 villages`);
  const [villageA, villageE, villageS] = villages;
  const c = new pg.Client({ connectionString: direct });
  c.on('error', () => undefined);
  await c.connect();
  await insertPeople(c, VOTERS, { village: villageA, tag: 'a' });
  const sessionsA = await openSessions(c, villageA);
  await insertPeople(c, VOTERS, { village: villageE, tag: 'e' });
  const sessionsE = await openSessions(c, villageE);
  await insertPeople(c, 3, { village: villageS, tag: 's' });
  await openSessions(c, villageS);
  const people = Object.fromEntries(
    (
      await c.query(
        `SELECT p.real_name AS name, p.id AS "personId", a.id AS "accountId", s.id AS "sessionId"
           FROM person p JOIN account a ON a.person_id = p.id JOIN auth_session s ON s.account_id = a.id
          WHERE p.home_division_code = $1`,
        [villageS],
      )
    ).rows.map((r) => [r.name, r]),
  );
  const admin = people['压测1'];
  const statsViewer = people['压测2'];
  const target = people['压测3'];
  await c.query(`INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, 'city_admin', '1404'), ($2, 'township_staff', $3)`, [
    admin.personId,
    statsViewer.personId,
    TOWNSHIP,
  ]);
  await c.query('ANALYZE');
  await c.end();
  const voteA = await setUpVote(direct, villageA);
  const voteA2 = await setUpVote(direct, villageA);
  const voteE = await setUpVote(direct, villageE);

  // ---- replica ----
  await sh(
    path.join(PG_BIN, 'pg_basebackup'),
    ['-h', '127.0.0.1', '-p', String(ports.primary), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '-c', 'fast'],
    {
      asPostgres: true,
    },
  );
  writeFileSync(
    path.join(replicaDir, 'postgresql.conf'),
    readFileSync(path.join(replicaDir, 'postgresql.conf'), 'utf8') + `\nport = ${ports.replica}\n`,
  );
  const startReplica = () => pgctl(replicaDir, '-l', path.join(work, 'replica.log'), '-w', 'start');
  await startReplica();
  stops.push(() => pgctl(replicaDir, '-m', 'immediate', 'stop').catch(() => undefined));
  const superReplica = url(ports.replica, 'sangong', 'postgres');
  await waitFor(
    'streaming replication',
    async () => (await query(superPrimary, `SELECT state FROM pg_stat_replication`))[0]?.state === 'streaming',
  );
  check(
    'the replica is a hot standby streaming from the primary',
    (await query(superReplica, 'SELECT pg_is_in_recovery() AS r'))[0].r === true,
  );

  // ---- PgBouncer (transaction mode) ----
  writeFileSync(path.join(work, 'userlist.txt'), `"sangong" ""\n"postgres" ""\n`);
  writeFileSync(
    path.join(work, 'pgbouncer.ini'),
    `[databases]
sangong = host=127.0.0.1 port=${ports.primary} dbname=sangong

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${ports.bouncer}
unix_socket_dir =
auth_type = trust
auth_file = ${work}/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
reserve_pool_size = 5
server_login_retry = 1
query_wait_timeout = 30
ignore_startup_parameters = extra_float_digits
logfile = ${work}/pgbouncer.log
pidfile = ${work}/pgbouncer.pid
admin_users = postgres
`,
  );
  const [bc, ba] = asPostgres(PGBOUNCER, [path.join(work, 'pgbouncer.ini')]);
  const bouncer = spawnLogged('pgbouncer', bc, ba, process.env, path.join(work, 'pgbouncer.out'));
  stops.push(() => stopChild(bouncer));
  const pooled = url(ports.bouncer);
  await waitFor('PgBouncer', async () => (await query(pooled, 'SELECT 1 AS one'))[0].one === 1);
  // Why the app must not send its timeouts at connect through PgBouncer 1.18, and where they come from instead.
  let refusal = null;
  const probe = new pg.Client({ connectionString: pooled, statement_timeout: 1000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.end();
  } catch (e) {
    refusal = e.message;
  }
  check('PgBouncer 1.18 refuses a timeout sent at connect', refusal !== null, refusal ?? 'accepted');
  const [{ statement_timeout: pooledTimeout }] = await query(pooled, 'SHOW statement_timeout');
  check('a pooled connection runs with the role’s statement timeout', pooledTimeout === `${STATEMENT_TIMEOUT_MS / 1000}s`, pooledTimeout);

  // ---- three app processes ----
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    PII_HASH_KEY: randomBytes(32).toString('hex'),
  };
  const jwt = { jwtSecret: secrets.JWT_SECRET, jwtIssuer: 'sangong', jwtAudience: 'sangong-web' };
  const apps = appPorts.map((port, i) => {
    const env = {
      ...process.env,
      ...secrets,
      NODE_ENV: 'production',
      SMS_PROVIDER: 'log',
      DATABASE_URL: pooled,
      DATABASE_DIRECT_URL: direct,
      DATABASE_READ_URL: url(ports.replica),
      DB_POOL_SIZE: '10',
      DB_READ_RETRY_SECONDS: '2',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      PORT: String(port),
      HOST: '127.0.0.1',
      RUN_MIGRATIONS: 'false',
      SEED_ON_START: 'false',
      DEMO_MODE: 'false',
      JOBS_ENABLED: 'true',
      TRUST_PROXY: 'true',
      LOGIN_IP_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
      READ_CACHE_SECONDS: String(READ_CACHE_SECONDS),
    };
    const log = path.join(work, `app${i + 1}.log`);
    const child = spawnLogged(`app${i + 1}`, process.execPath, [dist('apps/api/src/main.js')], env, log);
    stops.push(() => stopChild(child));
    return { name: `app${i + 1}`, base: `http://127.0.0.1:${port}`, child, log };
  });
  await Promise.all(apps.map((a) => waitFor(`${a.name} /health`, async () => (await fetch(`${a.base}/health`)).ok, 60000, 200)));
  say('three app processes up');

  // ---- HAProxy ----
  writeFileSync(
    path.join(work, 'haproxy.cfg'),
    `global
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
listen stats
  bind 127.0.0.1:${ports.stats}
  stats enable
  stats uri /stats
frontend sangong
  bind 127.0.0.1:${ports.proxy}
  default_backend apps
backend apps
  balance roundrobin
  # A process is alive when it answers /health at all: 503 means the database is down for every process alike.
  option httpchk GET /health
  http-check expect rstatus ^(200|503)$
  default-server inter 1s fall 2 rise 1
${appPorts.map((p, i) => `  server app${i + 1} 127.0.0.1:${p} check`).join('\n')}
`,
  );
  const proxy = spawnLogged('haproxy', HAPROXY, ['-db', '-f', path.join(work, 'haproxy.cfg')], process.env, path.join(work, 'haproxy.log'));
  stops.push(() => stopChild(proxy));
  const front = `http://127.0.0.1:${ports.proxy}`;
  const statsBase = `http://127.0.0.1:${ports.stats}`;
  await waitFor('HAProxy', async () => (await fetch(`${front}/health`)).ok);
  say(`HAProxy on ${front} in front of ${appPorts.join(', ')}`);

  // ======== (a) ballots through all three processes ========
  console.log(`\n(a) ${VOTERS} ballots through HAProxy at ${CONNS} connections`);
  const tokensA = sessionsA.map((s) => mintToken(jwt, s));
  const before = await requestsPerApp(statsBase);
  const conns = await connections(front, CONNS);
  // The replica's lag while the ballots stream in, every 100 ms: the WAL position the primary has written,
  // then how long until the replica has replayed it (what a report read from it can miss), on connections
  // held open for the purpose.
  const lag = [];
  let sampling = true;
  const onPrimary = new pg.Client({ connectionString: direct });
  const onReplica = new pg.Client({ connectionString: url(ports.replica) });
  await Promise.all([onPrimary.connect(), onReplica.connect()]);
  const sampler = (async () => {
    while (sampling) {
      const t0 = performance.now();
      const [{ lsn }] = (await onPrimary.query(`SELECT pg_current_wal_lsn() AS lsn`)).rows;
      let firstBehind = null;
      for (;;) {
        const [r] = (await onReplica.query(`SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::bigint AS behind`, [lsn])).rows;
        firstBehind ??= Math.max(0, Number(r.behind));
        if (Number(r.behind) <= 0 || performance.now() - t0 > 10_000) break;
      }
      lag.push({ ms: performance.now() - t0, bytes: firstBehind });
      await sleep(100);
    }
  })();
  const a = await castBallots(conns, voteA.proposalId, tokensA);
  sampling = false;
  await sampler;
  await Promise.all([onPrimary.end(), onReplica.end()]);
  const after = await requestsPerApp(statsBase);
  const perApp = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
  const rowsA = await ballotRows(
    direct,
    voteA.voteId,
    a.outcome.filter((o) => o.receipt).map((o) => o.receipt),
  );
  figures.a = {
    voters: VOTERS,
    accepted: a.accepted,
    refused: a.byStatus,
    ballotsPerSecond: a.ballotsPerSecond,
    p50ms: a.p50ms,
    p99ms: a.p99ms,
    requestsPerApp: perApp,
    rows: rowsA,
    replicaLag: lagFigures(lag),
  };
  console.log(
    `  ${a.accepted}/${VOTERS} accepted in ${fmt(a.seconds, 2)} s: ${a.ballotsPerSecond} ballots/s, p50 ${a.p50ms} ms, p99 ${a.p99ms} ms; requests per process ${JSON.stringify(perApp)}`,
  );
  console.log(`  the replica's replay lag meanwhile: ${JSON.stringify(figures.a.replicaLag)}`);
  check('the replica was streaming throughout (sampled every 100 ms)', lag.length > 0, lag.length);
  check('every voter’s ballot accepted', a.accepted === VOTERS, a.byStatus);
  check(
    'all three processes took ballots',
    Object.keys(perApp).length === APPS && Object.values(perApp).every((n) => n > VOTERS / APPS / 3),
    perApp,
  );
  check('0 lost: every receipt given is in the database', rowsA.lost === 0, rowsA);
  check(
    '0 duplicated: one participation per voter, one choice per participation',
    rowsA.duplicates === 0 &&
      rowsA.choices === rowsA.participations &&
      rowsA.participations === a.accepted &&
      rowsA.distinct_receipts === rowsA.choices,
  );
  check('one audit row per ballot', rowsA.audit_rows === a.accepted, rowsA.audit_rows);
  // "Needs my vote" of 20 voters, read through HAProxy (so by every process) before and after their ballots
  // of the second vote: each process caches it per person (decision 066) and must drop it when any process
  // takes the ballot.
  const awaited = async () => {
    const listed = [];
    for (const token of tokensA.slice(0, 20))
      for (let i = 0; i < APPS; i++) {
        const r = await getJson(front, `/api/v1/proposals?needsMyVote=true&pageSize=20`, token);
        listed.push(r.status === 200 && r.body.items.some((p) => p.id === voteA2.proposalId));
      }
    return listed;
  };
  const awaitedBefore = await awaited();
  // The same voters on a second vote right after: their sessions are now in every process's cache.
  const a2 = await castBallots(conns, voteA2.proposalId, tokensA);
  const awaitedAfter = await awaited();
  console.log(
    `  needs my vote through every process: listed ${awaitedBefore.filter(Boolean).length}/${awaitedBefore.length} before the ballots, ${awaitedAfter.filter(Boolean).length}/${awaitedAfter.length} right after`,
  );
  check('needs my vote lists the open vote in every process before the ballot', awaitedBefore.every(Boolean), awaitedBefore);
  check(
    '…and in no process right after the ballot (cached per person, dropped by the ballot’s notification)',
    !awaitedAfter.some(Boolean),
    awaitedAfter,
  );
  const rowsA2 = await ballotRows(
    direct,
    voteA2.voteId,
    a2.outcome.filter((o) => o.receipt).map((o) => o.receipt),
  );
  figures.a.secondVoteSessionsCached = {
    accepted: a2.accepted,
    ballotsPerSecond: a2.ballotsPerSecond,
    p50ms: a2.p50ms,
    p99ms: a2.p99ms,
    rows: rowsA2,
  };
  console.log(
    `  a second vote, sessions cached: ${a2.accepted}/${VOTERS} in ${fmt(a2.seconds, 2)} s: ${a2.ballotsPerSecond} ballots/s, p50 ${a2.p50ms} ms, p99 ${a2.p99ms} ms`,
  );
  check(
    'second vote: all accepted, 0 lost, 0 duplicated',
    a2.accepted === VOTERS && rowsA2.lost === 0 && rowsA2.duplicates === 0 && rowsA2.choices === VOTERS,
    rowsA2,
  );
  const again = await castBallots(conns.slice(0, 10), voteA.proposalId, tokensA.slice(0, 200));
  check(
    'the same 200 voters again: every one refused, none added',
    again.accepted === 0 && (await ballotRows(direct, voteA.voteId, [])).participations === a.accepted,
    again.byStatus,
  );

  // ======== (b) a role revoked in one process, refused by the others ========
  // Decision 005: the revoke answers once every process's LISTEN connection has read its NOTIFY
  // (SessionCache.reachEveryProcess), so each process refuses the very next request. Each process is asked
  // right after the 204 (and again, to report how long a stale answer would have lasted, should one occur).
  console.log('\n(b) a role revoked through one process, refused by every process (directly and through HAProxy)');
  const adminToken = mintToken(jwt, admin);
  const targetToken = mintToken(jwt, target);
  const everywhere = [...apps.map((x) => [x.name, x.base]), ['haproxy', front]];
  const grantsPath = `/api/v1/grants?divisionCode=${villageS}`;
  const rounds = [];
  for (let round = 0; round < 6; round++) {
    const via = apps[round % APPS];
    const granted = await postJson(via.base, '/api/v1/grants', adminToken, {
      personId: target.personId,
      role: 'village_committee',
      divisionCode: villageS,
    });
    if (granted.status !== 201) throw new Error(`grant: ${granted.status} ${JSON.stringify(granted.body)}`);
    // Every process now serves the target's session, with the grant, from its cache (once the grant's own notification is in).
    const warm = await Promise.all(
      everywhere.map(async ([, base]) => {
        const end = performance.now() + 2000;
        for (;;) {
          const { status } = await getJson(base, grantsPath, targetToken);
          if (status === 200 || performance.now() > end) return status;
        }
      }),
    );
    const revoked = await postJson(via.base, `/api/v1/grants/${granted.body.id}/revoke`, adminToken, {});
    const answeredAt = performance.now();
    const after = await Promise.all(
      everywhere.map(async ([name, base]) => {
        const statuses = [];
        for (;;) {
          const r = await getJson(base, grantsPath, targetToken);
          statuses.push(r.status);
          if (r.status !== 200 || performance.now() - answeredAt > 2000) {
            return {
              name,
              first: statuses[0],
              last: r.status,
              code: r.body?.code,
              stale: statuses.length - 1,
              ms: Number(fmt(performance.now() - answeredAt)),
            };
          }
        }
      }),
    );
    rounds.push({ revokedVia: via.name, warm, revoke: revoked.status, after });
  }
  const servedStale = rounds.flatMap((r) =>
    r.after.filter((x) => x.first === 200).map((x) => ({ via: r.revokedVia, at: x.name, stale: x.stale, ms: x.ms })),
  );
  const firstRequests = rounds.reduce((n, r) => n + r.after.length, 0);
  figures.b = { rounds, firstRequestsAfterRevoke: firstRequests, servedOnTheOldGrant: servedStale };
  for (const r of rounds)
    console.log(
      `  revoked via ${r.revokedVia}: before ${r.warm.join('/')}, revoke ${r.revoke}, next requests ${r.after.map((x) => `${x.name} ${x.first}${x.stale ? ` (403 after ${x.stale} more, ${x.ms} ms)` : ''}`).join(', ')}`,
    );
  console.log(
    `  ${firstRequests - servedStale.length}/${firstRequests} next requests refused; ${servedStale.length} still allowed before the notification arrived`,
  );
  check(
    'before each revocation every process allowed the role',
    rounds.every((r) => r.warm.every((s) => s === 200)),
  );
  check(
    'each revocation answered 204',
    rounds.every((r) => r.revoke === 204),
  );
  check(
    'the revoking process refused the very next request',
    rounds.every((r) => r.after.find((x) => x.name === r.revokedVia).first === 403),
  );
  check(
    'every process, directly and through HAProxy, refused the very next request',
    rounds.every((r) => r.after.every((x) => x.first === 403 && x.code === 'PERMISSION_DENIED')),
    rounds.flatMap((r) => r.after.filter((x) => x.first !== 403 || x.code !== 'PERMISSION_DENIED')),
  );

  // ======== (c) each periodic job runs once per tick across the processes ========
  console.log('\n(c) periodic jobs: one run per tick across the three processes');
  const jobWindowMs = 16000;
  const sealCalls = async () =>
    Number(
      (await query(direct, `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_user_functions WHERE funcname = 'audit_seal'`))[0].n,
    );
  const ticks = async () =>
    Object.fromEntries((await query(direct, `SELECT job, slot::text, runs::int, ran_by FROM job_tick`)).map((r) => [r.job, r]));
  const closing = await setUpVote(direct, villageS);
  await query(direct, `UPDATE vote SET closes_at = now() + interval '1 second' WHERE id = $1`, [closing.voteId]);
  const sealsBefore = await sealCalls();
  const ticksBefore = await ticks();
  const runners = new Set();
  const windowStart = performance.now();
  // Halfway, the process that has been taking audit.seal's ticks is frozen (SIGSTOP) for 4 s: the others must take them over.
  let frozen = null;
  while (performance.now() - windowStart < jobWindowMs) {
    const t = await ticks();
    if (t['audit.seal']) runners.add(t['audit.seal'].ran_by);
    const elapsed = performance.now() - windowStart;
    if (!frozen && elapsed > 5000) {
      const pid = Number(t['audit.seal'].ran_by.split(':').pop());
      frozen = apps.find((x) => x.child.pid === pid) ?? null;
      if (!frozen) throw new Error(`audit.seal was run by ${t['audit.seal'].ran_by}, none of the three app processes`);
      frozen.child.kill('SIGSTOP');
      frozen.at = elapsed;
    }
    if (frozen && !frozen.resumed && elapsed > frozen.at + 4000) {
      frozen.child.kill('SIGCONT');
      frozen.resumed = true;
    }
    await sleep(150);
  }
  // The statistics collector reports function calls when a backend goes idle: wait a little, then read.
  await sleep(800);
  const seconds = (performance.now() - windowStart) / 1000;
  const sealsAfter = await sealCalls();
  const ticksAfter = await ticks();
  const sealRuns = ticksAfter['audit.seal'].runs - ticksBefore['audit.seal'].runs;
  const sealSlots = Number(BigInt(ticksAfter['audit.seal'].slot) - BigInt(ticksBefore['audit.seal'].slot));
  const calls = sealsAfter - sealsBefore;
  const [closed] = await query(
    direct,
    `SELECT v.status, (SELECT count(*)::int FROM audit_log WHERE target_id = v.id::text AND action = 'vote.tally') AS tallies FROM vote v WHERE v.id = $1`,
    [closing.voteId],
  );
  figures.c = {
    seconds: Number(fmt(seconds)),
    sealPeriods: sealSlots,
    sealRuns,
    auditSealCalls: calls,
    frozen: frozen.name,
    sealRunBy: [...runners],
    ticks: ticksAfter,
    closedVote: closed,
  };
  console.log(
    `  ${fmt(seconds)} s = ${sealSlots} audit.seal periods of 500 ms: ${sealRuns} ticks claimed, audit_seal() called ${calls} times ` +
      `(three processes each ticking would make about ${sealSlots * APPS}); run by ${[...runners].join(', ')} (${frozen.name} frozen for 4 s)`,
  );
  // The statistics collector's counts trail by up to a second at each end: a few calls either way.
  check('audit.seal ran once per period across the processes, not once per process', calls >= sealSlots * 0.8 && calls <= sealSlots + 4, {
    sealSlots,
    sealRuns,
    calls,
  });
  check('no period was lost while the process that had been running it was frozen', sealRuns >= sealSlots * 0.9, { sealSlots, sealRuns });
  check('another process took the ticks over from the frozen one', runners.size >= 2, [...runners]);
  check('the due vote was closed by vote.close, exactly once', closed.status === 'closed' && closed.tallies === 1, closed);
  for (const job of ['vote.close', 'outbox.send', 'mediation.overdue', 'openness.reminders']) {
    check(`${job} has claimed its ticks`, ticksAfter[job] !== undefined, ticksAfter[job] ?? 'no row');
  }

  // ======== (d) statistics from the replica, from the primary while it is down, back to the replica ========
  console.log('\n(d) statistics: the replica, the primary while the replica is down, the replica again');
  const statsToken = mintToken(jwt, statsViewer);
  const statsPath = `/api/v1/proposal-stats?divisionCode=${TOWNSHIP}`;
  const primaryCount = async () =>
    Number((await query(direct, `SELECT count(*)::int AS n FROM proposal WHERE village_code LIKE $1`, [`${TOWNSHIP}%`]))[0].n);
  const statsEverywhere = async () =>
    Promise.all(everywhere.map(async ([name, base]) => ({ name, ...(await getJson(base, statsPath, statsToken)) })));
  const totals = (rs) => rs.map((r) => (r.status === 200 ? r.body.total.total : `${r.status} ${r.body?.code ?? ''}`));
  const addProposals = async (n) =>
    query(
      direct,
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, created_at, updated_at)
       SELECT $1, '拓扑测试草稿' || i, '草稿', 'public_welfare', 'villagers_meeting', 'open', 'draft', now(), now() FROM generate_series(1, $2) i`,
      [villageS, n],
    );
  const base0 = await primaryCount();
  await waitFor('the replica to replay everything', async () => totals(await statsEverywhere()).every((n) => n === base0), 10000);
  await query(superReplica, 'SELECT pg_wal_replay_pause()');
  await addProposals(7);
  const fresh = await primaryCount();
  const stale = await statsEverywhere();
  figures.d = { primaryBefore: base0, primaryAfterWrite: fresh, whileReplayPaused: totals(stale) };
  console.log(`  replay paused; the primary now holds ${fresh}, the replica ${base0}: statistics answer ${totals(stale).join('/')}`);
  check(
    'with replay paused, every process answers the replica’s (older) figure',
    totals(stale).every((n) => n === base0) && fresh === base0 + 7,
    totals(stale),
  );

  const logLines = (app, text) =>
    readFileSync(app.log, 'utf8')
      .split('\n')
      .filter((l) => l.includes(text)).length;
  const stopAt = performance.now();
  await pgctl(replicaDir, '-m', 'fast', 'stop');
  // A report the processes read from the replica just before it stopped stays in their read cache for at
  // most READ_CACHE_SECONDS (decision 063): answers in that window may still be the replica's figure.
  const cachedWindow = [];
  for (const [name, base] of everywhere) {
    const r = await getJson(base, statsPath, statsToken);
    cachedWindow.push({ name, status: r.status, total: r.body?.total?.total, code: r.body?.code });
  }
  await sleep(READ_CACHE_SECONDS * 1000 + 200);
  const downResults = [];
  const firstLatency = [];
  for (let i = 0; i < 5; i++) {
    for (const [name, base] of everywhere) {
      const t = performance.now();
      const r = await getJson(base, statsPath, statsToken);
      if (i === 0) firstLatency.push({ name, ms: Number(fmt(performance.now() - t)) });
      downResults.push({ name, status: r.status, total: r.body?.total?.total, code: r.body?.code });
    }
  }
  check(
    `right after the replica stopped, every answer is 200 with the replica's last figure (cached) or the primary's`,
    cachedWindow.every((r) => r.status === 200 && (r.total === base0 || r.total === fresh)),
    cachedWindow,
  );
  const health = await Promise.all(apps.map(async (x) => (await fetch(`${x.base}/health`)).status));
  const warned = apps.map((x) => logLines(x, '只读副本不可用'));
  figures.d.replicaStopped = {
    answersInCacheWindow: cachedWindow.map((r) => r.total),
    answers: downResults.length,
    notOk: downResults.filter((r) => r.status !== 200),
    firstRequestMs: firstLatency,
    warningsPerProcess: warned,
  };
  console.log(
    `  replica stopped: ${downResults.filter((r) => r.status === 200 && r.total === fresh).length}/${downResults.length} answers with the primary's ${fresh}; first request per process ${firstLatency.map((x) => `${x.name} ${x.ms} ms`).join(', ')}`,
  );
  check(
    'with the replica stopped, every answer is 200 with the primary’s figure',
    downResults.every((r) => r.status === 200 && r.total === fresh),
    downResults.filter((r) => r.status !== 200 || r.total !== fresh),
  );
  check(
    'the app stays up (every /health 200)',
    health.every((s) => s === 200),
    health,
  );
  check(
    'one warning per process for the outage',
    warned.every((n) => n === 1),
    warned,
  );

  await startReplica();
  const restartedAt = performance.now();
  await waitFor(
    'the replica to stream again',
    async () => (await query(superPrimary, `SELECT state FROM pg_stat_replication`))[0]?.state === 'streaming',
    30000,
  );
  await waitFor(
    'the replica to replay the new proposals',
    async () =>
      (await query(superReplica, `SELECT count(*)::int AS n FROM proposal WHERE village_code LIKE $1`, [`${TOWNSHIP}%`]))[0].n === fresh,
    30000,
  );
  // Reports return to the replica after DB_READ_RETRY_SECONDS (2 s here): pause it again and watch the figure go stale.
  await query(superReplica, 'SELECT pg_wal_replay_pause()');
  await addProposals(5);
  const backAt = await waitFor(
    'statistics back on the replica',
    async () => {
      const rs = await statsEverywhere();
      return totals(rs).every((n) => n === fresh) ? performance.now() : null;
    },
    20000,
    250,
  );
  const recovered = apps.map((x) => logLines(x, '只读副本已恢复'));
  await query(superReplica, 'SELECT pg_wal_replay_resume()');
  figures.d.back = {
    secondsFromStopToRestart: Number(fmt((restartedAt - stopAt) / 1000)),
    secondsFromRestartToReplicaAnswers: Number(fmt((backAt - restartedAt) / 1000)),
    recoveryLinesPerProcess: recovered,
  };
  console.log(
    `  replica restarted: reports back on it after ${figures.d.back.secondsFromRestartToReplicaAnswers} s (answers stale again with replay paused: ${fresh}, primary ${fresh + 5})`,
  );
  check(
    'after the replica returns, every process reads it again',
    recovered.every((n) => n === 1),
    recovered,
  );

  // ======== (e) the primary restarted mid-load ========
  console.log(`\n(e) ${VOTERS} ballots at ${CONNS} connections with the primary restarted (pg_ctl restart -m fast) mid-load`);
  const tokensE = sessionsE.map((s) => mintToken(jwt, s));
  let restart = null;
  const load = castBallots(conns, voteE.proposalId, tokensE);
  await sleep(1500);
  const rs = performance.now();
  await pgctl(primaryDir, '-m', 'fast', '-w', '-l', path.join(work, 'primary.log'), 'restart');
  restart = { startedAtMs: Number(fmt(rs - t0)), tookMs: Number(fmt(performance.now() - rs)) };
  const e = await load;
  // Whoever was not acknowledged tries again once the database is back: accepted now, or already counted.
  const retryIdx = e.outcome.map((o, i) => (o.status === 201 ? -1 : i)).filter((i) => i >= 0);
  await waitFor('the app to reach the primary again', async () => (await fetch(`${front}/health`)).ok, 30000, 200);
  const retry = await castBallots(
    conns,
    voteE.proposalId,
    retryIdx.map((i) => tokensE[i]),
  );
  const receiptsE = [...e.outcome, ...retry.outcome].filter((o) => o.receipt).map((o) => o.receipt);
  const rowsE = await ballotRows(direct, voteE.voteId, receiptsE);
  const unclean = e.outcome.filter((o) => o.status !== 201 && !(o.status === 503 && o.code));
  figures.e = {
    restart,
    accepted: e.accepted,
    ballotsPerSecond: e.ballotsPerSecond,
    p99ms: e.p99ms,
    maxMs: e.maxMs,
    notAcknowledged: e.byStatus,
    retried: retryIdx.length,
    retry: { accepted: retry.accepted, refused: retry.byStatus },
    rows: rowsE,
  };
  console.log(
    `  restart took ${restart.tookMs} ms; ${e.accepted}/${VOTERS} acknowledged during the run (${e.ballotsPerSecond}/s, p99 ${e.p99ms} ms, slowest ${e.maxMs} ms); not acknowledged: ${JSON.stringify(e.byStatus)}; ` +
      `retried afterwards: ${retry.accepted} accepted, ${JSON.stringify(retry.byStatus)}`,
  );
  check('0 acknowledged ballots lost across the restart', rowsE.lost === 0, rowsE);
  check(
    '0 duplicated across the restart',
    rowsE.duplicates === 0 && rowsE.choices === rowsE.participations && rowsE.distinct_receipts === rowsE.choices,
    rowsE,
  );
  check(
    'every ballot not acknowledged was a clean 503 with a code (no hang, no dropped connection)',
    unclean.length === 0,
    unclean.slice(0, 5),
  );
  check('the restart happened under load (some requests saw it)', e.accepted < VOTERS || e.maxMs > 500, {
    accepted: e.accepted,
    maxMs: e.maxMs,
  });
  check(
    'afterwards every voter is counted exactly once (retries accepted or refused as already cast)',
    rowsE.participations === VOTERS && Object.keys(retry.byStatus).every((k) => k === '409 BALLOT_ALREADY_CAST' || k.startsWith('409')),
    { participations: rowsE.participations, retry: retry.byStatus },
  );
  for (const x of conns) x.close();
  const health2 = await Promise.all(apps.map(async (x) => (await fetch(`${x.base}/health`)).status));
  check(
    'all three processes are up after the restart',
    health2.every((s) => s === 200) && apps.every((x) => x.child.exitCode === null),
    health2,
  );
}

let exitCode = 0;
// Other work on the machine shares its cores: the figures are read next to the load it carried.
figures.loadAverageAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
try {
  await main();
  figures.loadAverageAtEnd = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
} catch (err) {
  console.error(err);
  failures.push(`error: ${err.message}`);
} finally {
  console.log(`\nfigures: ${JSON.stringify(figures, null, 2)}`);
  await stopAll();
  exitCode = failures.length ? 1 : 0;
  console.log(failures.length ? `\nFAILED (${failures.length}): ${failures.join('; ')}` : `\nall topology checks passed in ${since()}`);
}
process.exit(exitCode);
