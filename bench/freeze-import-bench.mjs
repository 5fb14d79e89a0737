// npm run bench:freeze-import — issue 16: freezing a 10,000-elector electorate under 1 s, importing a 5,000-person
// village register under 10 s, both through the running app.
//  freeze  a village of BENCH_ELECTORS (10,000) adult residents in households of three (a third with accounts): each
//          round puts a 村民会议 proposal at the end of its notice period and opens its vote (POST /proposals/:id/voting:
//          the electorate and its households frozen into vote_elector, the vote row's denominators, the electorate told
//          in the inbox and by SMS for those offline, audited); BENCH_ROUNDS (5) rounds, p50 and max, the rows checked.
//          Then the freeze alone in-process (Electorates.freeze inside a transaction that is rolled back).
//  import  a register of BENCH_IMPORT_PEOPLE (5,000) people (valid ID numbers, phones, households, some roles, some
//          without a smartphone) as the CSV the import page sends (POST /villages/:code/residents/import): a check
//          (dryRun), the import, and the same file again (which must change nothing); the rows checked afterwards.
import { loadavg } from 'node:os';
import pg from 'pg';
import { cpuSeconds, dist, fmt, freshDatabase, insertPeople, mintToken, percentile, startApp, VILLAGE } from './lib.mjs';

const ELECTORS = Number(process.env.BENCH_ELECTORS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PEOPLE = Number(process.env.BENCH_IMPORT_PEOPLE ?? 5_000);
const KEEP = process.env.BENCH_KEEP_DB === '1';
/** BENCH_PARTS: freeze, import or both (the default). */
const PARTS = (process.env.BENCH_PARTS ?? 'freeze,import').split(',');
// The register is imported into another village of the same township, so the freeze's village stays as it is.
const IMPORT_VILLAGE = '140428101201';
const DAY = 86_400_000;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A village committee member of `village` with a live session: the actor of both steps. */
async function committeeMember(client, village) {
  const {
    rows: [who],
  } = await client.query(
    `WITH p AS (INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
                VALUES ('压测村委', '\\x00', decode(md5($1), 'hex'), '1404**********0000', '1975-01-01', 'M', $1) RETURNING id),
          g AS (INSERT INTO role_grant (person_id, role, division_code) SELECT id, 'village_committee', $1 FROM p),
          a AS (INSERT INTO account (person_id, login_phone_hash, password_hash, status)
                SELECT id, decode(md5('phone' || $1), 'hex'), 'bench-no-login', 'active' FROM p RETURNING id),
          s AS (INSERT INTO auth_session (account_id, expires_at) SELECT id, now() + interval '1 day' FROM a RETURNING id, account_id)
     SELECT account_id AS "accountId", id AS "sessionId" FROM s`,
    [village],
  );
  return who;
}

/** A 村民会议 proposal whose 10-day notice ended yesterday: the vote may open now. */
async function proposalReadyToVote(client, i) {
  const {
    rows: [p],
  } = await client.query(
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, $2, '压测：冻结表决人名单', 'public_welfare', 'villagers_meeting', 'secret', 'deliberation', now() - interval '11 days',
             now() - interval '12 days', now() - interval '11 days')
     RETURNING id`,
    [VILLAGE, `压测议题 ${i}`],
  );
  return p.id;
}

async function post(base, token, path, body) {
  const t0 = performance.now();
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 2000)}`);
  return { ms, json };
}

