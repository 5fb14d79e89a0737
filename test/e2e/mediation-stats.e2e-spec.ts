import ExcelJS from 'exceljs';
import { OverdueJobService } from '#mediation';
import { type GivenUser, TOWNSHIP_B, VILLAGE_A2 } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  AGREEMENT,
  COUNTY,
  givenCast,
  type MediationCast,
  person,
  SESSION,
  TOWNSHIP_A,
  VILLAGE_A,
  VILLAGE_B,
} from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let cast: MediationCast;
let medA2v: GivenUser;
let medB: GivenUser;
const DAY = 86_400_000;
let shifted = 0;

type Outcome = 'agreed' | 'terminated' | 'declined' | 'pending';
interface Spec {
  committee: string;
  type: string;
  source: string;
  outcome: Outcome;
  /** Day (from the start) the case concluded; the clock is moved, not slept. */
  day?: number;
  escalated: number;
  overdue: boolean;
  id?: string;
}

/** The cases this file makes, and what the statistics must say about them. */
const SPECS: Spec[] = [
  { committee: VILLAGE_A, type: 'neighbor', source: 'application', outcome: 'agreed', day: 10, escalated: 0, overdue: false },
  { committee: VILLAGE_A, type: 'homestead', source: 'initiative', outcome: 'terminated', day: 35, escalated: 0, overdue: true },
  { committee: VILLAGE_A, type: 'neighbor', source: 'court_referral', outcome: 'declined', escalated: 0, overdue: false },
  { committee: VILLAGE_A2, type: 'contract', source: 'application', outcome: 'pending', escalated: 0, overdue: true },
  { committee: VILLAGE_A2, type: 'land_contract', source: 'police_referral', outcome: 'agreed', day: 5, escalated: 0, overdue: false },
  { committee: TOWNSHIP_A, type: 'labor', source: 'petition_referral', outcome: 'agreed', day: 10, escalated: 1, overdue: false },
  { committee: VILLAGE_A, type: 'marriage_family', source: 'application', outcome: 'pending', escalated: 1, overdue: true },
  { committee: VILLAGE_B, type: 'other', source: 'application', outcome: 'agreed', day: 2, escalated: 0, overdue: false },
];

beforeAll(async () => {
  t = await startTestApp();
  cast = await givenCast(t);
  medA2v = await t.given.user('mediator', VILLAGE_A2);
  medB = await t.given.user('mediator', VILLAGE_B);
  const registrar = (c: string) => (c === VILLAGE_B ? cast.vcB : c === VILLAGE_A ? cast.vc : cast.ts);
  const mediatorOf = (c: string) => (c === VILLAGE_B ? medB : c === VILLAGE_A ? cast.medA : c === VILLAGE_A2 ? medA2v : cast.medT);
  const post = async (id: string, path: string, body: unknown, u: GivenUser) => {
    const r = await t.api.post(`/api/v1/mediation/cases/${id}/${path}`, body, u.token);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  for (const s of SPECS) {
    const r = await t.api.post(
      '/api/v1/mediation/cases',
      {
        committeeCode: s.committee,
        source: s.source,
        referringBody: s.source.endsWith('referral') ? '移送单位' : undefined,
        disputeType: s.type,
        summary: '统计测试',
        claims: '统计测试',
        parties: [person('applicant', '甲某某'), person('respondent', '乙某某')],
      },
      registrar(s.committee).token,
    );
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    s.id = r.body.id;
    const reg = registrar(s.committee);
    if (s.outcome === 'declined') {
      await post(s.id!, 'decline', { reason: '一方拒绝调解' }, reg);
      continue;
    }
    await post(s.id!, 'accept', {}, reg);
    if (s.escalated) await post(s.id!, 'escalate', { reason: '上报' }, reg);
    if (s.outcome === 'agreed') {
      const m = s.escalated ? cast.medC : mediatorOf(s.committee);
      await post(s.id!, 'mediators', { mediatorPersonIds: [m.personId] }, m);
      await post(s.id!, 'sessions', SESSION([m.personId]), m);
    }
  }
  const conclude = async (s: Spec) => {
    const m = s.escalated ? cast.medC : mediatorOf(s.committee);
    if (s.outcome === 'agreed') await post(s.id!, 'agreement', AGREEMENT, m);
    else await post(s.id!, 'terminate', { reason: '调解不成', otherChannels: ['litigation'] }, registrar(s.committee));
  };
  const timeline = [...SPECS].filter((s) => s.day !== undefined).sort((a, b) => a.day! - b.day!);
  let day = 0;
  const job = t.app.get(OverdueJobService);
  for (const s of timeline) {
    if (day < 31 && s.day! >= 31) {
      t.clock.advance((31 - day) * DAY);
      shifted += (31 - day) * DAY;
      day = 31;
      await job.markOverdue();
    }
    t.clock.advance((s.day! - day) * DAY);
    shifted += (s.day! - day) * DAY;
    day = s.day!;
    await conclude(s);
  }
}, 120_000);
afterAll(async () => {
  t.clock.advance(-shifted);
  await t.close();
});

/** What the statistics must say for a set of the cases above, computed here from the specs. */
function expected(specs: Spec[]) {
  const count = (f: (s: Spec) => boolean) => specs.filter(f).length;
  const agreed = count((s) => s.outcome === 'agreed');
  const terminated = count((s) => s.outcome === 'terminated');
  const concluded = agreed + terminated;
  const onTime = count((s) => (s.outcome === 'agreed' || s.outcome === 'terminated') && s.day! <= 30);
  const days = specs.filter((s) => s.outcome === 'agreed' || s.outcome === 'terminated').map((s) => s.day!);
  const r4 = (n: number, d: number) => (d ? Math.round((n / d) * 10_000) / 10_000 : null);
  return {
    received: specs.length,
    byOutcome: { agreed, terminated, declined: count((s) => s.outcome === 'declined'), pending: count((s) => s.outcome === 'pending') },
    concluded,
    successRate: r4(agreed, concluded),
    onTime,
    onTimeRate: r4(onTime, concluded),
    escalated: count((s) => s.escalated > 0),
    escalationRate: r4(
      count((s) => s.escalated > 0),
      specs.length,
    ),
    averageDaysToConclude: days.length ? Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10 : null,
    overdue: count((s) => s.overdue),
  };
}
function tally(specs: Spec[], key: 'type' | 'source') {
  const m: Record<string, number> = {};
  for (const s of specs) m[s[key]] = (m[s[key]] ?? 0) + 1;
  return m;
}
const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v > 0));
const year = () => Number(new Date(t.clock.now().getTime() - shifted + 8 * 3_600_000).toISOString().slice(0, 4));
const month = () => Number(new Date(t.clock.now().getTime() - shifted + 8 * 3_600_000).toISOString().slice(5, 7));

