// npm run bench:city — the read paths of a city-scale database (issue 16) over HTTP at 50 connections:
// p50/p99 and req/s per endpoint, compared with the targets (lists and details p99 < 50 ms, city
// roll-ups p99 < 200 ms). Against BENCH_CITY_DATABASE_URL (seeded by `npm run seed:city`, with its
// manifest in BENCH_CITY_MANIFEST), or, without it, a fresh database seeded here at BENCH_CITY_SCALE
// (default 0.01) and dropped afterwards. Exits non-zero on errors (a non-2xx answer), not on a missed target.
// Besides the loaded figures, each endpoint's p50 alone (one request at a time) separates the query's own cost
// from queueing. BENCH_CITY_ONLY=regex runs the matching endpoints only; BENCH_SECONDS (4) per endpoint, after
// BENCH_CITY_WARM_SECONDS (1) of each, unmeasured, so that no row measures the first seconds of a new process.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { assertLoopback, cpuMeter, dist, fmt, freshDatabase, leanConnections, mintToken, percentile, ROOT, startApp } from './lib.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
// Unmeasured seconds of each case at every connection before any is measured (warm()).
const WARM_SECONDS = Number(process.env.BENCH_CITY_WARM_SECONDS ?? 1);
const run = promisify(execFile);

let url = process.env.BENCH_CITY_DATABASE_URL;
let manifestFile = process.env.BENCH_CITY_MANIFEST;
let fresh = null;
if (!url) {
  fresh = await freshDatabase('city_bench');
  url = fresh.url;
  manifestFile = path.join(ROOT, 'bench/results', `${fresh.name}-manifest.json`);
  const scale = process.env.BENCH_CITY_SCALE ?? '0.01';
  console.log(`seeding ${fresh.name} at scale ${scale} …`);
  await run(process.execPath, [dist('scripts/seed-city.js'), '--scale', scale, '--manifest', manifestFile], {
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'development' },
    maxBuffer: 64 * 1024 * 1024,
  });
}
assertLoopback(url);
if (!manifestFile) throw new Error('BENCH_CITY_MANIFEST: the manifest that npm run seed:city wrote for this database');
const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
const { loadConfig } = await import(dist('libs/platform/src/index.js'));
const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: url });

