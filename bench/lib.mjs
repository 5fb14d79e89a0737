// Shared helpers for the benchmarks. They run the compiled app (npm run build) against a real
// PostgreSQL server, on loopback only, in a database they create and drop themselves.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
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

/** The real app (dist/apps/api/src/main.js) as a child process on a loopback port. */
export async function startApp(url, env = {}) {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const nodeArgs = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
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
      JOBS_ENABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', () => undefined);
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
 * Requests per second of a GET at `concurrency` keep-alive connections for `seconds`: the same
 * run's yardstick (a bare route, a route with the guard and one query) next to the ballot rate.
 */
export async function getRate(agent, base, pathname, tokens, { seconds = 5, concurrency = 50 } = {}) {
  const { request } = await import('node:http');
  const get = (token) =>
    new Promise((resolve, reject) => {
      const r = request(base + pathname, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      r.on('error', reject);
      r.end();
    });
  let n = 0;
  let bad = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (Date.now() < end) {
        const status = await get(tokens ? tokens[(n + w) % tokens.length] : undefined);
        if (status !== 200) bad++;
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
