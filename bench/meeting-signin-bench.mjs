// npm run bench:signin — the on-site sign-in of a 村民会议 as a village runs it (issue 14): 3 staff phones
// sign in 300 villagers in one minute, each tap preceded by the search that finds the villager (by
// name), against the real app (token → guard → permission → duty → one-participation statement →
// audit). Reports the sign-in and search latencies (p50, p99, max) and checks the rows afterwards:
// 300 participations, all on site, each with its audit row.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { fmt, freshDatabase, insertPeople, leanConnections, mintToken, openSessions, percentile, ROOT, startApp, VILLAGE } from './lib.mjs';

const VILLAGERS = Number(process.env.BENCH_VILLAGERS ?? 300);
const PHONES = Number(process.env.BENCH_PHONES ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const KEEP = process.env.BENCH_KEEP_DB === '1';
// The staff phones' holders live in another village (so they are not among the electors).
const STAFF_VILLAGE = VILLAGE;

async function setUp(client) {
  await insertPeople(client, VILLAGERS, { tag: 'v' });
  // The tellers: residents of the village with accounts and sessions (openSessions opens one for every
  // person of the village; the villagers' own are not used: they have no phone).
  await insertPeople(client, PHONES, { tag: 'staff' });
  const sessions = await openSessions(client, STAFF_VILLAGE);
  const { rows: staff } = await client.query(
    `SELECT a.id AS "accountId", p.id AS "personId" FROM account a JOIN person p ON p.id = a.person_id WHERE p.real_name LIKE '压测%' AND p.household_no LIKE 'staffH%'`,
  );
  const {
    rows: [p],
  } = await client.query(
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, '压测：现场签到', '压测', 'public_welfare', 'villagers_meeting', 'secret', 'voting', now() - interval '11 days', now() - interval '12 days', now())
     RETURNING id`,
    [VILLAGE],
  );
  await client.query(
    `INSERT INTO meeting (proposal_id, held_at, place, chair_person_id, online_part, onsite_part, arranged_by, arranged_at)
     VALUES ($1, now(), '村委会大院', $2, true, true, $3, now())`,
    [p.id, staff[0].personId, staff[0].accountId],
  );
  for (const s of staff)
    await client.query(`INSERT INTO meeting_officer (proposal_id, person_id, duty) VALUES ($1, $2, 'teller')`, [p.id, s.personId]);
  const {
    rows: [v],
  } = await client.query(
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households, online_part, onsite_part)
     VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now() - interval '1 minute', now() + interval '2 hours', current_date, 0, 0, true, true) RETURNING id`,
    [p.id],
  );
  await client.query(`INSERT INTO vote_onsite (vote_id) VALUES ($1)`, [v.id]);
  await client.query(
    `INSERT INTO vote_elector (vote_id, person_id, household_no)
     SELECT $1, g.person_id, p.household_no FROM role_grant g JOIN person p ON p.id = g.person_id
      WHERE g.division_code = $2 AND g.role = 'resident' AND p.household_no LIKE 'vH%'`,
    [v.id, VILLAGE],
  );
  await client.query(
    `UPDATE vote SET electorate = (SELECT count(*) FROM vote_elector WHERE vote_id = $1), households = (SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = $1) WHERE id = $1`,
    [v.id],
  );
  const { rows: villagers } = await client.query(
    `SELECT e.person_id AS "personId", p.real_name AS name FROM vote_elector e JOIN person p ON p.id = e.person_id WHERE e.vote_id = $1 ORDER BY random()`,
    [v.id],
  );
  await client.query('ANALYZE');
  const tokens = staff.map((s) => sessions.find((x) => x.accountId === s.accountId));
  return { proposalId: p.id, voteId: v.id, villagers, staffSessions: tokens };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const db = await freshDatabase('meetingbench_signin');
let app;
try {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined);
  await client.connect();
  const s = await setUp(client);
  const tokens = s.staffSessions.map((x) => mintToken(db.config, x));
  app = await startApp(db.url);
  const conns = await leanConnections(app.base, PHONES);
  // Warm-up: each phone opens the meeting once (JIT, pools, session cache), as staff do before the meeting.
  for (const [i, c] of conns.entries()) await c.request('GET', `/api/v1/proposals/${s.proposalId}/meeting`, { token: tokens[i] });

  const signIn = [];
  const search = [];
  const failures = new Map();
  const interval = (SECONDS * 1000 * PHONES) / VILLAGERS; // each phone's pace
  const started = performance.now();
  await Promise.all(
    conns.map(async (conn, phone) => {
      const mine = s.villagers.filter((_, i) => i % PHONES === phone);
      for (const [k, v] of mine.entries()) {
        const due = started + k * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const q = encodeURIComponent(v.name);
        let t0 = performance.now();
        const found = await conn.request('GET', `/api/v1/proposals/${s.proposalId}/meeting/electors?q=${q}`, { token: tokens[phone] });
        search.push(performance.now() - t0);
        if (found.status !== 200 || !found.body.some((r) => r.personId === v.personId))
          failures.set('search', (failures.get('search') ?? 0) + 1);
        t0 = performance.now();
        const res = await conn.request('POST', `/api/v1/proposals/${s.proposalId}/meeting/sign-ins`, {
          token: tokens[phone],
          json: { personId: v.personId },
        });
        signIn.push(performance.now() - t0);
        if (res.status !== 201) failures.set(`${res.status} ${res.body.code}`, (failures.get(`${res.status} ${res.body.code}`) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const c of conns) c.close();
  await app.stop();
  app = null;
  const {
    rows: [check],
  } = await client.query(
    `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS participations,
            (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1 AND channel = 'onsite') AS onsite,
            (SELECT count(*)::int FROM audit_log WHERE action = 'meeting.sign_in' AND target_id = $1::text) AS audit_rows`,
    [s.voteId],
  );
  await client.end();
  signIn.sort((a, b) => a - b);
  search.sort((a, b) => a - b);
  const stats = (xs) => ({
    p50ms: Number(fmt(percentile(xs, 50))),
    p99ms: Number(fmt(percentile(xs, 99))),
    maxMs: Number(fmt(xs[xs.length - 1])),
  });
  const result = {
    date: new Date().toISOString(),
    villagers: VILLAGERS,
    phones: PHONES,
    seconds: Number(fmt(seconds, 1)),
    signIn: stats(signIn),
    search: stats(search),
    failures: Object.fromEntries(failures),
    checks: check,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `\n${PHONES} 部手机 ${fmt(seconds, 1)} 秒签到 ${check.onsite}/${VILLAGERS} 人：签到 p50 ${result.signIn.p50ms} ms、p99 ${result.signIn.p99ms} ms、最长 ${result.signIn.maxMs} ms；` +
      `查找 p50 ${result.search.p50ms} ms、p99 ${result.search.p99ms} ms；审计 ${check.audit_rows} 条`,
  );
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, `bench/results/signin-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  if (check.onsite !== VILLAGERS || check.audit_rows !== VILLAGERS || failures.size || result.signIn.p99ms >= 100) process.exitCode = 1;
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  if (app) await app.stop();
  if (!KEEP) await db.drop();
}
if (process.exitCode) console.error('未达到要求：须 300 人全部签到且各有审计记录、无失败，签到 p99 < 100 ms');
process.exit(process.exitCode ?? 0);
