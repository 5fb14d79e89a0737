// npm run bench:deliberation — (1) closing and tallying a 100,000-elector secret vote, (2) the
// filtered first page of the proposal list with 100,000 proposals in the table, over HTTP.
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { dist, fmt, freshDatabase, mintToken, percentile, ROOT, startApp } from './lib.mjs';

const ELECTORS = Number(process.env.BENCH_TALLY_ELECTORS ?? 100_000);
const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 300);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const VILLAGE = '140428101201';
const TOWNSHIP = '140428101';
const COUNTY = '140428';

async function tallyBench(db, client) {
  await client.query(
    `WITH p AS (
       INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code, household_no)
       SELECT '计票' || i, decode(md5('te' || i), 'hex'), decode(md5('ti' || i), 'hex'), 'masked', DATE '1970-01-01' + (i % 9000), 'M', $2, 'T' || (i / 3)
         FROM generate_series(1, $1) AS i RETURNING id, household_no)
     INSERT INTO role_grant (person_id, role, division_code) SELECT id, 'resident', $2 FROM p`,
    [ELECTORS, VILLAGE],
  );
  const {
    rows: [p],
  } = await client.query(
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, '计票压测', '计票压测', 'other', 'villagers_meeting', 'secret', 'voting', now() - interval '9 days', now() - interval '10 days', now()) RETURNING id`,
    [VILLAGE],
  );
  const {
    rows: [v],
  } = await client.query(
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
     VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now() - interval '2 days', now() - interval '1 second', current_date, 0, 0) RETURNING id`,
    [p.id],
  );
  await client.query(
    `INSERT INTO vote_elector (vote_id, person_id, household_no) SELECT $1, g.person_id, p.household_no FROM role_grant g JOIN person p ON p.id = g.person_id WHERE g.division_code = $2`,
    [v.id, VILLAGE],
  );
  await client.query(
    `UPDATE vote SET electorate = (SELECT count(*) FROM vote_elector WHERE vote_id = $1), households = (SELECT count(DISTINCT household_no) FROM vote_elector WHERE vote_id = $1) WHERE id = $1`,
    [v.id],
  );
  // 70 % turnout; choices in random order, without names (secret).
  await client.query(
    `INSERT INTO ballot_participation (vote_id, person_id, voted_on) SELECT vote_id, person_id, current_date FROM vote_elector WHERE vote_id = $1 AND random() < 0.7`,
    [v.id],
  );
  await client.query(
    `INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice)
     SELECT $1, 'secret', upper(substr(md5(random()::text || b.person_id::text), 1, 12)),
            (ARRAY['yes', 'yes', 'no', 'abstain'])[1 + floor(random() * 4)::int]
       FROM ballot_participation b WHERE b.vote_id = $1`,
    [v.id],
  );
  await client.query('ANALYZE');
  const {
    rows: [expected],
  } = await client.query(
    `SELECT count(*) FILTER (WHERE choice = 'yes')::int AS yes, count(*) FILTER (WHERE choice = 'no')::int AS no,
            count(*) FILTER (WHERE choice = 'abstain')::int AS abstain FROM ballot_choice WHERE vote_id = $1`,
    [v.id],
  );

  const { loadConfig, createLogger } = await import(dist('libs/platform/src/index.js'));
  const { createApp } = await import(dist('apps/api/src/bootstrap.js'));
  const { VotingService } = await import(dist('libs/deliberation/src/index.js'));
  const { DataSource } = await import('typeorm');
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: db.url,
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    SEED_ON_START: 'false',
  });
  const app = await createApp({ ...config, databaseUrl: db.url }, { log: createLogger('warn') });
  const voting = app.get(VotingService);
  const ds = app.get(DataSource);
  const t0 = performance.now();
  const outcome = await ds.transaction((em) => voting.closeVote(em, v.id));
  const closeMs = performance.now() - t0;
  // The post-close work the scheduler does next, in its own transactions: shuffle the secret
  // ballots (both tables, 70k rows each), tell 100k electors the result, vacuum.
  const t1 = performance.now();
  await voting.afterClose();
  const afterCloseMs = performance.now() - t1;
  const [{ notified }] = await ds.query(`SELECT count(*)::int AS notified FROM notification WHERE kind = 'result_published'`);
  const [stored] = await ds.query(
    `SELECT electorate, participants, yes_count AS yes, no_count AS no, abstain_count AS abstain, outcome FROM vote WHERE id = $1`,
    [v.id],
  );
  await app.close();
  return {
    electors: ELECTORS,
    participants: stored.participants,
    closeAndTallyMs: Number(fmt(closeMs, 0)),
    afterCloseShuffleNotifyVacuumMs: Number(fmt(afterCloseMs, 0)),
    notified,
    outcome,
    matchesIndependentCount: stored.yes === expected.yes && stored.no === expected.no && stored.abstain === expected.abstain,
  };
}

const WORDS = [
  '道路硬化',
  '饮水工程',
  '集体果园承包',
  '误工补贴',
  '宅基地安排',
  '征地补偿分配',
  '光伏项目',
  '文化广场',
  '土地流转',
  '养殖场租赁',
  '村委会维修',
  '路灯改造',
];
const STATES = [
  'draft',
  'proposed',
  'consulted',
  'pending_review',
  'deliberation',
  'voting',
  'passed',
  'rejected',
  'no_quorum',
  'announced',
  'closed',
  'withdrawn',
];
// Matters a 村民会议 may decide (proposal_matter_body CHECK, libs/deliberation/src/matter-rules.ts).
const CATEGORIES = [
  'work_subsidy',
  'collective_income',
  'public_welfare',
  'land_contracting',
  'collective_project',
  'land_adjustment',
  'construction_land',
  'collective_property',
  'other',
];