// One live session per sample account: tokens minted as AuthService issues them.
const db = new pg.Client({ connectionString: url });
await db.connect();
// Every session opened here, removed at the end: runs would otherwise pile up hundreds of thousands of them.
const benchSessions = [];
async function tokensOf(role, n = 20) {
  const list = (m.accounts[role] ?? []).slice(0, n);
  if (!list.length) throw new Error(`the manifest has no ${role} account`);
  const out = [];
  for (const a of list) {
    const {
      rows: [s],
    } = await db.query(`INSERT INTO auth_session (account_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [
      a.accountId,
    ]);
    benchSessions.push(s.id);
    out.push({ ...a, token: mintToken(config, { accountId: a.accountId, sessionId: s.id }) });
  }
  return out;
}
const residents = await tokensOf('resident', 40);
const waiting = [];
for (const a of m.residentsWithOpenVote.slice(0, 20)) {
  const {
    rows: [s],
  } = await db.query(`INSERT INTO auth_session (account_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [a.accountId]);
  benchSessions.push(s.id);
  waiting.push({ ...a, token: mintToken(config, { accountId: a.accountId, sessionId: s.id }) });
}
// Residents who each ask once (BENCH_CITY_MANY, default 150,000): a resident's own answers are cached per
// person (decisions 062, 066), and the sample accounts above, asked again and again, measure the cache's hits.
// Each of these is asked once in the run: what a crowd of different residents opening the app costs.
const MANY = Number(process.env.BENCH_CITY_MANY ?? 150000);
const { rows: crowdAccounts } = await db.query(
  `SELECT DISTINCT ON (a.id) a.id AS "accountId", p.home_division_code AS "divisionCode"
     FROM vote v JOIN vote_elector e ON e.vote_id = v.id
     JOIN account a ON a.person_id = e.person_id AND a.status = 'active'
     JOIN person p ON p.id = e.person_id
    WHERE v.status = 'open' AND v.closes_at > now()
      AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = e.person_id)
    LIMIT $1`,
  [MANY],
);
const { rows: crowdSessions } = await db.query(
  `INSERT INTO auth_session (account_id, expires_at) SELECT unnest($1::uuid[]), now() + interval '1 day' RETURNING id, account_id`,
  [crowdAccounts.map((a) => a.accountId)],
);
for (const s of crowdSessions) benchSessions.push(s.id);
const crowdDivision = new Map(crowdAccounts.map((a) => [a.accountId, a.divisionCode]));
const crowd = crowdSessions.map((s) => ({
  accountId: s.account_id,
  divisionCode: crowdDivision.get(s.account_id),
  token: mintToken(config, { accountId: s.account_id, sessionId: s.id }),
}));
/** Each crowd case takes its own share of the crowd, so no resident is asked twice in a run. */
const crowdShare = (k, of) => crowd.filter((_, i) => i % of === k);
const township = (await tokensOf('township_staff', 10))[0];
const county = (await tokensOf('county_admin', 5))[0];
const city = (await tokensOf('city_admin', 2))[0];
// A decided proposal of a sample resident's village, for the detail page.
const {
  rows: [detail],
} = await db.query(
  `SELECT p.id, p.village_code FROM proposal p WHERE p.village_code = $1 AND p.status IN ('announced', 'closed') ORDER BY p.created_at DESC LIMIT 1`,
  [residents[0].divisionCode],
);
const {
  rows: [busyAccount],
} = await db.query(`SELECT account_id FROM audit_log WHERE account_id = $1::uuid LIMIT 1`, [residents[0].accountId]);
const {
  rows: [busyVote],
} = await db.query(`SELECT target_id FROM audit_log WHERE target_type = 'vote' ORDER BY id DESC LIMIT 1`);
const {
  rows: [[lastYear]],
} = await db.query({ text: `SELECT extract(year FROM now())::int - 1`, rowMode: 'array' });
const surname = m.nameSamples[0].slice(0, 1);
const fullName = m.nameSamples[0];
await db.end();

const app = await startApp(url, { JOBS_ENABLED: 'false', DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '20' });
const conns = await leanConnections(app.base, CONNECTIONS);

const q = (o) => '?' + new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined)).toString();
const LIST = 50;
const ROLLUP = 200;
const cases = [
  ['people list, township', 'list', `/api/v1/people${q({ divisionCode: township.divisionCode, page: 1, pageSize: 20 })}`, [township]],
  [
    'people name search, township',
    'list',
    `/api/v1/people${q({ divisionCode: township.divisionCode, q: surname, pageSize: 20 })}`,
    [township],
  ],
  ['people list, county', 'list', `/api/v1/people${q({ divisionCode: county.divisionCode, page: 1, pageSize: 20 })}`, [county]],
  ['people name search, county', 'list', `/api/v1/people${q({ divisionCode: county.divisionCode, q: fullName, pageSize: 20 })}`, [county]],
  ['GET /me', 'list', '/api/v1/me', residents],
  [
    'needs my vote (home badge)',
    'list',
    null,
    waiting.length ? waiting : residents,
    (a) => `/api/v1/proposals${q({ needsMyVote: true, pageSize: 1, divisionCode: a.divisionCode })}`,
  ],
  ['notifications (inbox)', 'list', `/api/v1/notifications${q({ page: 1, pageSize: 20 })}`, residents],
  ['GET /me, each a different resident', 'list', '/api/v1/me', crowdShare(0, 3)],
  [
    'needs my vote, each a different resident',
    'list',
    null,
    crowdShare(1, 3),
    (a) => `/api/v1/proposals${q({ needsMyVote: true, pageSize: 1, divisionCode: a.divisionCode })}`,
  ],
  ['notifications, each a different resident', 'list', `/api/v1/notifications${q({ page: 1, pageSize: 20 })}`, crowdShare(2, 3)],
  [
    'proposal list, village',
    'list',
    null,
    residents,
    (a) => `/api/v1/proposals${q({ page: 1, pageSize: 20, divisionCode: a.divisionCode })}`,
  ],
  ['proposal list, township', 'list', `/api/v1/proposals${q({ page: 1, pageSize: 20, divisionCode: township.divisionCode })}`, [township]],
  ['proposal list, city', 'list', `/api/v1/proposals${q({ page: 1, pageSize: 20 })}`, [city]],
  [
    'proposal detail',
    'list',
    detail ? `/api/v1/proposals/${detail.id}` : null,
    residents.filter((r) => r.divisionCode === detail?.village_code),
  ],
  ['notice board, village', 'list', null, residents, (a) => `/api/v1/notices${q({ page: 1, pageSize: 20, divisionCode: a.divisionCode })}`],
  [
    'township review queue',
    'list',
    `/api/v1/proposals${q({ awaitingMyReview: true, page: 1, pageSize: 20, divisionCode: township.divisionCode })}`,
    [township],
  ],
  ['proposal stats, city', 'rollup', `/api/v1/proposal-stats${q({ divisionCode: '1404' })}`, [city]],
  [
    'mediation stats by county, city',
    'rollup',
    `/api/v1/mediation/stats${q({ divisionCode: '1404', groupBy: 'county', year: lastYear })}`,
    [city],
  ],
  [
    'mediation stats by month, city',
    'rollup',
    `/api/v1/mediation/stats${q({ divisionCode: '1404', groupBy: 'month', year: lastYear })}`,
    [city],
  ],
  ['economy stats, city', 'rollup', `/api/v1/economy/stats${q({ divisionCode: '1404', year: lastYear })}`, [city]],
  ['openness oversight, city', 'rollup', `/api/v1/openness/oversight${q({ divisionCode: '1404' })}`, [city]],
  ['audit list, city', 'list', `/api/v1/audit${q({ page: 1, pageSize: 20 })}`, [city]],
  [
    'audit by person',
    'list',
    busyAccount ? `/api/v1/audit${q({ accountId: busyAccount.account_id, page: 1, pageSize: 20 })}` : null,
    [city],
  ],
  // Each request a different person's rows: identical reads that arrive together share one load (decision
  // 067), so the row above, one person asked by 50 connections, does not show what each read costs.
  [
    'audit by person, each a different person',
    'list',
    null,
    crowd.map((a) => ({ token: city.token, auditAccount: a.accountId })),
    (a) => `/api/v1/audit${q({ accountId: a.auditAccount, page: 1, pageSize: 20 })}`,
  ],
  [
    'audit by target',
    'list',
    busyVote ? `/api/v1/audit${q({ targetType: 'vote', targetId: busyVote.target_id, page: 1, pageSize: 20 })}` : null,
    [city],
  ],
];

