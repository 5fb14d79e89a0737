// npm run bench:openness — the township/county/city overview of 村务公开 (GET /api/v1/openness/oversight) over
// realistic volumes: the 2,628 real villages of 长治, three years of monthly finance disclosures and quarterly
// general ones (most published, some late, some missing, some stuck in review), a quarterly collective-finance
// series in one village in ten, ~2 million finance entries and some overdue villagers' queries. Timed through the
// running app (token → guard → permission → scope → the one roll-up statement → JSON), sequential requests after
// a warm-up; p50/p99 per level. The target (issue 15): p99 under 100 ms for the city.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { fmt, freshDatabase, mintToken, percentile, startApp } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const FROM = '2024-01-01';
const AS_OF = '2026-12-01'; // 35 months ended (Jan 2024 – Nov 2026), 11 quarters ended, the next ones upcoming
const ENTRIES_PER_FINANCE = Number(process.env.BENCH_ENTRIES ?? 22);

async function insertData(client) {
  const {
    rows: [admin],
  } = await client.query(
    `WITH p AS (INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
                VALUES ('压测市管理员', '\\x00', '\\x01', '1404**********0000', '1980-01-01', 'M', '140428101200') RETURNING id),
          g AS (INSERT INTO role_grant (person_id, role, division_code) SELECT id, 'city_admin', '1404' FROM p),
          a AS (INSERT INTO account (person_id, login_phone_hash, password_hash, status) SELECT id, '\\x02', 'bench-no-login', 'active' FROM p RETURNING id)
     SELECT a.id AS "accountId", p.id AS "personId" FROM a, p`,
  );
  // Every village publishes finance monthly (set by its township before the schedule began).
  await client.query(
    `INSERT INTO openness_village_setting (village_code, finance_monthly, set_by, set_at)
     SELECT code, true, $1, '2023-12-01T00:00:00+08' FROM division WHERE level = 'village'`,
    [admin.accountId],
  );
  // One disclosure per village and slot; hashtext decides: ~4% missing, ~2% stuck in review (h % 53 = 0), the rest published
  // 1–25 days after the period (so ~a third of them late, past the 10-day due day).
  await client.query(
    `INSERT INTO disclosure (village_code, subject, kind, series, title, period_kind, period_start, period_end, state,
        opening_balance_fen, income_fen, expense_fen, closing_balance_fen, created_by, created_at, updated_at,
        reviewed_by, reviewed_at, published_by, published_at, publicity_until, submitted_at)
     SELECT v.code, s.subject, s.kind, s.series, s.kind || ' ' || p.ps, s.pk, p.ps, p.pe,
            CASE WHEN h % 53 = 0 THEN 'submitted' ELSE 'published' END,
            f.o, f.i, f.e, f.c, $1, p.pe + 1, p.pe + 1,
            CASE WHEN h % 53 <> 0 THEN $1::uuid END, CASE WHEN h % 53 <> 0 THEN p.pe + (1 + h % 25) END,
            CASE WHEN h % 53 <> 0 THEN $1::uuid END, CASE WHEN h % 53 <> 0 THEN (p.pe + (1 + h % 25))::timestamp AT TIME ZONE 'Asia/Shanghai' END,
            CASE WHEN h % 53 <> 0 THEN (p.pe + (31 + h % 25))::timestamp AT TIME ZONE 'Asia/Shanghai' END, p.pe + 1
       FROM division v
       CROSS JOIN (VALUES ('village', 'finance', 'finance', 'month'), ('village', 'other', 'general', 'quarter'),
                          ('collective', 'finance', 'collective_finance', 'quarter')) AS s(subject, kind, series, pk)
       CROSS JOIN LATERAL (SELECT g::date AS ps, (g + CASE WHEN s.pk = 'month' THEN interval '1 month' ELSE interval '3 months' END - interval '1 day')::date AS pe
                             FROM generate_series($2::date, $3::date - 1, CASE WHEN s.pk = 'month' THEN interval '1 month' ELSE interval '3 months' END) g) p
       CROSS JOIN LATERAL (SELECT (hashtext(v.code || s.series || p.ps) & 2147483647) AS h) hh
       CROSS JOIN LATERAL (SELECT CASE WHEN s.kind = 'finance' THEN 100000000::bigint END AS o, CASE WHEN s.kind = 'finance' THEN 5000000::bigint END AS i,
                                  CASE WHEN s.kind = 'finance' THEN 4000000::bigint END AS e, CASE WHEN s.kind = 'finance' THEN 101000000::bigint END AS c) f
      WHERE v.level = 'village' AND p.pe < $3::date AND h % 25 <> 0
        AND (s.series <> 'collective_finance' OR (hashtext(v.code) & 2147483647) % 10 = 0)`,
    [admin.accountId, FROM, AS_OF],
  );
  const t0 = performance.now();
  await client.query(
    `INSERT INTO finance_entry (disclosure_id, line_no, entry_date, voucher_no, item, category, direction, amount_fen)
     SELECT d.id, n, d.period_start + (n % 28), '记-' || n, '压测明细' || n,
            (ARRAY['operating_income','contracting_income','subsidy_income','admin_expense','welfare_expense','operating_expense'])[n % 6 + 1],
            CASE WHEN n % 6 < 3 THEN 'income' ELSE 'expense' END, 1000 + n * 37
       FROM disclosure d CROSS JOIN generate_series(1, $1::int) n
      WHERE d.kind = 'finance'`,
    [ENTRIES_PER_FINANCE],
  );
  const entrySeconds = (performance.now() - t0) / 1000;
  // Some villagers' queries, unanswered past their deadline.
  await client.query(
    `INSERT INTO disclosure_query (disclosure_id, village_code, asker_person_id, question, asked_at, answer_due_at)
     SELECT d.id, d.village_code, $1, '压测质询', d.published_at + interval '1 day', d.published_at + interval '11 days'
       FROM disclosure d WHERE d.state = 'published' AND d.series = 'finance' AND (hashtext(d.id::text) & 2147483647) % 50 = 0`,
    [admin.personId],
  );
  await client.query('VACUUM ANALYZE');
  const {
    rows: [n],
  } = await client.query(
    `SELECT (SELECT count(*) FROM division WHERE level = 'village')::int AS villages,
            (SELECT count(*) FROM disclosure)::int AS disclosures,
            (SELECT count(*) FROM disclosure WHERE state = 'published')::int AS published,
            (SELECT count(*) FROM finance_entry)::int AS entries,
            (SELECT count(*) FROM disclosure_query)::int AS queries`,
  );
  return { ...n, admin, entrySeconds };
}

