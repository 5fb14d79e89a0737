// npm run bench:vote — 10,000 electors of one village cast real authenticated ballots through the
// running app (token → guard → permission → eligibility → ballot → audit) at 50 concurrent
// connections; compared with pgbench's single-row INSERT rate on the same server.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
  requestRate,
  ROOT,
  startApp,
  VILLAGE,
} from './lib.mjs';

const ELECTORS = Number(process.env.BENCH_ELECTORS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5_000);
const PGBENCH_SECONDS = 8;
// Warm-up electors live in the next village, so they are not in the measured votes' electorates.
const WARMUP_VILLAGE = '140428101201';
const KEEP = process.env.BENCH_KEEP_DB === '1';
const run = promisify(execFile);

async function setUpVote(client, village = VILLAGE) {
  const {
    rows: [p],
  } = await client.query(
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, '压测议题', '压测', 'public_welfare', 'villagers_meeting', 'secret', 'voting', now() - interval '8 days', now() - interval '9 days', now())
     RETURNING id`,
    [village],
  );
  const {
    rows: [v],
  } = await client.query(
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
     VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now() - interval '1 minute', now() + interval '2 hours', current_date, 0, 0) RETURNING id`,
    [p.id],
  );
  await client.query(
    `INSERT INTO vote_elector (vote_id, person_id, household_no)
     SELECT $1, g.person_id, p.household_no FROM role_grant g JOIN person p ON p.id = g.person_id WHERE g.division_code = $2 AND g.role = 'resident'`,
    [v.id, village],
  );
  await client.query(
    `UPDATE vote SET electorate = (SELECT count(*) FROM vote_elector WHERE vote_id = $1), households = (SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = $1) WHERE id = $1`,
    [v.id],
  );
  return { proposalId: p.id, voteId: v.id };
}

/** Ballots/s over each tenth of the round (by completion order): shows a slow start or a stall. */
function rateByTenth(finishedAt) {
  const n = finishedAt.length;
  const rates = [];
  for (let k = 0; k < 10; k++) {
    const from = Math.floor((n * k) / 10);
    const to = Math.floor((n * (k + 1)) / 10) - 1;
    if (to <= from) continue;
    const ms = finishedAt[to] - (from === 0 ? 0 : finishedAt[from - 1]);
    rates.push(Math.round(((to - from + 1) / ms) * 1000));
  }
  return rates;
}