/**
 * The answer's cost when nothing is cached yet (the roll-ups' computation, decision 063): the case's first
 * request, alone, before anything else has asked it. From the far end of a crowd, as warm() asks: not one of
 * the residents the measured seconds ask.
 */
async function firstRequest(pathOf, who) {
  const a = who[who.length - 1];
  const s = performance.now();
  const r = await conns[0].request('GET', pathOf(a), { token: a.token });
  const ms = performance.now() - s;
  if (r.status >= 300) throw new Error(`${pathOf(a)}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return ms;
}

/**
 * Not measured: WARM_SECONDS of the case at every connection, so that the rows measure a process that has
 * run (compiled its code paths, opened its pools) and not the first seconds of a new one. A crowd case warms on
 * the far end of its crowd, which its measured seconds do not reach: no one measured is asked twice.
 */
async function warm(pathOf, who) {
  const pool = who.length > 1000 ? who.slice(-1000) : who;
  const end = Date.now() + WARM_SECONDS * 1000;
  let n = 0;
  await Promise.all(
    conns.map(async (c, w) => {
      while (Date.now() < end) {
        const a = pool[(n++ + w) % pool.length];
        await c.request('GET', pathOf(a), { token: a.token });
      }
    }),
  );
}

/** `seconds` of requests on every connection; each latency kept. */
async function measure(pathOf, who) {
  const lat = [];
  let errors = 0;
  let firstError = null;
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    conns.map(async (c, w) => {
      while (Date.now() < end) {
        const a = who[(n++ + w) % who.length];
        const s = performance.now();
        const r = await c.request('GET', pathOf(a), { token: a.token });
        lat.push(performance.now() - s);
        if (r.status >= 300) {
          errors++;
          firstError ??= `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
        }
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), rps: lat.length / secs, n: lat.length, errors, firstError };
}

