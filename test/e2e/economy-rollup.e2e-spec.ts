import { companyCreditCode, download, orgCreditCode, readXlsxCells } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const E = '/api/v1/economy';
const WEAK = 10_000_000n;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

interface Org {
  id: string;
  division: string;
  level: string;
  status: string;
  figures: Record<number, { op: bigint; tot: bigint; res: bigint; dist: bigint }>;
}
interface Company {
  id: string;
  division: string;
  level: string;
  status: string;
  reg: bigint;
  paid: bigint;
  figures: Record<number, { rev: bigint; profit: bigint }>;
  dividends: { orgId: string; year: number; amount: bigint }[];
}

describe('roll-ups', () => {
  it('match the sums computed from the inserted rows, by city, county and township, with weak villages and townships without a company', async () => {
    const rnd = seeded(20251129);
    const villages = await queryRows<{ code: string }>(
      t.db,
      `SELECT code FROM division WHERE level = 'village' AND (code LIKE '140428%' OR code LIKE '140403%') AND right(code, 1) IN ('0', '3', '7') ORDER BY code`,
    );
    const townships = await queryRows<{ code: string; name: string }>(
      t.db,
      `SELECT code, name FROM division WHERE level = 'township' AND code LIKE '140428%' ORDER BY code`,
    );
    const orgs: Org[] = [];
    for (const v of villages) {
      const status = rnd(15) === 0 ? 'cancelled' : 'active';
      const level = rnd(10) === 0 ? 'group' : 'village';
      const [{ id }] = await queryRows<{ id: string }>(
        t.db,
        `INSERT INTO collective_org (level, division_code, name, credit_code, chair_name, status) VALUES ($1, $2, $3, $4, '测试', $5) RETURNING id`,
        [level, v.code, `${v.code}集体经济组织`, orgCreditCode(v.code, level), status],
      );
      const figures: Org['figures'] = {};
      for (const year of [2024, 2025]) {
        if (rnd(8) === 0) continue;
        const op = BigInt(rnd(30_000_000));
        const f = { op, tot: op + BigInt(rnd(5_000_000)), res: BigInt(rnd(1_000_000)), dist: BigInt(rnd(2_000_000)) };
        figures[year] = f;
        await t.db.query(
          `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen) VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, year, f.op.toString(), f.tot.toString(), f.res.toString(), f.dist.toString()],
        );
      }
      orgs.push({ id, division: v.code, level, status, figures });
    }
    // A township-level organization counts in its township's own row.
    const [{ id: townOrgId }] = await queryRows<{ id: string }>(
      t.db,
      `INSERT INTO collective_org (level, division_code, name, credit_code, chair_name) VALUES ('township', $1, '鲍店镇集体经济组织', $2, '测试') RETURNING id`,
      [TOWNSHIP_A, orgCreditCode(TOWNSHIP_A, 'township')],
    );
    await t.db.query(
      `INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen) VALUES ($1, 2025, 5, 6, 1, 2)`,
      [townOrgId],
    );
    orgs.push({
      id: townOrgId,
      division: TOWNSHIP_A,
      level: 'township',
      status: 'active',
      figures: { 2025: { op: 5n, tot: 6n, res: 1n, dist: 2n } },
    });

    const statuses = ['preparing', 'operating', 'suspended', 'deregistered'];
    const companies: Company[] = [];
    const places = [COUNTY, '140403', ...townships.filter((_, i) => i % 3 !== 2).map((x) => x.code)];
    for (const division of places) {
      const level = division.length === 6 ? 'county' : 'township';
      const status = statuses[rnd(4)];
      const reg = BigInt(1_000_000 + rnd(900_000_000));
      const paid = reg - BigInt(rnd(1_000_000));
      const [{ id }] = await queryRows<{ id: string }>(
        t.db,
        `INSERT INTO platform_company (level, division_code, name, credit_code, legal_rep, registered_capital_fen, paid_in_capital_fen, status)
         VALUES ($1, $2, $3, $4, '测试', $5, $6, $7) RETURNING id`,
        [level, division, `${division}平台公司`, companyCreditCode(division.slice(0, 6)), reg.toString(), paid.toString(), status],
      );
      const c: Company = { id, division, level, status, reg, paid, figures: {}, dividends: [] };
      const holders = orgs.filter((o) => o.division.startsWith(division) && o.level !== 'township').slice(0, 3);
      for (const h of holders)
        await t.db.query(
          `INSERT INTO company_shareholder (company_id, org_id, holder_name, contribution_fen, share_bp) VALUES ($1, $2, $3, 100, 2000)`,
          [id, h.id, h.id],
        );
      for (const year of [2024, 2025]) {
        const f = { rev: BigInt(rnd(50_000_000)), profit: BigInt(rnd(6_000_000)) - 1_000_000n };
        c.figures[year] = f;
        await t.db.query(`INSERT INTO company_year_figures (company_id, year, revenue_fen, profit_fen) VALUES ($1, $2, $3, $4)`, [
          id,
          year,
          f.rev.toString(),
          f.profit.toString(),
        ]);
        for (const h of holders) {
          const amount = BigInt(rnd(300_000));
          c.dividends.push({ orgId: h.id, year, amount });
          await t.db.query(`INSERT INTO company_dividend (company_id, year, org_id, amount_fen) VALUES ($1, $2, $3, $4)`, [
            id,
            year,
            h.id,
            amount.toString(),
          ]);
        }
      }
      companies.push(c);
    }

    const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n).toString();
    /** `exact`: the division's own row (its own-level records only), not everything inside it. */
    const expected = (prefix: string, year: number, exact = false) => {
      const inside = (d: string) => (exact ? d === prefix : d.startsWith(prefix));
      const os = orgs.filter((o) => inside(o.division) && o.status === 'active');
      const cs = companies.filter((c) => inside(c.division));
      const live = cs.filter((c) => c.status !== 'deregistered');
      const orgDivision = new Map(orgs.map((o) => [o.id, o.division]));
      const vs = os.filter((o) => o.level === 'village');
      const weak = (y: number) => vs.filter((o) => o.figures[y] && o.figures[y].op < WEAK).length;
      const unreported = (y: number) => vs.filter((o) => !o.figures[y]).length;
      return {
        companies: Object.fromEntries([...statuses.map((s) => [s, cs.filter((c) => c.status === s).length]), ['total', cs.length]]),
        registeredCapitalFen: sum(live.map((c) => c.reg)),
        paidInCapitalFen: sum(live.map((c) => c.paid)),
        revenueFen: sum(cs.map((c) => c.figures[year]?.rev ?? 0n)),
        profitFen: sum(cs.map((c) => c.figures[year]?.profit ?? 0n)),
        dividendsToVillagesFen: sum(
          companies
            .flatMap((c) => c.dividends)
            .filter((d) => d.year === year && inside(orgDivision.get(d.orgId)!))
            .map((d) => d.amount),
        ),
        orgs: os.length,
        orgsWithFigures: os.filter((o) => o.figures[year]).length,
        operatingIncomeFen: sum(os.map((o) => o.figures[year]?.op ?? 0n)),
        totalIncomeFen: sum(os.map((o) => o.figures[year]?.tot ?? 0n)),
        reserveFundFen: sum(os.map((o) => o.figures[year]?.res ?? 0n)),
        distributedFen: sum(os.map((o) => o.figures[year]?.dist ?? 0n)),
        villageOrgs: vs.length,
        weakVillages: weak(year),
        notWeakVillages: vs.filter((o) => o.figures[year] && o.figures[year].op >= WEAK).length,
        unreportedVillages: unreported(year),
        weakVillagesLastYear: weak(year - 1),
        unreportedVillagesLastYear: unreported(year - 1),
        weakChange: weak(year) - weak(year - 1),
      };
    };

    const city = await t.given.user('city_admin', '1404');
    const r = await t.api.get(`${E}/stats?year=2025&divisionCode=1404`, city.token);
    expect(r.status).toBe(200);
    expect(r.body.total).toMatchObject(expected('1404', 2025));
    expect(r.body.rows).toHaveLength(12);
    for (const row of r.body.rows) expect(row).toMatchObject(expected(row.divisionCode, 2025));
    expect(r.body.total.weakVillages).toBeGreaterThan(0);
    // Villages without figures are counted as 未填报 and listed, not dropped.
    expect(r.body.total.unreportedVillages).toBeGreaterThan(0);
    expect(r.body.total.weakVillages + r.body.total.notWeakVillages + r.body.total.unreportedVillages).toBe(r.body.total.villageOrgs);
    expect(r.body.unreportedVillages.map((u: { orgId: string }) => u.orgId).sort()).toEqual(
      orgs
        .filter((o) => o.status === 'active' && o.level === 'village' && !o.figures[2025])
        .map((o) => o.id)
        .sort(),
    );

    const county = await t.given.user('county_admin', COUNTY);
    const c = await t.api.get(`${E}/stats?year=2025`, county.token);
    expect(c.body.divisionCode).toBe(COUNTY);
    expect(c.body.total).toMatchObject(expected(COUNTY, 2025));
    const own = c.body.rows.find((x: { divisionCode: string }) => x.divisionCode === COUNTY);
    expect(own.divisionName).toBe('长子县（本级）');
    expect(own.companies.total).toBe(1);
    for (const row of c.body.rows) expect(row).toMatchObject(expected(row.divisionCode, 2025, row.divisionCode === COUNTY));
    const withLiveCompany = new Set(companies.filter((x) => x.level === 'township' && x.status !== 'deregistered').map((x) => x.division));
    expect(c.body.townshipsWithoutCompany.map((x: { code: string }) => x.code)).toEqual(
      townships.filter((x) => !withLiveCompany.has(x.code)).map((x) => x.code),
    );

    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const tw = await t.api.get(`${E}/stats?year=2024`, staff.token);
    expect(tw.body.total).toMatchObject(expected(TOWNSHIP_A, 2024));
    expect(tw.body.rows.find((x: { divisionCode: string }) => x.divisionCode === TOWNSHIP_A)).toMatchObject({
      orgs: 1,
      companies: { total: 1 },
    });
    for (const row of tw.body.rows) expect(row).toMatchObject(expected(row.divisionCode, 2024, row.divisionCode === TOWNSHIP_A));

    // The roll-up exports with Chinese headers, one sheet per table, the same figures.
    const x = await download(t.baseUrl, `${E}/stats.xlsx?year=2025&divisionCode=${COUNTY}`, county.token);
    expect(x.status).toBe(200);
    const cells = await readXlsxCells(x.body);
    expect(Object.keys(cells)).toEqual(['2025年汇总', '尚无平台公司的乡镇', '未填报的村']);
    const header = cells['2025年汇总'][0];
    expect(header.slice(0, 3)).toEqual(['区划代码', '区划', '平台公司数']);
    const totalRow = cells['2025年汇总'].at(-1)!;
    expect(totalRow[1]).toBe('长子县合计');
    expect(totalRow[header.indexOf('薄弱村数')]).toBe(String(expected(COUNTY, 2025).weakVillages));
    expect(totalRow[header.indexOf('未填报村数')]).toBe(String(expected(COUNTY, 2025).unreportedVillages));
    expect(totalRow[header.indexOf('填报情况')]).toBe(`未填报 ${expected(COUNTY, 2025).unreportedVillages} 村`);
    expect(cells['未填报的村'].slice(1).map((row) => [row[0], row[4]])).toEqual(
      c.body.unreportedVillages.map((u: { divisionCode: string }) => [u.divisionCode, '未填报']),
    );
    expect(Math.round(Number(totalRow[header.indexOf('经营收入（元）')]) * 100).toString()).toBe(expected(COUNTY, 2025).operatingIncomeFen);
    expect(cells['尚无平台公司的乡镇'].slice(1).map((row) => row[0])).toEqual(
      c.body.townshipsWithoutCompany.map((y: { code: string }) => y.code),
    );

    // The weak-village yardstick is a setting.
    expect((await t.api.put(`${E}/settings`, { weakThresholdFen: '20000000' }, city.token)).status).toBe(200);
    const raised = await t.api.get(`${E}/stats?year=2025&divisionCode=1404`, city.token);
    const os = orgs.filter((o) => o.status === 'active' && o.level === 'village' && o.figures[2025]);
    expect(raised.body.total.weakVillages).toBe(os.filter((o) => o.figures[2025].op < 20_000_000n).length);
    expect(raised.body.weakThresholdFen).toBe('20000000');
  });
});
