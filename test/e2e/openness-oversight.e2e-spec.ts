import { addDays, periodOf, shanghaiDay } from '../../libs/openness/src/periods.js';
import { quarterStart } from '../../libs/openness/src/schedule.js';
import { download, readXlsxCells } from '../support/economy-fixtures.js';
import { COUNTY, type GivenUser, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2 } from '../support/factories.js';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * 村务共管: the schedule and the township's watch over real HTTP. The schedule starts at the quarter the suite
 * runs in (OPENNESS_SCHEDULE_FROM), so every step is placed relative to that quarter's end and due day, and
 * the clock is moved there (t.clock.advance) and back after each test.
 */
let t: TestApp;
let town: GivenUser; // township staff of 鲍店镇 (TOWNSHIP_A)
let otherTown: GivenUser; // township staff of 石哲镇 (TOWNSHIP_B)
let committee: GivenUser; // village committee of VILLAGE_A
let county: GivenUser;
let Q: string; // the current quarter's first day
let QEND: string;
let DUE: string; // the day its disclosures are due (QEND + 10)
let VILLAGE_C: string; // a third village of 鲍店镇, for the cadence test
const savedFrom = process.env.OPENNESS_SCHEDULE_FROM;

beforeAll(async () => {
  Q = quarterStart(shanghaiDay(new Date()));
  process.env.OPENNESS_SCHEDULE_FROM = Q;
  t = await startTestApp();
  const p = periodOf('quarter', Q);
  if ('problem' in p) throw new Error(p.problem);
  QEND = p.end;
  DUE = addDays(QEND, 10);
  [town, otherTown, committee, county] = [
    await t.given.user('township_staff', TOWNSHIP_A),
    await t.given.user('township_staff', TOWNSHIP_B),
    await t.given.user('village_committee', VILLAGE_A),
    await t.given.user('county_admin', COUNTY),
  ];
  [{ code: VILLAGE_C }] = await queryRows<{ code: string }>(
    t.db,
    `SELECT code FROM division WHERE parent_code = $1 AND code NOT IN ($2, $3) ORDER BY code LIMIT 1`,
    [TOWNSHIP_A, VILLAGE_A, VILLAGE_A2],
  );
  // VILLAGE_A publishes the quarter's general matters and finance two days after it ends; VILLAGE_A2 publishes nothing.
  const publishedAt = `${addDays(QEND, 2)}T10:00:00+08:00`;
  await publish(VILLAGE_A, 'decisions', 'once', addDays(Q, 20), publishedAt);
  await publish(VILLAGE_A, 'finance', 'quarter', Q, publishedAt);
  // A disclosure from before the schedule's first quarter counts for nothing; a villager's query on it is overdue.
  const old = await publish(VILLAGE_A2, 'other', 'quarter', quarterStart(addDays(Q, -1)), `${addDays(Q, -60)}T10:00:00+08:00`);
  const asker = await t.given.person(VILLAGE_A2);
  await t.db.query(
    `INSERT INTO disclosure_query (disclosure_id, village_code, asker_person_id, question, asked_at, answer_due_at)
     VALUES ($1, $2, $3, '这笔钱用在哪里了？', now() - interval '20 days', now() - interval '10 days')`,
    [old, VILLAGE_A2, asker.personId],
  );
}, 90_000);

afterAll(async () => {
  await t.close();
  if (savedFrom === undefined) delete process.env.OPENNESS_SCHEDULE_FROM;
  else process.env.OPENNESS_SCHEDULE_FROM = savedFrom;
});

let shifted = 0;
afterEach(() => {
  t.clock.advance(-shifted);
  shifted = 0;
});
/** Moves the app's clock to noon (长治) of `day`. */
function clockTo(day: string) {
  const ms = Date.parse(`${day}T12:00:00+08:00`) - t.clock.now().getTime();
  t.clock.advance(ms);
  shifted += ms;
}