const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${fmt(percentile(s, 50), 0)} ms, max ${fmt(s[s.length - 1], 0)} ms`;
};

/** CPU seconds so far of the app process and of the server processes of this database's connections (but `client`'s). */
async function cpuNow(client, app) {
  const { rows } = await client.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  return { app: cpuSeconds(app.pid), pg: new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)])) };
}
async function cpuSince(client, app, before) {
  const now = await cpuNow(client, app);
  let pg = 0;
  for (const [pid, s] of now.pg) pg += s - (before.pg.get(pid) ?? 0);
  return { app: now.app - before.app, pg };
}

async function benchFreeze(client, app, token, db) {
  const lat = [];
  const cpu = [];
  // Round 0 is the process's first vote opened (statements planned, code compiled): shown, not counted.
  for (let r = 0; r <= ROUNDS; r++) {
    const id = await proposalReadyToVote(client, r);
    const before = await cpuNow(client, app);
    const { ms } = await post(app.base, token, `/api/v1/proposals/${id}/voting`, {
      closesAt: new Date(Date.now() + 2 * DAY).toISOString(),
    });
    const used = await cpuSince(client, app, before);
    const {
      rows: [v],
    } = await client.query(
      `SELECT v.electorate, v.households, (SELECT count(*)::int FROM vote_elector e WHERE e.vote_id = v.id) AS frozen,
              (SELECT count(DISTINCT household_no)::int FROM vote_elector e WHERE e.vote_id = v.id) AS frozen_households,
              (SELECT status FROM proposal WHERE id = $1) AS status
         FROM vote v WHERE v.proposal_id = $1`,
      [id],
    );
    if (v.electorate !== ELECTORS || v.frozen !== ELECTORS || v.households !== v.frozen_households || v.status !== 'voting') {
      throw new Error(`round ${r}: ${JSON.stringify(v)}`);
    }
    if (r > 0) {
      lat.push(ms);
      cpu.push(used.app + used.pg);
    }
    console.log(
      `  ${r ? `round ${r}` : 'cold'}: ${fmt(ms, 0)} ms — ${v.electorate} electors, ${v.households} households frozen; ` +
        `CPU ${fmt(used.app * 1000, 0)} ms app + ${fmt(used.pg * 1000, 0)} ms PostgreSQL`,
    );
  }
  const {
    rows: [told],
  } = await client.query(`SELECT (SELECT count(*)::int FROM notification) AS inbox, (SELECT count(*)::int FROM outbox_message) AS sms`);
  // Everyone told in the app; by SMS those without an account who have a phone (6,000 of 10,000 here).
  const offlineWithPhone = Array.from({ length: ELECTORS }, (_, i) => i + 1).filter((i) => i % 3 !== 0 && i % 10 !== 0).length;
  if (told.inbox !== (ROUNDS + 1) * ELECTORS || told.sms !== (ROUNDS + 1) * offlineWithPhone)
    throw new Error(`told: ${JSON.stringify(told)}`);
  console.log(
    `freeze through HTTP (POST /proposals/:id/voting, ${ELECTORS} electors): ${stats(lat)} (target < 1 s: ${Math.max(...lat) < 1000 ? 'met' : 'MISSED'}); ` +
      `CPU per vote opened (app + PostgreSQL, whatever else the machine runs): ${stats(cpu.map((c) => c * 1000))}; ` +
      `inbox rows ${told.inbox}, SMS outbox rows ${told.sms} after ${ROUNDS + 1} votes`,
  );

  // The freeze alone, in-process: Electorates.freeze (set-based INSERT … SELECT and the vote row's counts).
  const { createApp } = await import(dist('apps/api/src/bootstrap.js'));
  const { Electorates } = await import(dist('libs/deliberation/src/electorate.js'));
  const { createLogger } = await import(dist('libs/platform/src/index.js'));
  const { DataSource } = await import('typeorm');
  const nest = await createApp({ ...db.config, jobsEnabled: false, databaseUrl: db.url }, { log: createLogger('warn') });
  try {
    const electorates = nest.get(Electorates, { strict: false });
    const ds = nest.get(DataSource);
    const inProcess = [];
    for (let r = 0; r < ROUNDS; r++) {
      const qr = ds.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        const id = await proposalReadyToVote(client, 100 + r);
        const [{ id: voteId }] = await qr.query(
          `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
           VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now(), now() + interval '2 days', current_date, 0, 0) RETURNING id`,
          [id],
        );
        const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
        const t0 = performance.now();
        const counts = await electorates.freeze(qr.manager, voteId, VILLAGE, 'villagers_meeting', 'public_welfare', day);
        inProcess.push(performance.now() - t0);
        if (counts.electorate !== ELECTORS) throw new Error(`in-process freeze: ${JSON.stringify(counts)}`);
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    }
    console.log(`freeze in-process (Electorates.freeze, rolled back): ${stats(inProcess)}`);
  } finally {
    await nest.close();
  }
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建国建华志强春梅海燕红梅小红国平';

/** A valid 18-digit ID number: born in 壶关 (140428) on a day spread over 1940–2005, with its check character. */
function idNumber(i) {
  const { residentIdCheckChar } = globalThis.platform;
  const d = new Date(Date.UTC(1940, 0, 1) + (i % 23_000) * DAY);
  const body = `140428${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(i / 23_000) * 100 + (i % 100)).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

