// npm run bench:finance-import — a village accountant's month of 2,000 entries imported into a finance disclosure
// (issue 15: under 5 s), through the running app: the .xlsx in base64 → guard → permission → read and check every
// row → preview; then the commit (all-or-nothing: every entry replaced, the sums recomputed, audited). Each round
// previews and commits the same sheet again; p50 and max per step, and the rows checked afterwards.
import ExcelJS from 'exceljs';
import pg from 'pg';
import { fmt, freshDatabase, mintToken, percentile, startApp } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const VILLAGE = '140428101200';
const CATEGORIES = [
  ['经营收入', 'income'],
  ['发包及上交收入', 'income'],
  ['补助收入', 'income'],
  ['管理费用', 'expense'],
  ['公益支出', 'expense'],
  ['经营支出', 'expense'],
];

async function sheet() {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('收支明细');
  ws.addRow(['日期', '凭证号', '摘要', '对方单位或个人', '收支类别', '收入金额（元）', '支出金额（元）']);
  let income = 0n;
  let expense = 0n;
  for (let i = 1; i <= ROWS; i++) {
    const [category, direction] = CATEGORIES[i % CATEGORIES.length];
    const fen = BigInt(1000 + ((i * 7919) % 900000));
    const yuan = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    if (direction === 'income') income += fen;
    else expense += fen;
    ws.addRow([
      `2026-10-${String(1 + (i % 31)).padStart(2, '0')}`,
      `记-${i}`,
      `压测明细 ${i}`,
      '某某合作社',
      category,
      direction === 'income' ? yuan : '',
      direction === 'expense' ? yuan : '',
    ]);
  }
  return { base64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'), income, expense };
}

const db = await freshDatabase('openbench_import');
let app;
try {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => undefined);
  await client.connect();
  const {
    rows: [who],
  } = await client.query(
    `WITH p AS (INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code)
                VALUES ('压测会计', '\\x00', '\\x01', '1404**********0000', '1980-01-01', 'M', $1) RETURNING id),
          g AS (INSERT INTO role_grant (person_id, role, division_code) SELECT id, 'village_committee', $1 FROM p),
          a AS (INSERT INTO account (person_id, login_phone_hash, password_hash, status) SELECT id, '\\x02', 'bench-no-login', 'active' FROM p RETURNING id),
          s AS (INSERT INTO auth_session (account_id, expires_at) SELECT id, now() + interval '1 day' FROM a RETURNING id, account_id)
     SELECT account_id AS "accountId", id AS "sessionId" FROM s`,
    [VILLAGE],
  );
  const {
    rows: [d],
  } = await client.query(
    `INSERT INTO disclosure (village_code, subject, kind, series, title, period_kind, period_start, period_end, opening_balance_fen, income_fen,
                             expense_fen, created_by, created_at, updated_at)
     VALUES ($1, 'village', 'finance', 'finance', '2026年10月财务收支公开', 'month', '2026-10-01', '2026-10-31', 0, 0, 0, $2, now(), now()) RETURNING id`,
    [VILLAGE, who.accountId],
  );
  const { base64, income, expense } = await sheet();
  const token = mintToken(db.config, who);
  app = await startApp(db.url);
  const post = async (commit) => {
    const t0 = performance.now();
    const res = await fetch(`${app.base}/api/v1/disclosures/${d.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ contentBase64: base64, commit }),
    });
    const body = await res.json();
    const ms = performance.now() - t0;
    if (!res.ok || body.errors.length || body.rows !== ROWS || body.committed !== commit)
      throw new Error(`import: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return ms;
  };
  await post(false); // warm-up
  const preview = [];
  const commit = [];
  for (let r = 0; r < ROUNDS; r++) {
    preview.push(await post(false));
    commit.push(await post(true));
  }
  await app.stop();
  app = null;
  const {
    rows: [check],
  } = await client.query(
    `SELECT (SELECT count(*)::int FROM finance_entry WHERE disclosure_id = $1) AS entries, income_fen::text AS income, expense_fen::text AS expense
       FROM disclosure WHERE id = $1`,
    [d.id],
  );
  await client.end();
  preview.sort((a, b) => a - b);
  commit.sort((a, b) => a - b);
  const { readFileSync } = await import('node:fs');
  const load = readFileSync('/proc/loadavg', 'utf8').trim();
  const result = {
    date: new Date().toISOString(),
    rows: ROWS,
    sheetBytesBase64: base64.length,
    rounds: ROUNDS,
    previewMs: { p50: Number(fmt(percentile(preview, 50))), max: Number(fmt(preview[preview.length - 1])) },
    commitMs: { p50: Number(fmt(percentile(commit, 50))), max: Number(fmt(commit[commit.length - 1])) },
    loadAverage: load,
    check: { ...check, expectedIncome: income.toString(), expectedExpense: expense.toString() },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `\n${ROWS} 笔收支明细导入：预览 p50 ${result.previewMs.p50} ms（最长 ${result.previewMs.max} ms），确认导入 p50 ${result.commitMs.p50} ms（最长 ${result.commitMs.max} ms）；负载 ${load}`,
  );
  const ok =
    check.entries === ROWS &&
    check.income === income.toString() &&
    check.expense === expense.toString() &&
    result.commitMs.max < 5000 &&
    result.previewMs.max < 5000;
  if (!ok) {
    console.error('未达到要求：2,000 笔须全部导入、合计一致，且预览与导入各在 5 秒内');
    process.exitCode = 1;
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  if (app) await app.stop();
  if (!KEEP) await db.drop();
}
process.exit(process.exitCode ?? 0);
