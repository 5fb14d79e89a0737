import { createServer } from 'node:net';
import { sql } from 'kysely';
import { ReportingDb } from '#platform';
import { TOWNSHIP_A, VILLAGE_A, VILLAGE_A2 } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

/** DATABASE_READ_URL (decision 060): reports go to the replica, and to the primary when it cannot be reached. */
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  for (const [village, status] of [
    [VILLAGE_A, 'draft'],
    [VILLAGE_A, 'draft'],
    [VILLAGE_A2, 'deliberation'],
  ]) {
    await t.db.query(
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
       VALUES ($1, '报表测试', '正文', 'public_welfare', 'villagers_meeting', 'open', $2, CASE WHEN $2 = 'draft' THEN NULL ELSE now() END, now(), now())`,
      [village, status],
    );
  }
  token = (await t.given.user('township_staff', TOWNSHIP_A)).token;
});
afterAll(async () => {
  await t.close();
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const byState = (body: { total: { byState: Record<string, number>; total: number } }) => ({
  total: body.total.total,
  draft: body.total.byState.draft,
  deliberation: body.total.byState.deliberation,
});

it('with the replica unreachable, statistics are answered from the primary and the process stays on it', async () => {
  const replica = `postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`;
  const p = await t.sibling({ DATABASE_URL: t.databaseUrl, DATABASE_READ_URL: replica });
  try {
    const reporting = p.app.get(ReportingDb);
    expect(reporting.source).toBe('replica');
    const r = await p.api.get(`/api/v1/proposal-stats?divisionCode=${TOWNSHIP_A}`, token);
    expect(r.status).toBe(200);
    expect(byState(r.body)).toEqual({ total: 3, draft: 2, deliberation: 1 });
    // The failed attempt marked the replica down: the next reports go straight to the primary.
    expect(reporting.source).toBe('primary');
    const again = await p.api.get(`/api/v1/economy/stats?year=2025&divisionCode=${TOWNSHIP_A}`, token);
    expect(again.status).toBe(200);
    expect(again.body.divisionCode).toBe(TOWNSHIP_A);
  } finally {
    await p.close();
  }
});

it('with DATABASE_READ_URL naming a reachable database, statistics come through the read pool', async () => {
  const p = await t.sibling({ DATABASE_URL: t.databaseUrl, DATABASE_READ_URL: t.databaseUrl });
  try {
    const r = await p.api.get(`/api/v1/proposal-stats?divisionCode=${TOWNSHIP_A}`, token);
    expect(r.status).toBe(200);
    expect(byState(r.body)).toEqual({ total: 3, draft: 2, deliberation: 1 });
    expect(p.app.get(ReportingDb).source).toBe('replica');
    // The read pool's connection is there, under its own name.
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sangong-reports' AND datname = current_database()`,
    );
    expect(n).toBeGreaterThanOrEqual(1);
  } finally {
    await p.close();
  }
});

it('the read pool refuses a write (read-only sessions), and the write is not retried on the primary', async () => {
  const p = await t.sibling({ DATABASE_URL: t.databaseUrl, DATABASE_READ_URL: t.databaseUrl });
  try {
    const write = p.app
      .get(ReportingDb)
      .read((db) => sql`UPDATE proposal SET title = '不应写入' WHERE village_code = ${VILLAGE_A}`.execute(db));
    await expect(write).rejects.toMatchObject({ code: '25006' }); // read_only_sql_transaction
    const rows = await queryRows<{ title: string }>(t.db, `SELECT title FROM proposal WHERE village_code = $1`, [VILLAGE_A]);
    expect(rows.map((r) => r.title)).toEqual(['报表测试', '报表测试']);
  } finally {
    await p.close();
  }
});
