// Shared helpers for the benchmarks. They run the compiled app (npm run build) against a real
// PostgreSQL server, on loopback only, in a database they create and drop themselves.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = (p) => path.join(ROOT, 'dist', p);

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const VILLAGE = '140428101200';
export const TOWNSHIP = '140428101';

export function dbUrl(name) {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`benchmarks run on loopback only, not ${host}`);
}

/** A fresh database with every migration applied and the divisions seeded. */
export async function freshDatabase(prefix) {
  assertLoopback(SERVER_URL);
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = dbUrl(name);
  const { loadConfig, createLogger } = await import(dist('libs/platform/src/index.js'));
  const { runMigrations } = await import(dist('apps/api/src/runtime.js'));
  const { createDataSource } = await import(dist('apps/api/src/data-source.js'));
  const { seedDivisions } = await import(dist('seeds/divisions.seed.js'));
  const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url });
  const log = createLogger('warn');
  await runMigrations(url, config, log);
  const ds = await createDataSource(url, { ...config, dbPoolSize: 2 }, log).initialize();
  await seedDivisions(ds);
  await ds.destroy();
  return {
    name,
    url,
    config,
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** `n` adult people in one village with accounts, live sessions and the given role. */
export async function insertPeople(client, n, { village = VILLAGE, role = 'resident', tag = 'p' } = {}) {
  await client.query(
    `WITH p AS (
       INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code, household_no)
       SELECT '压测' || i, decode(md5('enc${tag}' || i), 'hex'), decode(md5('id${tag}' || i), 'hex'), '1404**********000' || (i % 10),
              DATE '1980-01-01' + (i % 3000), CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END, $2, '${tag}H' || (i / 3)
         FROM generate_series(1, $1) AS i
       RETURNING id)
     INSERT INTO role_grant (person_id, role, division_code) SELECT id, $3, $2 FROM p`,
    [n, village, role],
  );
}

/** One account and one live session per person; returns [{ accountId, sessionId }]. */
export async function openSessions(client, village = VILLAGE) {
  await client.query(
    `INSERT INTO account (person_id, login_phone_hash, password_hash, status)
     SELECT p.id, decode(md5('phone' || p.id::text), 'hex'), 'bench-no-login', 'active' FROM person p
      WHERE p.home_division_code = $1 AND NOT EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)`,
    [village],
  );
  const { rows } = await client.query(
    `INSERT INTO auth_session (account_id, expires_at)
     SELECT a.id, now() + interval '1 day' FROM account a JOIN person p ON p.id = a.person_id WHERE p.home_division_code = $1
     RETURNING account_id AS "accountId", id AS "sessionId"`,
    [village],
  );
  return rows;
}

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An access token exactly as AuthService issues it (HS256, sub, sid, iss, aud, exp). */
export function mintToken(config, { accountId, sessionId }, ttlSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({ sid: sessionId, sub: accountId, iss: config.jwtIssuer, aud: config.jwtAudience, iat: now, exp: now + ttlSeconds });
  const sig = createHmac('sha256', config.jwtSecret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The node flags of `npm run start:prod` (package.json), so the benchmarks run the app as production does. */
export function productionNodeFlags() {
  const script = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'];
  const words = script.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`start:prod does not start with node: ${script}`);
  return words.slice(1).filter((w) => w.startsWith('--'));
}

/** The real app (dist/apps/api/src/main.js) as a child process on a loopback port, started as `npm run start:prod` starts it. */
export async function startApp(url, env = {}) {
  const port = 30000 + Math.floor(Math.random() * 20000);
  // BENCH_PROFILE_DIR: a V8 CPU profile of the app; BENCH_NODE_ARGS: more node flags (e.g. --perf-basic-prof for perf).
  const nodeArgs = [
    ...productionNodeFlags(),
    ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean) : []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, dist('apps/api/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      RUN_MIGRATIONS: 'false',
      SEED_ON_START: 'false',
      DEMO_MODE: 'false',
      LOG_LEVEL: 'warn',
      JOBS_ENABLED: process.env.BENCH_JOBS ?? 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // The app logs to stdout: its last lines say why it stopped, if it did.
  child.stdout.on('data', (d) => (err = (err + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`app exited: ${err}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (n, d = 1) => Number(n).toFixed(d);

/**
 * Requests per second of one request shape over `conns` (lean keep-alive connections) for `seconds`:
 * the same run's yardsticks (a bare route, a route with the guard and one query, the bare insert app)
 * next to the ballot rate. `tokens` (optional) are used round-robin; `json` makes it a POST.
 */
export async function requestRate(conns, path, { tokens = null, json, seconds = 5 } = {}) {
  let n = 0;
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    conns.map(async (conn, w) => {
      while (Date.now() < end) {
        const res = await conn.request(json === undefined ? 'GET' : 'POST', path, {
          token: tokens ? tokens[(n + w) % tokens.length] : undefined,
          json,
        });
        if (res.status >= 300) bad++;
        n++;
      }
    }),
  );
  return { perSecond: Math.round(n / seconds), failed: bad };
}

/** Sequential authenticated GETs: 3 warm-ups, then `rounds` timed ones; p50/p95/max in ms and the last body. */
export async function timeGets(base, token, path, rounds) {
  const lat = [];
  let last;
  for (let i = 0; i < rounds + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    last = path.includes('.xlsx') ? await res.arrayBuffer() : await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(last)}`);
    if (i >= 3) lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p95: percentile(lat, 95), max: lat[lat.length - 1], last };
}

/** CPU seconds (user + system) used so far by a process, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0; // the process has gone
  }
}

/** CPU seconds of every PostgreSQL server process on this machine (backends and background workers). */
export function postgresCpuSeconds() {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let comm;
    try {
      comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') total += cpuSeconds(name);
  }
  return total;
}

/**
 * Where the CPU time of a phase went: the app process, every PostgreSQL process and this load
 * generator, in ms per request. The machine's two cores are shared by all three.
 */
export function cpuMeter(appPid) {
  const start = { app: cpuSeconds(appPid), pg: postgresCpuSeconds(), client: process.cpuUsage(), machine: machineTicks() };
  return (requests) => {
    const c = process.cpuUsage(start.client);
    const ms = (s) => Number(((s * 1000) / requests).toFixed(3));
    const m = machineTicks();
    const total = m.total - start.machine.total;
    return {
      appMsPerRequest: ms(cpuSeconds(appPid) - start.app),
      postgresMsPerRequest: ms(postgresCpuSeconds() - start.pg),
      loadGeneratorMsPerRequest: ms((c.user + c.system) / 1e6),
      // Of the machine's CPU time in the phase: idle, and stolen by the hypervisor for other guests.
      machineIdlePercent: Number(((100 * (m.idle - start.machine.idle)) / total).toFixed(1)),
      machineStealPercent: Number(((100 * (m.steal - start.machine.steal)) / total).toFixed(1)),
    };
  };
}

/** The machine's CPU ticks from the first line of /proc/stat: total, idle (+iowait) and steal. */
function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), idle: f[3] + f[4], steal: f[7] };
}

/**
 * A lean HTTP/1.1 load generator: one keep-alive socket per connection, the request written as one
 * pre-built buffer, the response read by Content-Length. node:http's agent costs about as much CPU per
 * request as the app under test; on a 2-core box the load generator's CPU is taken from the app and
 * PostgreSQL, so the benchmarks use this one (its own CPU per request is reported with the results).
 * Only what the app sends is understood: a status line, headers with Content-Length, a body.
 */
export class LeanHttpConnection {
  constructor(base) {
    const u = new URL(base);
    this.host = u.host;
    this.port = Number(u.port);
    this.hostname = u.hostname;
    this.socket = null;
    this.buf = Buffer.alloc(0);
    this.pending = null;
  }

  async open() {
    const { connect } = await import('node:net');
    this.socket = connect({ host: this.hostname, port: this.port, noDelay: true });
    await once(this.socket, 'connect');
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  close() {
    this.socket?.removeAllListeners('close');
    this.socket?.destroy();
  }

  /** Sends one request; resolves with { status, body } (body parsed as JSON when it is JSON). */
  request(method, path, { token, json } = {}) {
    const body = json === undefined ? null : Buffer.from(JSON.stringify(json));
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\n` +
      (token ? `Authorization: Bearer ${token}\r\n` : '') +
      (body ? `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` : '') +
      '\r\n';
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(body ? Buffer.concat([Buffer.from(head), body]) : head);
    });
  }

  fail(err) {
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  onData(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const lenMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!lenMatch) return this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
    const total = end + 4 + Number(lenMatch[1]);
    if (this.buf.length < total) return;
    const status = Number(head.slice(9, 12));
    const raw = this.buf.subarray(end + 4, total);
    this.buf = this.buf.subarray(total);
    const p = this.pending;
    this.pending = null;
    let body = raw;
    if (/\r\ncontent-type:\s*application\/json/i.test(head)) body = JSON.parse(raw.toString('utf8'));
    p?.resolve({ status, body });
  }
}

/** `n` open lean connections to `base`. */
export async function leanConnections(base, n) {
  const conns = Array.from({ length: n }, () => new LeanHttpConnection(base));
  await Promise.all(conns.map((c) => c.open()));
  return conns;
}
