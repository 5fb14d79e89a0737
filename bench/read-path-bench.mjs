// npm run bench:read — the resident's reads beside /health, in one run, over 50 connections:
// GET /api/v1/me, the proposal list, a proposal's detail and the notice board, each as a resident of
// the demo village opens them in the web UI (apps/web/src/views), with real sessions of 2,000 residents.
// Target (issue 16): each at least 40 % of /health's rate, p99 under 30 ms.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import {
  cpuMeter,
  fmt,
  freshDatabase,
  insertPeople,
  leanConnections,
  mintToken,
  openSessions,
  percentile,
  ROOT,
  startApp,
} from './lib.mjs';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const VILLAGE = '140428101200'; // the first demo village (seeds/demo-people.seed.ts)

/** Requests of one shape for `seconds` over every connection: rate, p50/p99, failures, the CPU it cost. */
async function measure(conns, appPid, pathOf, tokens) {
  const lat = [];
  let failed = 0;
  let firstFailure = null;
  const meter = cpuMeter(appPid);
  const t0 = performance.now();
  const end = Date.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    conns.map(async (conn, w) => {
      while (Date.now() < end) {
        const i = n++;
        const token = tokens ? tokens[(i + w) % tokens.length] : undefined;
        const s = performance.now();
        const res = await conn.request('GET', typeof pathOf === 'function' ? pathOf(i) : pathOf, { token });
        lat.push(performance.now() - s);
        if (res.status !== 200) {
          failed++;
          firstFailure ??= `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    perSecond: Math.round(lat.length / seconds),
    p50: Number(fmt(percentile(lat, 50), 2)),
    p99: Number(fmt(percentile(lat, 99), 2)),
    failed,
    firstFailure,
    cpu: meter(lat.length),
  };
}

const db = await freshDatabase('readbench');
let app;
try {
  // The demo village's proposals, votes, notices and officials, seeded as `npm start` seeds them.
  const seeder = await startApp(db.url, { DEMO_MODE: 'true', SEED_ON_START: 'true', JOBS_ENABLED: 'false' });
  await seeder.stop();

  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined);
  await client.connect();
  await insertPeople(client, RESIDENTS, { village: VILLAGE, tag: 'rb' });
  const sessions = await openSessions(client, VILLAGE);
  const tokens = sessions.map((s) => mintToken(db.config, s));
  const {
    rows: [detail],
  } = await client.query(
    `SELECT p.id, p.status, (SELECT count(*)::int FROM proposal_event e WHERE e.proposal_id = p.id) AS events
       FROM proposal p JOIN notice n ON n.proposal_id = p.id
      WHERE p.village_code = $1 ORDER BY events DESC LIMIT 1`,
    [VILLAGE],
  );
  if (!detail) throw new Error('the demo seed left no proposal with a notice in the demo village');
  await client.query('ANALYZE');
  await client.end();

  app = await startApp(db.url, { JOBS_ENABLED: 'false' });
  const conns = await leanConnections(app.base, CONCURRENCY);
  const cases = [
    ['GET /health', '/health', null],
    ['GET /api/v1/me', '/api/v1/me', tokens],
    ['proposal list (page 1 of 20)', `/api/v1/proposals?page=1&pageSize=20&divisionCode=${VILLAGE}`, tokens],
    [`proposal detail (${detail.status}, ${detail.events} events)`, `/api/v1/proposals/${detail.id}`, tokens],
    ['notice board (page 1 of 20)', `/api/v1/notices?page=1&pageSize=20&divisionCode=${VILLAGE}`, tokens],
  ];
  // Warm-up: every session once (the guard's cache), JIT, the pool.
  for (const [, p, t] of cases) await measure(conns, app.pid, p, t);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = {};
    for (const [name, p, t] of cases) round[name] = await measure(conns, app.pid, p, t);
    rounds.push(round);
  }
  for (const c of conns) c.close();

  const rows = cases.map(([name]) => {
    const all = rounds.map((r) => r[name]);
    const health = rounds.map((r) => r['GET /health'].perSecond);
    return {
      request: name,
      'req/s per round': all.map((m) => m.perSecond).join(' / '),
      '% of /health': all.map((m, i) => fmt((100 * m.perSecond) / health[i], 0)).join(' / '),
      'p50 ms': all.map((m) => m.p50).join(' / '),
      'p99 ms': all.map((m) => m.p99).join(' / '),
      'app CPU ms/req': all.map((m) => m.cpu.appMsPerRequest).join(' / '),
      'PG CPU ms/req': all.map((m) => m.cpu.postgresMsPerRequest).join(' / '),
      failed: all.reduce((s, m) => s + m.failed, 0),
    };
  });
  console.table(rows);
  const failures = rounds.flatMap((r) =>
    Object.entries(r)
      .filter(([, m]) => m.failed)
      .map(([k, m]) => `${k}: ${m.firstFailure}`),
  );
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
  const result = {
    date: new Date().toISOString(),
    loadAverage: (await readFile('/proc/loadavg', 'utf8')).trim(),
    residents: RESIDENTS,
    concurrency: CONCURRENCY,
    secondsPerCase: SECONDS,
    rows,
    rounds,
  };
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, `bench/results/read-path-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await app?.stop();
  if (!KEEP) await db.drop();
}