/** One request at a time (no queue): what the endpoint itself costs, apart from the load. */
async function alone(pathOf, who, rounds = 15) {
  const lat = [];
  for (let i = 0; i < rounds; i++) {
    // A request of seconds is measured three times, not fifteen.
    if (i === 3 && lat[0] > 1000) break;
    const a = who[i % who.length];
    const s = performance.now();
    await conns[0].request('GET', pathOf(a), { token: a.token });
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  return percentile(lat, 50);
}

const only = process.env.BENCH_CITY_ONLY ? new RegExp(process.env.BENCH_CITY_ONLY, 'i') : null;
const results = [];
let failures = 0;
const selected = cases.filter(([name, , fixed, who, pathFn]) => {
  if ((!fixed && !pathFn) || !who.length) {
    console.log(`skipped: ${name} (no sample in this database)`);
    return false;
  }
  return !only || only.test(name);
});
// Each case's first request, then the warm-up of all of them, before anything is measured.
const firsts = new Map();
for (const [name, , fixed, who, pathFn] of selected) firsts.set(name, await firstRequest(pathFn ?? (() => fixed), who));
const health = { path: () => '/health', who: [{}] };
const healthFirst = await firstRequest(health.path, health.who);
await warm(health.path, health.who);
for (const [, , fixed, who, pathFn] of selected) await warm(pathFn ?? (() => fixed), who);
const meter = cpuMeter(app.pid);
results.push({
  name: '/health (yardstick)',
  kind: 'yardstick',
  first: healthFirst,
  ...(await measure(health.path, health.who)),
  alone: await alone(health.path, health.who),
});
for (const [name, kind, fixed, who, pathFn] of selected) {
  const r = await measure(pathFn ?? (() => fixed), who);
  results.push({ name, kind, first: firsts.get(name), ...r, alone: await alone(pathFn ?? (() => fixed), who) });
  // A crowd smaller than the requests made wraps around, and its second round finds the cache warm: say so.
  if (who.length > 100 && r.n + 18 > who.length) console.error(`${name}: ${r.n} requests over ${who.length} residents (some asked twice)`);
  // As it goes (a long run interrupted still shows what it measured).
  console.error(
    `${name}: p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, ${Math.round(r.rps)} req/s, alone ${fmt(results.at(-1).alone)} ms${r.errors ? `, ${r.errors} errors` : ''}`,
  );
  if (r.errors) failures++;
}
const cpu = meter(results.reduce((s, r) => s + r.n, 0));
for (const c of conns) c.close();
await app.stop();
const cleanup = new pg.Client({ connectionString: url });
await cleanup.connect();
await cleanup.query(`DELETE FROM auth_session WHERE id = ANY($1::uuid[])`, [benchSessions]);
await cleanup.end();

const target = (k) => (k === 'rollup' ? ROLLUP : k === 'list' ? LIST : null);
console.log(
  `\ncity bench — ${new Date().toISOString()} — ${m.villages} villages, scale ${m.scale}; ${CONNECTIONS} connections, ${SECONDS} s each; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log('| endpoint | first ms | p50 ms | p99 ms | req/s | alone p50 ms | target p99 | met |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  const t = target(r.kind);
  const met = t === null ? '' : r.p99 < t ? 'yes' : '**no**';
  console.log(
    `| ${r.name} | ${fmt(r.first)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${Math.round(r.rps)} | ${fmt(r.alone)} | ${t ?? ''} | ${met}${r.errors ? ` (${r.errors} errors: ${r.firstError})` : ''} |`,
  );
}
console.log(`CPU per request: ${JSON.stringify(cpu)}`);
if (fresh && process.env.BENCH_KEEP_DB !== '1') await fresh.drop();
if (failures) {
  console.error(`${failures} endpoint(s) answered with errors`);
  process.exit(1);
}
