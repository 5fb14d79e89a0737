// npm run bench:mediation — the mediation statistics for the whole city (长治市) over 100,000 cases,
// through the running app (token → guard → permission → scope → one GROUPING SETS query → JSON),
// timed per request after a warm-up. Also times the Excel export of the same report.
import pg from 'pg';
import { fmt, freshDatabase, mintToken, startApp, timeGets } from './lib.mjs';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const KEEP = process.env.BENCH_KEEP_DB === '1';

/** 100,000 cases spread over every village of the city, in every state, 5% escalated, dated through 2026. */
async function insertCases(client, n) {
  // Bulk load with the per-row rollup trigger off, then rebuild the rollups in one pass.
  await client.query('ALTER TABLE mediation_case DISABLE TRIGGER mediation_stats_insert_delete');
  await client.query(
    `WITH v AS (SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS k FROM division WHERE level = 'village'),
          nv AS (SELECT count(*)::int AS n FROM v),
          g AS (SELECT i, (ARRAY['applied','accepted','declined','mediating','agreed','terminated','follow_up','closed'])[i % 8 + 1] AS s
                  FROM generate_series(1, $1::int) AS i),
          x AS (SELECT g.i, g.s, v.code,
                       timestamptz '2026-01-01 00:00+08' + ((g.i * 37) % 330) * interval '1 day' + (g.i % 600) * interval '1 minute' AS applied,
                       CASE WHEN g.s = 'closed' THEN (CASE WHEN g.i % 16 = 7 THEN 'terminated' ELSE 'agreed' END)
                            WHEN g.s IN ('agreed', 'follow_up') THEN 'agreed' WHEN g.s = 'terminated' THEN 'terminated'
                            WHEN g.s = 'declined' THEN 'declined' END AS outcome
                  FROM g JOIN v ON v.k = g.i % (SELECT n FROM nv))
     INSERT INTO mediation_case (case_no, origin_committee_code, committee_code, year, seq, status, outcome, dispute_type, summary, claims,
       source, referring_body, applied_at, accepted_at, due_at, overdue_at, concluded_at, decline_reason, terminate_reason, other_channels,
       escalation_count, closed_at, created_at, updated_at)
     SELECT 'BENCH-' || x.i, x.code, CASE WHEN x.i % 20 = 0 AND x.s NOT IN ('applied', 'declined') THEN left(x.code, 9) ELSE x.code END, 2026, x.i, x.s, x.outcome,
            (ARRAY['marriage_family','neighbor','damages','land_contract','homestead','forest_land','labor','contract','expropriation','property_mgmt','other'])[x.i % 11 + 1],
            '压测', '压测',
            (ARRAY['application','initiative','court_referral','police_referral','petition_referral'])[x.i % 5 + 1],
            CASE WHEN x.i % 5 + 1 >= 3 THEN '移送单位' END,
            x.applied,
            CASE WHEN x.s NOT IN ('applied', 'declined') THEN x.applied + interval '1 day' END,
            CASE WHEN x.s NOT IN ('applied', 'declined') THEN x.applied + interval '31 days' END,
            CASE WHEN x.s NOT IN ('applied', 'declined') AND x.i % 9 = 0 THEN x.applied + interval '32 days' END,
            CASE WHEN x.outcome IS NOT NULL THEN x.applied + ((x.i % 45) + 2) * interval '1 day' END,
            CASE WHEN x.s = 'declined' THEN '一方拒绝调解' END,
            CASE WHEN x.outcome = 'terminated' THEN '调解不成' END,
            CASE WHEN x.outcome = 'terminated' THEN ARRAY['litigation'] END,
            CASE WHEN x.i % 20 = 0 AND x.s NOT IN ('applied', 'declined') THEN 1 ELSE 0 END,
            CASE WHEN x.s = 'closed' THEN x.applied + interval '60 days' END,
            x.applied, x.applied
       FROM x`,
    [n],
  );
  await client.query('ALTER TABLE mediation_case ENABLE TRIGGER mediation_stats_insert_delete');
  await client.query('SELECT mediation_stats_rebuild()');
  await client.query('ANALYZE mediation_case');
  await client.query('ANALYZE mediation_stats_cell');
}

async function cityAdminToken(client, config) {
  const {
    rows: [p],
  } = await client.query(
    `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
     VALUES ('压测市管理员', '\\x00', '\\x01', '1404**********0000', '1980-01-01', 'M', '140428101200') RETURNING id`,
  );
  await client.query(`INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, 'city_admin', '1404')`, [p.id]);
  const {
    rows: [a],
  } = await client.query(
    `INSERT INTO account (person_id, login_phone_hash, password_hash, status) VALUES ($1, '\\x02', 'bench-no-login', 'active') RETURNING id`,
    [p.id],
  );
  const {
    rows: [s],
  } = await client.query(`INSERT INTO auth_session (account_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [a.id]);
  return mintToken(config, { accountId: a.id, sessionId: s.id });
}

const db = await freshDatabase('sangong_bench_mediation');
const client = new pg.Client({ connectionString: db.url });
await client.connect();
let app;
try {
  const t0 = performance.now();
  await insertCases(client, CASES);
  console.log(`inserted ${CASES} cases in ${fmt((performance.now() - t0) / 1000)} s`);
  const token = await cityAdminToken(client, db.config);
  app = await startApp(db.url, { JOBS_ENABLED: 'false' });
  const rows = [];
  for (const [label, path] of [
    ['city, by county, year', '/api/v1/mediation/stats?divisionCode=1404&groupBy=county&year=2026'],
    ['city, by township, year', '/api/v1/mediation/stats?divisionCode=1404&groupBy=township&year=2026'],
    ['city, by committee, year (first page of 500 committees)', '/api/v1/mediation/stats?divisionCode=1404&groupBy=committee&year=2026'],
    [
      'city, by committee, year (pageSize=1000, the largest page)',
      '/api/v1/mediation/stats?divisionCode=1404&groupBy=committee&year=2026&pageSize=1000&page=1',
    ],
    ['city, by month, year', '/api/v1/mediation/stats?divisionCode=1404&groupBy=month&year=2026'],
    ['city, by county, one month', '/api/v1/mediation/stats?divisionCode=1404&groupBy=county&year=2026&month=6'],
    ['city, by committee, Excel', '/api/v1/mediation/stats.xlsx?divisionCode=1404&groupBy=committee&year=2026'],
  ]) {
    const r = await timeGets(app.base, token, path, ROUNDS);
    if (!path.includes('.xlsx') && label.endsWith('year') && r.last.total.received !== CASES)
      throw new Error(`expected ${CASES} cases, report says ${r.last.total.received}`);
    rows.push({ label, ...r, bytes: path.includes('.xlsx') ? r.last.byteLength : JSON.stringify(r.last).length });
  }
  console.log(`\nmediation statistics, ${CASES} cases, ${ROUNDS} timed requests each (after 3 warm-up), HTTP round trip:`);
  for (const r of rows)
    console.log(
      `  ${r.label.padEnd(28)} p50 ${fmt(r.p50).padStart(7)} ms   p95 ${fmt(r.p95).padStart(7)} ms   max ${fmt(r.max).padStart(7)} ms   ${fmt(r.bytes / 1024, 0).padStart(5)} KB`,
    );
} finally {
  await app?.stop();
  await client.end();
  if (!KEEP) await db.drop();
}