/** A published disclosure inserted as the lead's workflow leaves it (reviewed, signed off, published). */
async function publish(village: string, kind: string, periodKind: string, start: string, publishedAt: string): Promise<string> {
  const p = periodOf(periodKind as 'month', start);
  if ('problem' in p) throw new Error(p.problem);
  const finance = kind === 'finance';
  const [{ id }] = await queryRows<{ id: string }>(
    t.db,
    `INSERT INTO disclosure (village_code, subject, kind, series, title, period_kind, period_start, period_end, state,
        opening_balance_fen, income_fen, expense_fen, closing_balance_fen, created_by, created_at, updated_at,
        reviewed_by, reviewed_at, published_by, published_at, publicity_until)
     VALUES ($1, 'village', $2, $3, '测试公开', $4, $5, $6, 'published', $7, $7, $7, $7, $8, $9, $9, $8, $9, $8, $9, $9::timestamptz + interval '30 days')
     RETURNING id`,
    [village, kind, finance ? 'finance' : 'general', periodKind, p.start, p.end, finance ? '0' : null, committee.accountId, publishedAt],
  );
  return id;
}

interface Row {
  divisionCode: string;
  divisionName: string;
  villages: number;
  published: number;
  due: number;
  overdue: number;
  villagesLongOverdue: number;
  openQueriesOverdue: number;
}
async function overview(user: GivenUser, divisionCode?: string, asOf?: string) {
  const qs = new URLSearchParams({ ...(divisionCode ? { divisionCode } : {}), ...(asOf ? { asOf } : {}) });
  return t.api.get(`/api/v1/openness/oversight?${qs.toString()}`, user.token);
}
const rowOf = (body: { rows: Row[] }, code: string) => body.rows.find((r) => r.divisionCode === code)!;
async function schedule(user: GivenUser, village: string, asOf?: string) {
  return t.api.get(`/api/v1/openness/villages/${village}/schedule${asOf ? `?asOf=${asOf}` : ''}`, user.token);
}
const statuses = (slots: { series: string; periodStart: string; status: string }[]) =>
  slots.map((s) => `${s.series} ${s.periodStart} ${s.status}`).sort();

/** The roll-up's row for a village must be its schedule counted: the SQL and schedule.ts apply the same rules. */
async function expectRollupMatchesSchedule(village: string, asOf: string) {
  const [o, s] = await Promise.all([overview(town, TOWNSHIP_A, asOf), schedule(town, village, asOf)]);
  const count = (st: string) => s.body.slots.filter((x: { status: string }) => x.status === st).length;
  expect(rowOf(o.body, village)).toMatchObject({
    villages: 1,
    published: count('published'),
    due: count('due'),
    overdue: count('overdue'),
  });
}