describe('mediation statistics', () => {
  it('per committee: every figure matches the cases made', async () => {
    const r = await t.api.get(`/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year()}`, cast.county.token);
    expect(r.status).toBe(200);
    const committees = [...new Set(SPECS.map((s) => s.committee))].sort();
    expect(r.body.units.map((u: { unit: string }) => u.unit)).toEqual(committees);
    for (const c of committees) {
      const mine = SPECS.filter((s) => s.committee === c);
      const u = r.body.units.find((x: { unit: string }) => x.unit === c);
      expect({ unit: c, ...u }).toMatchObject({ unit: c, ...expected(mine) });
      expect(nonZero(u.byType)).toEqual(tally(mine, 'type'));
      expect(nonZero(u.bySource)).toEqual(tally(mine, 'source'));
    }
    expect(r.body.total).toMatchObject(expected(SPECS));
    expect(nonZero(r.body.total.byType)).toEqual(tally(SPECS, 'type'));
    expect(r.body).toMatchObject({ unitCount: committees.length, page: 1, pageSize: 500 });

    // Paged: one unit per page, in code order; the total line still covers every committee.
    const second = await t.api.get(
      `/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year()}&pageSize=1&page=2`,
      cast.county.token,
    );
    expect(second.body.units.map((u: { unit: string }) => u.unit)).toEqual([committees[1]]);
    expect(second.body).toMatchObject({ unitCount: committees.length, page: 2, pageSize: 1 });
    expect(second.body.total).toMatchObject(expected(SPECS));
    const bad = await t.api.get(
      `/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year()}&pageSize=5000`,
      cast.county.token,
    );
    expect(bad.status).toBe(400);
  });

  it('per township and per county, counting an escalated case where it was received', async () => {
    const r = await t.api.get(`/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=township&year=${year()}`, cast.county.token);
    const ta = r.body.units.find((u: { unit: string }) => u.unit === TOWNSHIP_A);
    expect(ta).toMatchObject({ unitName: '鲍店镇', ...expected(SPECS.filter((s) => s.committee.startsWith(TOWNSHIP_A))) });
    expect(r.body.units.find((u: { unit: string }) => u.unit === TOWNSHIP_B)).toMatchObject(
      expected(SPECS.filter((s) => s.committee.startsWith(TOWNSHIP_B))),
    );
    const county = await t.api.get(`/api/v1/mediation/stats?groupBy=county&year=${year()}`, cast.county.token);
    expect(county.body.units).toEqual([expect.objectContaining({ unit: COUNTY, unitName: '长子县', ...expected(SPECS) })]);
  });

  it('per year and month', async () => {
    const r = await t.api.get(
      `/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=month&year=${year()}&month=${month()}`,
      cast.county.token,
    );
    expect(r.body.units).toEqual([
      expect.objectContaining({ unit: `${year()}-${String(month()).padStart(2, '0')}`, received: SPECS.length }),
    ]);
    // The same month seen from a township (committee rollup) and per committee within the month.
    const township = await t.api.get(`/api/v1/mediation/stats?groupBy=month&year=${year()}`, cast.ts.token);
    expect(township.body.units).toEqual([expect.objectContaining(expected(SPECS.filter((s) => s.committee.startsWith(TOWNSHIP_A))))]);
    const inMonth = await t.api.get(
      `/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year()}&month=${month()}`,
      cast.county.token,
    );
    expect(inMonth.body.units.find((u: { unit: string }) => u.unit === VILLAGE_A)).toMatchObject(
      expected(SPECS.filter((s) => s.committee === VILLAGE_A)),
    );
    const nextMonth = await t.api.get(
      `/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year()}&month=${(month() % 12) + 1}`,
      cast.county.token,
    );
    expect(nextMonth.body.total.received).toBe(0);
    const other = await t.api.get(`/api/v1/mediation/stats?divisionCode=${COUNTY}&groupBy=committee&year=${year() - 1}`, cast.county.token);
    expect(other.body.units).toEqual([]);
    expect(other.body.total.received).toBe(0);
  });

  it('a township sees only its own figures; another scope is 404', async () => {
    const own = await t.api.get(`/api/v1/mediation/stats?groupBy=committee&year=${year()}`, cast.ts.token);
    expect(own.body.divisionCode).toBe(TOWNSHIP_A);
    expect(own.body.total.received).toBe(SPECS.filter((s) => s.committee.startsWith(TOWNSHIP_A)).length);
    expect(
      (await t.api.get(`/api/v1/mediation/stats?divisionCode=${TOWNSHIP_B}&groupBy=committee&year=${year()}`, cast.ts.token)).status,
    ).toBe(404);
    expect((await t.api.get(`/api/v1/mediation/stats?groupBy=committee&year=${year()}`, cast.medA.token)).status).toBe(403);
  });

  it('the rollup the statistics read equals a recount of the cases', async () => {
    const recount = await queryRows<Record<string, string>>(
      t.db,
      `SELECT origin_committee_code AS code, count(*)::text AS received,
              count(*) FILTER (WHERE outcome = 'agreed')::text AS agreed, count(*) FILTER (WHERE outcome = 'terminated')::text AS terminated,
              count(*) FILTER (WHERE outcome = 'declined')::text AS declined,
              count(*) FILTER (WHERE outcome IN ('agreed', 'terminated') AND concluded_at <= due_at)::text AS on_time,
              count(*) FILTER (WHERE escalation_count > 0)::text AS escalated, count(*) FILTER (WHERE overdue_at IS NOT NULL)::text AS overdue,
              round(COALESCE(sum(extract(epoch FROM concluded_at - accepted_at) / 86400) FILTER (WHERE outcome IN ('agreed', 'terminated')), 0), 6)::text AS days
         FROM mediation_case GROUP BY 1 ORDER BY 1`,
    );
    const rollup = (kind: string) =>
      queryRows<Record<string, string>>(
        t.db,
        `SELECT unit_code AS code, sum(received)::text AS received, sum(agreed)::text AS agreed, sum(terminated)::text AS terminated,
                sum(declined)::text AS declined, sum(on_time)::text AS on_time, sum(escalated)::text AS escalated, sum(overdue)::text AS overdue,
                round(sum(concluded_days), 6)::text AS days
           FROM mediation_stats_cell WHERE rollup = $1 GROUP BY 1 HAVING sum(received) > 0 ORDER BY 1`,
        [kind],
      );
    expect(await rollup('committee_month')).toEqual(recount);
    expect(await rollup('committee_year')).toEqual(recount);
    // A rebuild from the cases gives exactly the cells the trigger kept.
    const cells = () => queryRows(t.db, `SELECT * FROM mediation_stats_cell WHERE received > 0 ORDER BY rollup, unit_code, period_start`);
    const kept = await cells();
    await t.db.query('SELECT mediation_stats_rebuild()');
    expect(await cells()).toEqual(kept);
    const counties = await rollup('county_month');
    expect(counties).toEqual([
      expect.objectContaining({ code: COUNTY, received: String(SPECS.length), overdue: String(SPECS.filter((s) => s.overdue).length) }),
    ]);
    expect(recount.length).toBe(new Set(SPECS.map((s) => s.committee)).size);
  });

  it('exports the same figures to Excel', async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/mediation/stats.xlsx?divisionCode=${COUNTY}&groupBy=committee&year=${year()}`, {
      headers: { authorization: `Bearer ${cast.county.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('汇总')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[1].slice(0, 3)).toEqual(['单位', '受理数', '调解成功']);
    const byName = new Map(rows.slice(2).map((r) => [r[0], r]));
    const va = expected(SPECS.filter((s) => s.committee === VILLAGE_A));
    expect(byName.get('鲍店东街村村委会')?.slice(1, 6)).toEqual([
      va.received,
      va.byOutcome.agreed,
      va.byOutcome.terminated,
      va.byOutcome.declined,
      va.byOutcome.pending,
    ]);
    expect(byName.get('长子县（合计）')?.[1]).toBe(SPECS.length);
    expect(wb.getWorksheet('按纠纷类型')!.getRow(1).getCell(2).value).toBe('婚姻家庭');
  });
});