/** Sequential authenticated GETs: 5 warm-ups, then `rounds` timed ones; p50/p99/max in ms and the last body. */
async function timeGets(base, token, path, rounds) {
  const lat = [];
  let last;
  for (let i = 0; i < rounds + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    last = path.includes('/export') ? await res.arrayBuffer() : await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(last)}`);
    if (i >= 5) lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1], last };
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const db = await freshDatabase('sangong_bench_openness');
const client = new pg.Client({ connectionString: db.url });
await client.connect();
let app;
try {
  const t0 = performance.now();
  const n = await insertData(client);
  console.log(
    `inserted ${n.disclosures} disclosures (${n.published} published) over ${n.villages} villages, ${n.entries} finance entries ` +
      `(${fmt(n.entrySeconds)} s), ${n.queries} queries, in ${fmt((performance.now() - t0) / 1000)} s`,
  );
  const {
    rows: [s],
  } = await client.query(`INSERT INTO auth_session (account_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [
    n.admin.accountId,
  ]);
  const token = mintToken(db.config, { accountId: n.admin.accountId, sessionId: s.id });
  app = await startApp(db.url, { JOBS_ENABLED: 'false', OPENNESS_SCHEDULE_FROM: FROM });
  console.log(`load average before: ${loadavg()}`);
  const rows = [];
  for (const [label, path] of [
    ['city (12 counties)', `/api/v1/openness/oversight?divisionCode=1404&asOf=${AS_OF}`],
    ['county 长子县', `/api/v1/openness/oversight?divisionCode=140428&asOf=${AS_OF}`],
    ['township 鲍店镇', `/api/v1/openness/oversight?divisionCode=140428101&asOf=${AS_OF}`],
    ['village schedule', `/api/v1/openness/villages/140428101200/schedule?asOf=${AS_OF}`],
    ['city, Excel export', `/api/v1/openness/oversight/export?divisionCode=1404&asOf=${AS_OF}`],
  ]) {
    const r = await timeGets(app.base, token, path, label.includes('Excel') ? Math.min(ROUNDS, 50) : ROUNDS);
    if (label.startsWith('city (')) {
      if (r.last.total.villages !== n.villages)
        throw new Error(`expected ${n.villages} villages, the roll-up says ${r.last.total.villages}`);
      console.log(`city total: ${JSON.stringify(r.last.total)}`);
    }
    rows.push({ label, n: label.includes('Excel') ? Math.min(ROUNDS, 50) : ROUNDS, ...r });
  }
  console.log(`load average after: ${loadavg()}`);
  console.log(`\nopenness oversight, sequential timed requests (after 5 warm-ups), HTTP round trip:`);
  for (const r of rows)
    console.log(
      `  ${r.label.padEnd(20)} n=${String(r.n).padEnd(4)} p50 ${fmt(r.p50).padStart(7)} ms   p99 ${fmt(r.p99).padStart(7)} ms   max ${fmt(r.max).padStart(7)} ms`,
    );
} finally {
  await app?.stop();
  await client.end();
  if (!KEEP) await db.drop();
}