describe('the schedule around the due day', () => {
  it('upcoming until the quarter ends, due for ten days after, then overdue; a published quarter is published', async () => {
    clockTo(QEND);
    let s = await schedule(town, VILLAGE_A2);
    expect(s.status).toBe(200);
    expect(statuses(s.body.slots)).toEqual([`finance ${Q} upcoming`, `general ${Q} upcoming`]);
    expect(s.body.slots[0]).toMatchObject({ periodKind: 'quarter', periodEnd: QEND, dueOn: DUE, daysOverdue: 0 });

    clockTo(addDays(QEND, 1));
    s = await schedule(town, VILLAGE_A2);
    expect(statuses(s.body.slots).filter((x) => x.includes(Q))).toEqual([`finance ${Q} due`, `general ${Q} due`]);
    // VILLAGE_A publishes on the second day after the quarter: not yet on the first.
    expect(statuses((await schedule(town, VILLAGE_A)).body.slots).filter((x) => x.includes(Q))).toEqual([
      `finance ${Q} due`,
      `general ${Q} due`,
    ]);

    clockTo(DUE);
    expect(statuses((await schedule(town, VILLAGE_A2)).body.slots).filter((x) => x.includes(Q))).toEqual([
      `finance ${Q} due`,
      `general ${Q} due`,
    ]);
    const a = (await schedule(committee, VILLAGE_A)).body;
    expect(statuses(a.slots).filter((x) => x.includes(Q))).toEqual([`finance ${Q} published`, `general ${Q} published`]);
    expect(a.slots.find((x: { series: string; periodStart: string }) => x.series === 'general' && x.periodStart === Q)).toMatchObject({
      publishedAt: new Date(`${addDays(QEND, 2)}T10:00:00+08:00`).toISOString(),
      daysOverdue: 0,
    });

    clockTo(addDays(DUE, 1));
    s = await schedule(town, VILLAGE_A2);
    const overdue = s.body.slots.filter((x: { periodStart: string }) => x.periodStart === Q);
    expect(overdue.map((x: { status: string; daysOverdue: number }) => [x.status, x.daysOverdue])).toEqual([
      ['overdue', 1],
      ['overdue', 1],
    ]);
    // The next quarter has begun: its slots are listed as upcoming.
    expect(statuses(s.body.slots).filter((x) => !x.includes(Q))).toEqual([
      `finance ${addDays(QEND, 1)} upcoming`,
      `general ${addDays(QEND, 1)} upcoming`,
    ]);
  });

  it('the township’s overview counts its villages’ slots, the same as their schedules, and highlights the long overdue', async () => {
    clockTo(addDays(DUE, 1));
    const o = await overview(town);
    expect(o.status).toBe(200);
    expect(o.body).toMatchObject({ divisionCode: TOWNSHIP_A, asOf: addDays(DUE, 1), longOverdueDays: 30 });
    const villages = await queryRows<{ code: string }>(t.db, `SELECT code FROM division WHERE parent_code = $1 ORDER BY code`, [
      TOWNSHIP_A,
    ]);
    expect(o.body.rows.map((r: Row) => r.divisionCode)).toEqual(villages.map((v) => v.code));
    expect(rowOf(o.body, VILLAGE_A)).toMatchObject({
      villages: 1,
      published: 2,
      due: 0,
      overdue: 0,
      villagesLongOverdue: 0,
      openQueriesOverdue: 0,
    });
    expect(rowOf(o.body, VILLAGE_A2)).toMatchObject({
      villages: 1,
      published: 0,
      due: 0,
      overdue: 2,
      villagesLongOverdue: 0,
      openQueriesOverdue: 1,
    });
    // Every other village of the township has published nothing: two slots overdue each (VILLAGE_C more, once monthly).
    for (const r of o.body.rows as Row[])
      if (![VILLAGE_A, VILLAGE_A2, VILLAGE_C].includes(r.divisionCode)) expect(r).toMatchObject({ published: 0, overdue: 2 });
    const sum = (k: keyof Row) => (o.body.rows as Row[]).reduce((n, r) => n + (r[k] as number), 0);
    expect(o.body.total).toMatchObject({
      divisionCode: TOWNSHIP_A,
      villages: villages.length,
      published: 2,
      due: sum('due'),
      overdue: sum('overdue'),
      villagesLongOverdue: sum('villagesLongOverdue'),
      openQueriesOverdue: 1,
    });
    await expectRollupMatchesSchedule(VILLAGE_A, addDays(DUE, 1));
    await expectRollupMatchesSchedule(VILLAGE_A2, addDays(DUE, 1));

    // More than 30 days past the due day: highlighted.
    const late = (await overview(town, TOWNSHIP_A, addDays(DUE, 31))).body;
    expect(rowOf(late, VILLAGE_A2).villagesLongOverdue).toBe(1);
    expect(rowOf(late, VILLAGE_A).villagesLongOverdue).toBe(0);
    expect(late.total.villagesLongOverdue).toBe(villages.length - 1);
    expect(rowOf((await overview(town, TOWNSHIP_A, addDays(DUE, 30))).body, VILLAGE_A2).villagesLongOverdue).toBe(0);

    // The county sees the township's row with the same figures, the city the county's.
    const c = await overview(county, COUNTY, addDays(DUE, 1));
    expect(rowOf(c.body, TOWNSHIP_A)).toEqual({ ...o.body.total, divisionName: rowOf(c.body, TOWNSHIP_A).divisionName });
    expect(c.body.rows.every((r: Row) => r.divisionCode.length === 9)).toBe(true);
  });

  it('an as-of day before a publication does not count it', async () => {
    const before = await overview(town, TOWNSHIP_A, addDays(QEND, 1));
    expect(rowOf(before.body, VILLAGE_A)).toMatchObject({ published: 0, due: 2 });
    expect(rowOf((await overview(town, TOWNSHIP_A, addDays(QEND, 2))).body, VILLAGE_A)).toMatchObject({ published: 2, due: 0 });
    expect((await overview(town, TOWNSHIP_A, '2026-02-30')).status).toBe(400);
  });
});