/** The register as the import page sends it (a CSV with the template's columns). */
function registerCsv(n) {
  const lines = ['姓名,身份证号,手机号,户号,村民代表,党员,集体经济组织成员,无智能手机'];
  for (let i = 0; i < n; i++) {
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 13) % GIVEN.length] : '');
    const phone = i % 4 === 3 ? '' : `139${String(10_000_000 + i).slice(-8)}`; // a quarter without a phone
    lines.push(
      [
        name,
        idNumber(i),
        phone,
        `导入${Math.floor(i / 3) + 1}户`,
        i % 100 === 0 ? '是' : '',
        i % 20 === 0 ? '是' : '',
        i % 2 ? '是' : '否',
        i % 10 === 0 ? '是' : '',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

async function benchImport(client, app, token) {
  const csv = registerCsv(PEOPLE);
  const path = `/api/v1/villages/${IMPORT_VILLAGE}/residents/import`;
  const check = await post(app.base, token, path, { csv, dryRun: true });
  if (check.json.total !== PEOPLE) throw new Error(`dry run: ${JSON.stringify(check.json).slice(0, 500)}`);
  console.log(`import check (dryRun, ${PEOPLE} rows, ${fmt(csv.length / 1024, 0)} KiB of CSV): ${fmt(check.ms, 0)} ms`);
  const first = await post(app.base, token, path, { csv });
  console.log(`import: ${fmt(first.ms, 0)} ms`);
  const {
    rows: [n],
  } = await client.query(
    `WITH p AS (SELECT * FROM person WHERE home_division_code = $1 AND household_no LIKE '导入%')
     SELECT (SELECT count(*)::int FROM p) AS people,
            (SELECT count(*)::int FROM role_grant g JOIN p ON p.id = g.person_id WHERE g.division_code = $1 AND g.role = 'resident') AS residents,
            (SELECT count(*)::int FROM role_grant g JOIN p ON p.id = g.person_id WHERE g.division_code = $1 AND g.role = 'party_member') AS party,
            (SELECT count(*)::int FROM account a JOIN p ON p.id = a.person_id) AS accounts,
            (SELECT count(*)::int FROM p WHERE no_smartphone) AS offline,
            (SELECT count(DISTINCT household_no)::int FROM p) AS households,
            (SELECT count(*)::int FROM audit_log WHERE action = 'register.person_create' AND target_division = $1) AS audited`,
    [IMPORT_VILLAGE],
  );
  const phones = PEOPLE - Math.floor((PEOPLE + 1) / 4);
  if (
    first.json.created !== PEOPLE ||
    n.people !== PEOPLE ||
    n.residents !== PEOPLE ||
    n.party !== Math.ceil(PEOPLE / 20) ||
    n.accounts !== phones ||
    first.json.activationCodes.length !== phones ||
    n.offline !== Math.ceil(PEOPLE / 10) ||
    n.audited !== PEOPLE
  ) {
    throw new Error(
      `import: ${JSON.stringify({ ...first.json, activationCodes: first.json.activationCodes.length })} ${JSON.stringify(n)}`,
    );
  }
  console.log(
    `import (${PEOPLE} people): ${fmt(first.ms, 0)} ms (target < 10 s: ${first.ms < 10_000 ? 'met' : 'MISSED'}) — ` +
      `${n.people} people in ${n.households} households, ${n.accounts} pending accounts, ${n.party} party members, ${n.offline} without a smartphone, ${n.audited} audit rows`,
  );
  const audited = async () => Number((await client.query(`SELECT count(*) AS n FROM audit_log`)).rows[0].n);
  const auditBefore = await audited();
  const again = await post(app.base, token, path, { csv });
  // Everyone is already registered as in the file: nothing created, nothing written, nothing audited.
  if (again.json.created !== 0 || again.json.updated !== PEOPLE || again.json.activationCodes.length || (await audited()) !== auditBefore) {
    throw new Error(`re-import changed something: ${JSON.stringify(again.json).slice(0, 500)}`);
  }
  console.log(`the same file again (changes nothing): ${fmt(again.ms, 0)} ms`);
}

console.log(`bench:freeze-import — load average ${load()}`);
globalThis.platform = await import(dist('libs/platform/src/index.js'));
const db = await freshDatabase('freezebench');
let app;
try {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined); // dropping the database at the end ends it
  await client.connect();
  await insertPeople(client, ELECTORS);
  // A third of the village with accounts (told in the inbox); the others with a phone in the register are
  // also told by SMS (nine in ten of them; the rest have no phone and hear it at the meeting).
  await client.query(
    `INSERT INTO account (person_id, login_phone_hash, password_hash, status)
     SELECT p.id, decode(md5('phone' || p.id::text), 'hex'), 'bench-no-login', 'active' FROM person p
      WHERE p.home_division_code = $1 AND substring(p.real_name FROM '[0-9]+')::int % 3 = 0`,
    [VILLAGE],
  );
  await client.query(
    `UPDATE person SET phone_enc = '\\x01', phone_hash = decode(md5('ph' || id::text), 'hex'), phone_masked = '139****' || right(real_name, 4)
      WHERE home_division_code = $1 AND substring(real_name FROM '[0-9]+')::int % 10 <> 0`,
    [VILLAGE],
  );
  const freezer = await committeeMember(client, VILLAGE);
  const importer = await committeeMember(client, IMPORT_VILLAGE);
  await client.query('ANALYZE');
  // BENCH_LOG_SLOW_MS: PostgreSQL logs this database's statements slower than that (where the time went).
  if (process.env.BENCH_LOG_SLOW_MS)
    await client.query(`ALTER DATABASE ${db.name} SET log_min_duration_statement = ${Number(process.env.BENCH_LOG_SLOW_MS)}`);
  app = await startApp(db.url, { JOBS_ENABLED: 'false' });
  if (PARTS.includes('freeze')) await benchFreeze(client, app, mintToken(db.config, freezer), db);
  if (PARTS.includes('import')) await benchImport(client, app, mintToken(db.config, importer));
  await client.end();
  console.log(`load average ${load()}`);
} finally {
  await app?.stop();
  if (KEEP) console.log(`database kept: ${db.url}`);
  else await db.drop();
}
