import { orgCreditCode } from '../support/economy-fixtures.js';
import { CITY, COUNTY, type GivenUser, VILLAGE_A, VILLAGE_B } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';
import { readsSettled, within } from '../support/wait.js';

// The city's roll-ups come from the read cache (docs/decisions/063-rollups-from-memory.md): computed once for
// every reader, dropped when a table they read changes (by the app or by SQL outside it), and never older
// than READ_CACHE_SECONDS when a change escaped the triggers.

let t: TestApp;
let city: GivenUser;
beforeAll(async () => {
  t = await startTestApp();
  city = await t.given.user('city_admin', CITY);
});
afterAll(async () => {
  await t.close();
});

/** A change the triggers do not see (as if its notification were lost): only the age limit can bring it. */
async function silently(sql: string, params: unknown[]): Promise<void> {
  await t.db.transaction(async (em) => {
    await em.query('SET LOCAL session_replication_role = replica');
    await em.query(sql, params);
  });
}

async function read<T>(path: string): Promise<T> {
  const r = await t.api.get(path, city.token);
  expect(r.status).toBe(200);
  return r.body as T;
}

/**
 * For one roll-up: a silent change is not seen until the age limit, a notified one within a second.
 * `figure` reads the number under test; `change(n)` sets it to n, by SQL.
 */
async function followsChanges(path: string, figure: (body: never) => number, change: (n: number) => string, params: unknown[]) {
  await readsSettled(t.app, t.db);
  const before = figure(await read(path));
  await silently(change(before + 3), params);
  expect(figure(await read(path))).toBe(before);
  t.clock.advance(6000);
  expect(figure(await read(path))).toBe(before + 3);
  await queryRows(t.db, change(before + 7), params);
  expect(await within(1000, async () => figure(await read(path)) === before + 7)).toBeLessThan(1000);
}

describe('roll-ups from memory', () => {
  it('proposal statistics: a proposal added in a village of the city is counted within a second', async () => {
    const path = `/api/v1/proposal-stats?divisionCode=${CITY}`;
    const total = (b: { total: { total: number } }) => b.total.total;
    await readsSettled(t.app, t.db);
    const before = total(await read(path));
    await silently(
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, created_at, updated_at)
       VALUES ($1, '统计缓存', '正文', 'public_welfare', 'villagers_meeting', 'open', 'draft', now(), now())`,
      [VILLAGE_B],
    );
    expect(total(await read(path))).toBe(before);
    t.clock.advance(6000);
    expect(total(await read(path))).toBe(before + 1);
    await queryRows(
      t.db,
      `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, created_at, updated_at)
       VALUES ($1, '统计缓存二', '正文', 'public_welfare', 'villagers_meeting', 'open', 'draft', now(), now())`,
      [VILLAGE_A],
    );
    expect(await within(1000, async () => total(await read(path)) === before + 2)).toBeLessThan(1000);
  });

  it('economy: a village organization’s yearly figure', async () => {
    const [{ id }] = await queryRows<{ id: string }>(
      t.db,
      `INSERT INTO collective_org (level, division_code, name, credit_code, chair_name) VALUES ('village', $1, '缓存测试集体经济组织', $2, '测试') RETURNING id`,
      [VILLAGE_A, orgCreditCode(VILLAGE_A, 'village')],
    );
    await queryRows(
      t.db,
      `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen) VALUES ($1, 2025, 100, 100, 0, 0)`,
      [id],
    );
    await followsChanges(
      `/api/v1/economy/stats?year=2025&divisionCode=${COUNTY}`,
      (b: { total: { operatingIncomeFen: string } }) => Number(b.total.operatingIncomeFen),
      (n) => `UPDATE org_year_figures SET operating_income_fen = ${n}, total_income_fen = ${n} WHERE org_id = $1 AND year = 2025`,
      [id],
    );
  });

  it('mediation: a committee’s yearly cell', async () => {
    await queryRows(
      t.db,
      `INSERT INTO mediation_stats_cell (rollup, unit_code, period_start, received) VALUES ('committee_year', $1, '2024-01-01', 1)`,
      [VILLAGE_B],
    );
    await followsChanges(
      `/api/v1/mediation/stats?divisionCode=${CITY}&groupBy=county&year=2024`,
      (b: { total: { received: number } }) => b.total.received,
      (n) =>
        `UPDATE mediation_stats_cell SET received = received - (SELECT sum(received) FROM mediation_stats_cell WHERE rollup = 'committee_year' AND period_start = '2024-01-01') + ${n} WHERE rollup = 'committee_year' AND unit_code = $1 AND period_start = '2024-01-01'`,
      [VILLAGE_B],
    );
  });

  it('openness oversight: a village’s schedule turned monthly changes what is due or overdue', async () => {
    const path = `/api/v1/openness/oversight?divisionCode=${COUNTY}&asOf=2026-11-20`;
    const due = (b: { total: { due: number; overdue: number } }) => b.total.due + b.total.overdue;
    await readsSettled(t.app, t.db);
    const before = due(await read(path));
    const setMonthly = `INSERT INTO openness_village_setting (village_code, finance_monthly, set_by, set_at)
       VALUES ($1, true, (SELECT id FROM account LIMIT 1), '2026-01-05T00:00:00+08:00')
       ON CONFLICT (village_code) DO UPDATE SET finance_monthly = NOT openness_village_setting.finance_monthly`;
    await silently(setMonthly, [VILLAGE_A]);
    expect(due(await read(path))).toBe(before);
    t.clock.advance(6000);
    const monthly = due(await read(path));
    expect(monthly).toBeGreaterThan(before);
    await queryRows(t.db, setMonthly, [VILLAGE_A]);
    expect(await within(1000, async () => due(await read(path)) === before)).toBeLessThan(1000);
  });
});