describe('the finance cadence', () => {
  it('set monthly by the township: finance is due every month from the quarter it was set in; audited', async () => {
    const before = (await schedule(town, VILLAGE_C, addDays(QEND, 5))).body;
    expect(before.financeMonthly).toBe(false);
    expect(before.slots.filter((s: { series: string }) => s.series === 'finance').map((s: { periodKind: string }) => s.periodKind)).toEqual(
      ['quarter', 'quarter'],
    );
    expect((await t.api.put(`/api/v1/openness/villages/${VILLAGE_C}/setting`, { financeMonthly: true }, committee.token)).status).toBe(403);
    expect((await t.api.put(`/api/v1/openness/villages/${VILLAGE_C}/setting`, { financeMonthly: true }, otherTown.token)).status).toBe(404);
    const put = await t.api.put(`/api/v1/openness/villages/${VILLAGE_C}/setting`, { financeMonthly: true }, town.token);
    expect(put.status).toBe(200);
    expect(put.body.financeMonthly).toBe(true);

    const asOf = addDays(QEND, 5);
    const after = (await schedule(town, VILLAGE_C, asOf)).body;
    const months = [0, 1, 2].map((k) => {
      const m = Number(Q.slice(5, 7)) + k;
      return `${Q.slice(0, 5)}${String(m).padStart(2, '0')}-01`;
    });
    const finance = after.slots.filter((s: { series: string }) => s.series === 'finance');
    expect(
      finance.map((s: { periodKind: string; periodStart: string; status: string }) => `${s.periodKind} ${s.periodStart} ${s.status}`),
    ).toEqual([`month ${addDays(QEND, 1)} upcoming`, `month ${months[2]} due`, `month ${months[1]} overdue`, `month ${months[0]} overdue`]);
    await expectRollupMatchesSchedule(VILLAGE_C, asOf);
    expect(rowOf((await overview(town, TOWNSHIP_A, asOf)).body, VILLAGE_C)).toMatchObject({ due: 2, overdue: 2, published: 0 });

    const audit = await queryRows<{ details: { financeMonthly: { old: boolean; new: boolean } } }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'openness.setting' AND target_id = $1`,
      [VILLAGE_C],
    );
    expect(audit.map((a) => a.details.financeMonthly)).toEqual([{ old: false, new: true }]);
    // Setting it again to the same value changes nothing (and the months keep counting from the same quarter).
    await t.api.put(`/api/v1/openness/villages/${VILLAGE_C}/setting`, { financeMonthly: true }, town.token);
    expect(await queryRows(t.db, `SELECT 1 FROM audit_log WHERE action = 'openness.setting' AND target_id = $1`, [VILLAGE_C])).toHaveLength(
      1,
    );
  });
});

describe('the township’s order to publish (Art. 31)', () => {
  it('recorded and followed up by the township, shown on the village’s schedule, audited; nobody else may', async () => {
    const today = shanghaiDay(t.clock.now());
    const body = {
      villageCode: VILLAGE_A2,
      series: 'finance',
      periodStart: Q,
      text: '请于限期内公开本季度财务收支。',
      dueOn: addDays(today, 7),
    };
    expect((await t.api.post('/api/v1/openness/orders', body, otherTown.token)).body.code).toBe('OPENNESS_VILLAGE_NOT_FOUND');
    expect((await t.api.post('/api/v1/openness/orders', body, committee.token)).status).toBe(403);
    const bad = await t.api.post('/api/v1/openness/orders', { ...body, series: undefined }, town.token);
    expect([bad.status, bad.body.code]).toEqual([400, 'TOWNSHIP_ORDER_INVALID']);
    expect((await t.api.post('/api/v1/openness/orders', { ...body, dueOn: addDays(today, -1) }, town.token)).body.code).toBe(
      'TOWNSHIP_ORDER_INVALID',
    );

    const made = await t.api.post('/api/v1/openness/orders', body, town.token);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      villageCode: VILLAGE_A2,
      series: 'finance',
      periodStart: Q,
      dueOn: body.dueOn,
      orderedBy: town.realName,
      followUp: null,
    });

    // An order on the villager's overdue query.
    const [{ id: queryId }] = await queryRows<{ id: string }>(t.db, `SELECT id FROM disclosure_query WHERE village_code = $1`, [
      VILLAGE_A2,
    ]);
    const onQuery = await t.api.post(
      '/api/v1/openness/orders',
      { villageCode: VILLAGE_A2, queryId, text: '请答复村民质询。', dueOn: body.dueOn },
      town.token,
    );
    expect(onQuery.status).toBe(201);
    expect(onQuery.body.queryId).toBe(queryId);
    expect(
      (await t.api.post('/api/v1/openness/orders', { villageCode: VILLAGE_A, queryId, text: '请答复。', dueOn: body.dueOn }, town.token))
        .body.code,
    ).toBe('TOWNSHIP_ORDER_INVALID');

    expect((await t.api.post(`/api/v1/openness/orders/${made.body.id}/follow-up`, { followUp: '已公开' }, otherTown.token)).status).toBe(
      404,
    );
    const f = await t.api.post(`/api/v1/openness/orders/${made.body.id}/follow-up`, { followUp: '村委会已于限期内张榜公开。' }, town.token);
    expect(f.status).toBe(200);
    expect(f.body.followUp).toBe('村委会已于限期内张榜公开。');
    expect(f.body.followedUpAt).not.toBeNull();
    const again = await t.api.post(`/api/v1/openness/orders/${made.body.id}/follow-up`, { followUp: '再次' }, town.token);
    expect([again.status, again.body.code]).toEqual([409, 'TOWNSHIP_ORDER_ALREADY_FOLLOWED_UP']);

    const s = (await schedule(town, VILLAGE_A2)).body;
    expect(s.orders.map((o: { id: string; followUp: string | null }) => [o.id, o.followUp]).sort()).toEqual(
      [
        [made.body.id, '村委会已于限期内张榜公开。'],
        [onQuery.body.id, null],
      ].sort(),
    );
    const audit = await queryRows<{ action: string; target_id: string }>(
      t.db,
      `SELECT action, target_id FROM audit_log WHERE action LIKE 'openness.order%' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'openness.order', target_id: made.body.id },
      { action: 'openness.order', target_id: onQuery.body.id },
      { action: 'openness.order.follow_up', target_id: made.body.id },
    ]);
  });
});