async function fireBallots(conns, proposalId, tokens) {
  const latencies = [];
  const finishedAt = [];
  const receipts = [];
  const failures = new Map();
  let next = 0;
  const choices = ['yes', 'no', 'abstain'];
  const started = performance.now();
  async function worker(conn) {
    for (;;) {
      const i = next++;
      if (i >= tokens.length) return;
      const t0 = performance.now();
      const res = await conn.request('POST', `/api/v1/proposals/${proposalId}/ballots`, {
        token: tokens[i],
        json: { choice: choices[i % 3] },
      });
      const t1 = performance.now();
      latencies.push(t1 - t0);
      finishedAt.push(t1 - started);
      if (res.status === 201) receipts.push(res.body.receiptCode);
      else failures.set(`${res.status} ${res.body.code}`, (failures.get(`${res.status} ${res.body.code}`) ?? 0) + 1);
    }
  }
  await Promise.all(conns.map(worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, latencies, receipts, failures, tenths: rateByTenth(finishedAt) };
}

/** The yardstick: bench/bare-insert-app.mjs (NestJS on Fastify, one TypeORM insert per POST) under the same load. */
async function bareInsertRate(url) {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/bare-insert-app.mjs'), url, String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}/bare`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"choice":"yes"}',
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const conns = await leanConnections(base, CONCURRENCY);
    await requestRate(conns, '/bare', { json: { choice: 'yes' }, seconds: 1 }); // warm-up
    const rate = await requestRate(conns, '/bare', { json: { choice: 'yes' } });
    for (const c of conns) c.close();
    return rate;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

async function pgbenchInsertRate(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE IF NOT EXISTS bench_insert (a bigint NOT NULL, b text NOT NULL)`);
  await c.end();
  const script = path.join(tmpdir(), `sangong-pgbench-${process.pid}.sql`);
  await writeFile(script, `\\set aid random(1, 1000000000)\nINSERT INTO bench_insert (a, b) VALUES (:aid, 'yes');\n`);
  const { stdout } = await run('pgbench', ['-n', '-f', script, '-c', '16', '-j', '2', '-T', String(PGBENCH_SECONDS), url], {
    maxBuffer: 1 << 20,
  });
  const m = stdout.match(/tps = ([\d.]+) \(without initial connection time\)/) ?? stdout.match(/tps = ([\d.]+)/);
  if (!m) throw new Error(`cannot read pgbench output:\n${stdout}`);
  return Number(m[1]);
}

/** Rows written for one vote, counted afterwards: every accepted receipt must be there exactly once. */
async function countRows(client, voteId, receipts) {
  const {
    rows: [c],
  } = await client.query(
    `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS participations,
            (SELECT count(DISTINCT person_id)::int FROM ballot_participation WHERE vote_id = $1) AS distinct_voters,
            (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1) AS choices,
            (SELECT count(*)::int FROM ballot_choice WHERE vote_id = $1 AND receipt_code = ANY($2::text[])) AS receipts_found,
            (SELECT count(*)::int FROM audit_log WHERE action = 'ballot.cast' AND target_id = $1::text) AS audit_rows`,
    [voteId, receipts],
  );
  return {
    ...c,
    duplicates: c.participations - c.distinct_voters,
    lost: receipts.length - c.receipts_found,
    choicesMatchParticipations: c.choices === c.participations,
  };
}

function summary(r, cpu, transactionsPerBallot, pgTps) {
  const rate = r.receipts.length / r.seconds;
  return {
    accepted: r.receipts.length,
    refused: Object.fromEntries(r.failures),
    seconds: Number(fmt(r.seconds, 2)),
    ballotsPerSecond: Number(fmt(rate)),
    p50ms: Number(fmt(percentile(r.latencies, 50), 1)),
    p99ms: Number(fmt(percentile(r.latencies, 99), 1)),
    ballotsPerSecondByTenth: r.tenths,
    ratio: Number(fmt(rate / pgTps, 3)),
    cpuMsPerBallot: cpu,
    databaseTransactionsPerBallot: transactionsPerBallot,
  };
}

const db = await freshDatabase('delibbench_vote');
let app;
try {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined); // the final DROP … WITH (FORCE) ends it
  await client.connect();
  await insertPeople(client, ELECTORS);
  const sessions = await openSessions(client);
  await insertPeople(client, WARMUP, { village: WARMUP_VILLAGE, tag: 'w' });
  const warmupSessions = await openSessions(client, WARMUP_VILLAGE);
  // Two votes of the same 10,000 electors: the first with every session unknown to the app (each
  // ballot is its session's first request), the second right after, with the sessions the first
  // round left in the app's session cache (a voter who opened the proposal before voting).
  const cold = await setUpVote(client);
  const warm = await setUpVote(client);
  const warmupVote = await setUpVote(client, WARMUP_VILLAGE);
  await client.query('ANALYZE');
  const tokens = sessions.map((s) => mintToken(db.config, s));
  // pgbench right before and right after the ballots: this shared machine's speed drifts over minutes,
  // so the ratio uses the mean of the two.
  const pgTpsBefore = await pgbenchInsertRate(db.url);
  app = await startApp(db.url);
  const conns = await leanConnections(app.base, CONCURRENCY);
  // Warm-up (JIT, pools, each pooled connection's prepared statements): BENCH_WARMUP ballots of other
  // electors in another village's vote, then the measured rounds with sessions the app has not seen.
  const warmup = await fireBallots(
    conns,
    warmupVote.proposalId,
    warmupSessions.map((x) => mintToken(db.config, x)),
  );
  if (warmup.receipts.length !== WARMUP) throw new Error(`warm-up: ${warmup.receipts.length} of ${WARMUP} ballots taken`);

  const commits = async () => {
    await new Promise((res) => setTimeout(res, 600)); // the statistics collector reports about every 0.5 s
    await client.query('SELECT pg_stat_clear_snapshot()');
    return Number(
      (await client.query(`SELECT pg_stat_get_db_xact_commit(oid) AS n FROM pg_database WHERE datname = current_database()`)).rows[0].n,
    );
  };
  async function measuredRound(proposalId) {
    const before = await commits();
    const meter = cpuMeter(app.pid);
    const r = await fireBallots(conns, proposalId, tokens);
    const cpu = meter(tokens.length);
    const transactions = Number(fmt(((await commits()) - before) / tokens.length, 3));
    return { r, cpu, transactions };
  }
  const first = await measuredRound(cold.proposalId);
  // The same requests again: every one must be refused, none may add a row.
  const dup = await fireBallots(conns, cold.proposalId, tokens.slice(0, 500));
  const second = await measuredRound(warm.proposalId);
  // Yardsticks from the same process on the same machine, right after the ballots.
  // BENCH_YARDSTICKS=0 leaves them out (for a CPU profile of the ballots alone).
  const skipYardsticks = process.env.BENCH_YARDSTICKS === '0';
  const yardstick = {
    healthSelect1: skipYardsticks ? { perSecond: null } : await requestRate(conns, '/health'),
    meGuardPlusOneQuery: skipYardsticks ? { perSecond: null } : await requestRate(conns, '/api/v1/me', { tokens }),
    bareInsert: { perSecond: null },
  };
  const { stdout: load } = await run('cat', ['/proc/loadavg']);
  for (const c of conns) c.close();
  await app.stop();
  app = null;
  if (!skipYardsticks) yardstick.bareInsert = await bareInsertRate(db.url);

  const checks = {
    cold: await countRows(client, cold.voteId, first.r.receipts),
    warm: await countRows(client, warm.voteId, second.r.receipts),
  };
  await client.end();
  const pgTpsAfter = await pgbenchInsertRate(db.url);
  const pgTps = (pgTpsBefore + pgTpsAfter) / 2;

  const result = {
    date: new Date().toISOString(),
    electors: ELECTORS,
    concurrency: CONCURRENCY,
    warmupBallots: WARMUP,
    coldSessions: summary(first.r, first.cpu, first.transactions, pgTps),
    warmSessions: summary(second.r, second.cpu, second.transactions, pgTps),
    pgbenchInsertTps: Number(fmt(pgTps)),
    pgbenchInsertTpsBeforeAndAfter: [Number(fmt(pgTpsBefore)), Number(fmt(pgTpsAfter))],
    yardstickRequestsPerSecond: {
      health: yardstick.healthSelect1.perSecond,
      me: yardstick.meGuardPlusOneQuery.perSecond,
      bareNestInsert: yardstick.bareInsert.perSecond,
    },
    bareInsertRatio: yardstick.bareInsert.perSecond ? Number(fmt(yardstick.bareInsert.perSecond / pgTps, 3)) : null,
    loadAverage: load.trim(),
    repeatedBallots: { requests: 500, accepted: dup.receipts.length, refused: Object.fromEntries(dup.failures) },
    checks,
  };
  console.log(JSON.stringify(result, null, 2));
  const line = (name, x, c) =>
    `${name}：${x.accepted}/${ELECTORS} 张，${x.ballotsPerSecond} 票/秒，p50 ${x.p50ms} ms，p99 ${x.p99ms} ms，比值 ${(x.ratio * 100).toFixed(1)}%，重复 ${c.duplicates}，丢失 ${c.lost}`;
  console.log(
    `\n${line('首次请求即投票（会话未缓存）', result.coldSessions, checks.cold)}\n${line('会话已缓存', result.warmSessions, checks.warm)}\n` +
      `pgbench 单行插入 ${result.pgbenchInsertTps} 次/秒（前 ${result.pgbenchInsertTpsBeforeAndAfter[0]}，后 ${result.pgbenchInsertTpsBeforeAndAfter[1]}）；同机 /health ${result.yardstickRequestsPerSecond.health} 次/秒、/api/v1/me ${result.yardstickRequestsPerSecond.me} 次/秒、` +
      `裸 NestJS 单条插入 ${result.yardstickRequestsPerSecond.bareNestInsert} 次/秒（${result.bareInsertRatio === null ? '-' : (result.bareInsertRatio * 100).toFixed(1)}%）；重复投票 ${dup.receipts.length}/500 被接受`,
  );
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, `bench/results/vote-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  const clean = (x, c) =>
    x.accepted === ELECTORS && c.duplicates === 0 && c.lost === 0 && c.choicesMatchParticipations && c.audit_rows === c.participations;
  if (!clean(result.coldSessions, checks.cold) || !clean(result.warmSessions, checks.warm) || dup.receipts.length !== 0)
    process.exitCode = 1;
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  if (app) await app.stop();
  if (!KEEP) await db.drop();
}
