// npm run bench:economy — the 集体经济 roll-ups for a year over realistic volumes: a collective economic
// organization in every village of 长治 (2,628) with three years of figures, a platform company in every
// county and in 62 townships with shareholders and dividends. Timed through the running app (token →
// guard → permission → scope → grouped queries → JSON), per request after a warm-up.
import pg from 'pg';
import { dist, fmt, freshDatabase, mintToken, startApp, timeGets } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const YEARS = [2023, 2024, 2025];

const { CREDIT_ALPHABET, creditCodeCheckChar } = await import(dist('libs/platform/src/index.js'));

function body9(n) {
  let s = '';
  for (let i = 0, v = n; i < 9; i++, v = Math.floor(v / 31)) s = CREDIT_ALPHABET[v % 31] + s;
  return s;
}
const code = (head, county, n) => {
  const first17 = `${head}${county}${body9(n)}`;
  return first17 + creditCodeCheckChar(first17);
};

async function insertRegistry(client) {
  const { rows: villages } = await client.query(`SELECT code FROM division WHERE level = 'village' ORDER BY code`);
  await client.query(
    `INSERT INTO collective_org (level, division_code, name, credit_code, chair_name, member_count, total_shares)
     SELECT 'village', d, d || '集体经济组织', c, '压测', 500, 1500 FROM unnest($1::text[], $2::text[]) AS t(d, c)`,
    [villages.map((v) => v.code), villages.map((v, i) => code('N2', v.code.slice(0, 6), i))],
  );
  await client.query(
    `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen)
     SELECT o.id, y, (hashtext(o.id::text || y) & 65535) * 500, (hashtext(o.id::text || y) & 65535) * 600, 100000, 200000
       FROM collective_org o CROSS JOIN unnest($1::int[]) AS y`,
    [YEARS],
  );
  const { rows: counties } = await client.query(`SELECT code FROM division WHERE level = 'county' ORDER BY code`);
  const { rows: towns } = await client.query(`SELECT code FROM division WHERE level = 'township' ORDER BY code`);
  const places = [
    ...counties.map((c) => ({ level: 'county', code: c.code })),
    ...Array.from({ length: 62 }, (_, k) => towns[Math.floor((k * towns.length) / 62)]).map((t) => ({ level: 'township', code: t.code })),
  ];
  await client.query(
    `INSERT INTO platform_company (level, division_code, name, credit_code, legal_rep, registered_capital_fen, paid_in_capital_fen, status)
     SELECT l, d, d || '平台公司', c, '压测', 500000000, 300000000, (ARRAY['preparing','operating','operating','suspended'])[i % 4 + 1]
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(l, d, c, i)`,
    [places.map((p) => p.level), places.map((p) => p.code), places.map((p, i) => code('91', p.code.slice(0, 6), 100000 + i))],
  );
  await client.query(
    `INSERT INTO company_shareholder (company_id, org_id, holder_name, contribution_fen, share_bp)
     SELECT c.id, o.id, o.name, 1000000, 1000
       FROM platform_company c CROSS JOIN LATERAL (SELECT id, name FROM collective_org WHERE division_code LIKE c.division_code || '%' ORDER BY division_code LIMIT 8) o`,
  );
  await client.query(
    `INSERT INTO company_year_figures (company_id, year, revenue_fen, profit_fen)
     SELECT c.id, y, 80000000, 5000000 FROM platform_company c CROSS JOIN unnest($1::int[]) AS y`,
    [YEARS],
  );
  await client.query(
    `INSERT INTO company_dividend (company_id, year, org_id, amount_fen)
     SELECT s.company_id, f.year, s.org_id, 200000 FROM company_shareholder s JOIN company_year_figures f ON f.company_id = s.company_id`,
  );
  await client.query('ANALYZE');
  const {
    rows: [n],
  } = await client.query(
    `SELECT (SELECT count(*) FROM collective_org)::int AS orgs, (SELECT count(*) FROM org_year_figures)::int AS figures,
            (SELECT count(*) FROM platform_company)::int AS companies, (SELECT count(*) FROM company_dividend)::int AS dividends`,
  );
  return n;
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

const db = await freshDatabase('sangong_bench_economy');
const client = new pg.Client({ connectionString: db.url });
await client.connect();
let app;
try {
  const t0 = performance.now();
  const n = await insertRegistry(client);
  console.log(
    `inserted ${n.orgs} organizations, ${n.figures} yearly figures, ${n.companies} companies, ${n.dividends} dividends in ${fmt((performance.now() - t0) / 1000)} s`,
  );
  const token = await cityAdminToken(client, db.config);
  app = await startApp(db.url, { JOBS_ENABLED: 'false' });
  const rows = [];
  for (const [label, path] of [
    ['city (12 counties), 2025', '/api/v1/economy/stats?year=2025&divisionCode=1404'],
    ['county 长子县, 2025', '/api/v1/economy/stats?year=2025&divisionCode=140428'],
    ['township 鲍店镇, 2025', '/api/v1/economy/stats?year=2025&divisionCode=140428101'],
    ['city, Excel export', '/api/v1/economy/stats.xlsx?year=2025&divisionCode=1404'],
  ]) {
    const r = await timeGets(app.base, token, path, ROUNDS);
    if (label.startsWith('city (') && r.last.total.orgs !== n.orgs)
      throw new Error(`expected ${n.orgs} organizations, roll-up says ${r.last.total.orgs}`);
    rows.push({ label, ...r });
  }
  console.log(`\neconomy roll-ups, ${ROUNDS} timed requests each (after 3 warm-up), HTTP round trip:`);
  for (const r of rows)
    console.log(
      `  ${r.label.padEnd(26)} p50 ${fmt(r.p50).padStart(7)} ms   p95 ${fmt(r.p95).padStart(7)} ms   max ${fmt(r.max).padStart(7)} ms`,
    );
} finally {
  await app?.stop();
  await client.end();
  if (!KEEP) await db.drop();
}