describe('scope', () => {
  it('another township’s staff sees neither the township nor its villages; a committee sees its own village only', async () => {
    expect((await overview(otherTown, TOWNSHIP_A)).body.code).toBe('OPENNESS_DIVISION_OUT_OF_SCOPE');
    expect((await schedule(otherTown, VILLAGE_A2)).status).toBe(404);
    const own = (await overview(otherTown)).body;
    expect(own.divisionCode).toBe(TOWNSHIP_B);
    expect(own.rows.some((r: Row) => r.divisionCode.startsWith(TOWNSHIP_A))).toBe(false);

    const mine = (await overview(committee)).body;
    expect(mine.rows.map((r: Row) => r.divisionCode)).toEqual([VILLAGE_A]);
    expect((await schedule(committee, VILLAGE_A2)).status).toBe(404);
    expect((await overview(committee, TOWNSHIP_A)).status).toBe(404);
  });
});

describe('the export', () => {
  it('opens with exceljs and holds the overview’s rows and total', async () => {
    const asOf = addDays(DUE, 1);
    const o = (await overview(town, TOWNSHIP_A, asOf)).body;
    const file = await download(t.baseUrl, `/api/v1/openness/oversight/export?divisionCode=${TOWNSHIP_A}&asOf=${asOf}`, town.token);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const [sheet] = Object.values(await readXlsxCells(file.body));
    expect(sheet[0][0]).toContain(asOf);
    const body = sheet.slice(2);
    expect(body).toHaveLength(o.rows.length + 1);
    const line = (r: Row & { divisionName: string }, name = r.divisionName) =>
      [name, r.villages, r.published, r.due, r.overdue, r.villagesLongOverdue, r.openQueriesOverdue].map(String);
    expect(body.slice(0, -1)).toEqual(o.rows.map((r: Row & { divisionName: string }) => line(r)));
    expect(body[body.length - 1]).toEqual(line(o.total, `${o.divisionName}（合计）`));
    expect((await download(t.baseUrl, `/api/v1/openness/oversight/export?divisionCode=${TOWNSHIP_A}`, otherTown.token)).status).toBe(404);
  });
});