async function listBench(db, client) {
  await client.query(
    `INSERT INTO proposal (village_code, title, body, category, amount_fen, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     SELECT v.code,
            (ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}])[1 + i % ${WORDS.length}] || '（第' || i || '号）',
            '关于' || (ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}])[1 + (i * 7) % ${WORDS.length}] || '的方案，涉及全村 ' || (i % 500) || ' 户，预算 ' || (i % 90) || ' 万元。',
            (ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(',')}])[1 + i % ${CATEGORIES.length}],
            (i % 1000) * 10000,
            'villagers_meeting', 'secret',
            s.status,
            CASE WHEN s.status IN ('draft', 'proposed', 'consulted', 'pending_review', 'withdrawn') THEN NULL ELSE now() - interval '30 days' END,
            now() - (i % 1000) * interval '1 day' - (i % 86400) * interval '1 second', now()
       FROM generate_series(1, $1) AS i
       CROSS JOIN LATERAL (SELECT code FROM division WHERE level = 'village' AND code LIKE '${COUNTY}%' ORDER BY code OFFSET (i * 37) % (SELECT count(*) FROM division WHERE level = 'village' AND code LIKE '${COUNTY}%') LIMIT 1) v
       CROSS JOIN LATERAL (SELECT (ARRAY[${STATES.map((s) => `'${s}'`).join(',')}])[1 + (i * 13) % ${STATES.length}] AS status) s`,
    [PROPOSALS],
  );
  const officials = [
    ['township_staff', TOWNSHIP],
    ['county_admin', COUNTY],
    ['resident', VILLAGE],
  ];
  const tokens = {};
  for (const [role, division] of officials) {
    const {
      rows: [p],
    } = await client.query(
      `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
       VALUES ($1, decode(md5($1), 'hex'), decode(md5('h' || $1), 'hex'), 'masked', '1975-01-01', 'M', $2) RETURNING id`,
      [`列表${role}`, VILLAGE],
    );
    await client.query(`INSERT INTO role_grant (person_id, role, division_code) VALUES ($1, $2, $3)`, [p.id, role, division]);
    const {
      rows: [a],
    } = await client.query(
      `INSERT INTO account (person_id, login_phone_hash, password_hash, status) VALUES ($1, decode(md5('ph' || $2), 'hex'), 'x', 'active') RETURNING id`,
      [p.id, String(p.id)],
    );
    const {
      rows: [s],
    } = await client.query(`INSERT INTO auth_session (account_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [a.id]);
    tokens[role] = mintToken(db.config, { accountId: a.id, sessionId: s.id });
  }
  await client.query('ANALYZE');
  const app = await startApp(db.url, { JOBS_ENABLED: 'false' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (pathname, token) =>
    new Promise((resolve, reject) => {
      const r = http.request(app.base + pathname, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      r.on('error', reject);
      r.end();
    });
  const cases = [
    ['township staff, status=deliberation', '/api/v1/proposals?status=deliberation', 'township_staff'],
    ['township staff, awaitingMyReview', '/api/v1/proposals?awaitingMyReview=true', 'township_staff'],
    ['county admin, category + status', '/api/v1/proposals?category=public_welfare&status=voting', 'county_admin'],
    ['county admin, no filter (100k visible)', '/api/v1/proposals', 'county_admin'],
    [
      'county admin, date range',
      `/api/v1/proposals?from=${encodeURIComponent(new Date(Date.now() - 60 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString())}`,
      'county_admin',
    ],
    ['county admin, full text "道路硬化"', `/api/v1/proposals?q=${encodeURIComponent('道路硬化')}`, 'county_admin'],
    [
      'county admin, full text "光伏项目" + township',
      `/api/v1/proposals?q=${encodeURIComponent('光伏项目')}&divisionCode=${TOWNSHIP}`,
      'county_admin',
    ],
    ['county admin, full text 2 chars "果园"', `/api/v1/proposals?q=${encodeURIComponent('果园')}`, 'county_admin'],
    ['resident, own village', '/api/v1/proposals', 'resident'],
  ];
  const results = [];
  for (const [name, url, role] of cases) {
    for (let i = 0; i < 20; i++) await get(url, tokens[role]);
    const times = [];
    let total = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const r = await get(url, tokens[role]);
      times.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
      total = r.body.total;
    }
    times.sort((a, b) => a - b);
    results.push({ case: name, total, p50ms: Number(fmt(percentile(times, 50))), p99ms: Number(fmt(percentile(times, 99))) });
  }
  await app.stop();
  return { proposals: PROPOSALS, requestsPerCase: REQUESTS, results };
}

const db = await freshDatabase('delibbench_tally');
try {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined); // the final DROP … WITH (FORCE) ends it
  await client.connect();
  const tally = await tallyBench(db, client);
  const list = await listBench(db, client);
  await client.end();
  const { readFile } = await import('node:fs/promises');
  const result = { date: new Date().toISOString(), loadAverage: (await readFile('/proc/loadavg', 'utf8')).trim(), tally, list };
  console.log(JSON.stringify(result, null, 2));
  await mkdir(path.join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(path.join(ROOT, `bench/results/deliberation-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  if (!tally.matchesIndependentCount) process.exitCode = 1;
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  if (!KEEP) await db.drop();
}