describe('the roll-up’s arithmetic against the schedules (schedule.ts), on varied data', () => {
  it('cadences switched before, at and after the first quarter, a collective series, late, missing and unpublished disclosures: equal on every day', async () => {
    // A fixed pseudo-random sequence: the same data on every run.
    let seed = 15;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = (n: number) => Math.floor(rand() * n);
    /** The first day of the k-th month from the schedule's first quarter (k < 0: before it). */
    const month = (k: number) => new Date(Date.UTC(Number(Q.slice(0, 4)), Number(Q.slice(5, 7)) - 1 + k, 1)).toISOString().slice(0, 10);
    const villages = (
      await queryRows<{ code: string }>(t.db, `SELECT code FROM division WHERE parent_code = $1 ORDER BY code LIMIT 8`, [TOWNSHIP_B])
    ).map((r) => r.code);
    expect(villages).toHaveLength(8);

    // Cadences: none; monthly since before the schedule; set mid-way in the second quarter; in the fourth; set and
    // then back to quarterly; set at 00:30 长治 on the first day of the second quarter (the day before, in UTC).
    const settings: [boolean, string][] = [
      [true, `${addDays(Q, -40)}T09:00:00+08:00`],
      [true, `${addDays(month(4), 10)}T15:00:00+08:00`],
      [true, `${addDays(month(9), 20)}T10:00:00+08:00`],
      [false, `${addDays(month(2), 3)}T10:00:00+08:00`],
      [true, `${month(3)}T00:30:00+08:00`],
      [true, `${addDays(month(7), 1)}T10:00:00+08:00`],
    ];
    for (const [i, [monthly, at]] of settings.entries())
      await t.db.query(`INSERT INTO openness_village_setting (village_code, finance_monthly, set_by, set_at) VALUES ($1, $2, $3, $4)`, [
        villages[i + 1],
        monthly,
        town.accountId,
        at,
      ]);

    const insert = async (
      village: string,
      subject: string,
      kind: string,
      periodKind: string,
      start: string,
      publishedOn: string | null,
    ) => {
      const p = periodOf(periodKind as 'month', start);
      if ('problem' in p) throw new Error(p.problem);
      const finance = kind === 'finance';
      const series = kind === 'annual_reports' ? null : finance ? (subject === 'village' ? 'finance' : 'collective_finance') : 'general';
      // Published at a random hour of the 长治 day (10:00, or 23:30: the UTC day before is not the day).
      const at = publishedOn === null ? null : `${publishedOn}T${pick(2) ? '10:00' : '23:30'}:00+08:00`;
      await t.db.query(
        `INSERT INTO disclosure (village_code, subject, kind, series, title, period_kind, period_start, period_end, state,
            opening_balance_fen, income_fen, expense_fen, closing_balance_fen, created_by, created_at, updated_at,
            reviewed_by, reviewed_at, published_by, published_at, publicity_until)
         VALUES ($1, $2, $3, $4, '测试公开', $5, $6, $7, $8, $9, $9, $9, $9, $10, now(), now(),
                 $11, $12, $11, $12, $12::timestamptz + interval '30 days')`,
        [
          village,
          subject,
          kind,
          series,
          periodKind,
          p.start,
          p.end,
          at === null ? 'draft' : 'published',
          finance ? '0' : null,
          committee.accountId,
          at === null ? null : committee.accountId,
          at,
        ],
      );
      return p;
    };
    /** Published 5 days before to 55 days after the period's end, or (one in six) not published. */
    const publication = (end: string) => (pick(6) === 0 ? null : addDays(end, pick(61) - 5));

    for (const [i, village] of villages.entries()) {
      const used = new Set<string>();
      for (let q = 0; q < 5; q++) {
        // Finance: a quarterly disclosure (then the quarter's later months, sometimes), or months, some missing.
        const quarterly = pick(4) === 0;
        if (quarterly) {
          const p = await insert(village, 'village', 'finance', 'quarter', month(3 * q), publication(addDays(month(3 * q + 3), -1)));
          used.add(`finance ${p.start}`);
        }
        for (let k = quarterly ? 1 : 0; k < 3; k++)
          if (pick(5) !== 0)
            await insert(village, 'village', 'finance', 'month', month(3 * q + k), publication(addDays(month(3 * q + k + 1), -1)));
        // General matters: none to three in the quarter, on any day.
        for (let n = pick(4); n > 0; n--) {
          const day = addDays(month(3 * q), pick(90));
          await insert(village, 'village', pick(2) ? 'decisions' : 'other', 'once', day, pick(6) === 0 ? null : addDays(day, pick(40)));
        }
      }
      // A general matter before the schedule's first quarter, and a collective annual report: they count for nothing.
      await insert(village, 'village', 'other', 'quarter', month(-3), month(-1));
      await insert(village, 'collective', 'annual_reports', 'year', `${Number(Q.slice(0, 4)) - 1}-01-01`, month(-2));
      // Every other village has a collective economic organization from a month between two months before the
      // schedule and its second quarter; its first disclosure counts in any state.
      if (i % 2 === 1) {
        const first = pick(7) - 2;
        await insert(village, 'collective', 'finance', 'month', month(first), null);
        for (let k = first + 1; k < 15; k++) {
          if (pick(3) === 0) continue;
          const quarterStartMonth = k % 3 === 0 && pick(3) === 0;
          await insert(
            village,
            'collective',
            'finance',
            quarterStartMonth ? 'quarter' : 'month',
            month(k),
            publication(addDays(month(k + (quarterStartMonth ? 3 : 1)), -1)),
          );
          if (quarterStartMonth) k += 2;
        }
      }
    }

    const seen = { published: 0, due: 0, overdue: 0, long: 0, monthly: 0, collective: 0, upcoming: 0 };
    for (let asOf = addDays(Q, -3); asOf <= addDays(month(15), 20); asOf = addDays(asOf, 11)) {
      const o = await overview(otherTown, TOWNSHIP_B, asOf);
      expect(o.status).toBe(200);
      for (const village of villages) {
        const s = await schedule(otherTown, village, asOf);
        expect(s.status).toBe(200);
        const slots = s.body.slots as { series: string; periodKind: string; status: string; daysOverdue: number }[];
        const count = (st: string) => slots.filter((x) => x.status === st).length;
        const long = slots.some((x) => x.status === 'overdue' && x.daysOverdue > o.body.longOverdueDays) ? 1 : 0;
        const r = rowOf(o.body, village);
        expect({ asOf, village, ...r }).toEqual({
          asOf,
          village,
          divisionCode: village,
          divisionName: r.divisionName,
          villages: 1,
          published: count('published'),
          due: count('due'),
          overdue: count('overdue'),
          villagesLongOverdue: long,
          openQueriesOverdue: r.openQueriesOverdue,
        });
        seen.published += count('published');
        seen.due += count('due');
        seen.overdue += count('overdue');
        seen.upcoming += count('upcoming');
        seen.long += long;
        seen.monthly += slots.filter((x) => x.periodKind === 'month').length;
        seen.collective += slots.filter((x) => x.series === 'collective_finance').length;
      }
    }
    // The data exercised every status, both cadences and the collective series.
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(20);
  }, 120_000);
});
