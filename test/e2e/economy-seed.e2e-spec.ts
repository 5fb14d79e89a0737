import {
  DEMO_OLD_CODE_VILLAGE,
  DEMO_UNREPORTED_VILLAGES,
  demoOldCodeOrgCode,
  demoOrgCode,
  seedDemoEconomy,
} from '../../seeds/demo-economy.seed.js';
import { COUNTY } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const tally = async () => {
  const [r] = await queryRows<Record<string, number>>(
    t.db,
    `SELECT (SELECT count(*)::int FROM collective_org) AS orgs, (SELECT count(*)::int FROM org_year_figures) AS figures,
            (SELECT count(*)::int FROM platform_company) AS companies, (SELECT count(*)::int FROM company_shareholder) AS holders,
            (SELECT count(*)::int FROM company_year_figures) AS cfigures, (SELECT count(*)::int FROM company_dividend) AS dividends,
            (SELECT count(*)::int FROM alliance_member) AS alliance, (SELECT count(*)::int FROM economy_change) AS changes,
            (SELECT count(*)::int FROM audit_log WHERE action = 'economy.demo_seed') AS audits`,
  );
  return r;
};

describe('economy demo seed', () => {
  it('seeds 长子县 deterministically, marked as demo, with weak villages, and a second run changes nothing', async () => {
    const first = await seedDemoEconomy(t.db);
    const villages = await queryRows<{ code: string; name: string }>(
      t.db,
      `SELECT code, name FROM division WHERE level = 'village' AND code LIKE '140428%' AND name LIKE '%村委会' ORDER BY code`,
    );
    // Every village of 长子县, plus the 上党区 organization with a pre-2018 (长治县) code.
    expect(first).toEqual({ orgsCreated: villages.length + 1, companiesCreated: 9 });
    const after = await tally();
    expect(after).toMatchObject({
      orgs: villages.length + 1,
      figures: villages.length * 3 - DEMO_UNREPORTED_VILLAGES + 3,
      companies: 9,
      audits: 1,
    });
    const [old] = await queryRows<{ credit_code: string; division_code: string }>(
      t.db,
      `SELECT credit_code, division_code FROM collective_org WHERE credit_code = $1`,
      [demoOldCodeOrgCode()],
    );
    expect(old).toEqual({ credit_code: demoOldCodeOrgCode(), division_code: DEMO_OLD_CODE_VILLAGE });
    expect(old.credit_code.slice(2, 8)).toBe('140421');
    const [firstOrg] = await queryRows<{ credit_code: string; name: string; is_demo: boolean }>(
      t.db,
      `SELECT credit_code, name, is_demo FROM collective_org WHERE division_code = $1`,
      [villages[0].code],
    );
    expect(firstOrg).toEqual({
      credit_code: demoOrgCode(0),
      name: `${villages[0].name.replace(/村委会$/, '')}股份经济合作社集体经济组织`,
      is_demo: true,
    });
    expect(
      await queryRows(t.db, `SELECT 1 FROM collective_org WHERE NOT is_demo UNION ALL SELECT 1 FROM platform_company WHERE NOT is_demo`),
    ).toHaveLength(0);
    // Shareholders are organizations of the company's own area and never exceed 100 %.
    const holders = await queryRows<{ company: string; bp: number; outside: number }>(
      t.db,
      `SELECT c.id AS company, sum(s.share_bp)::int AS bp, count(*) FILTER (WHERE o.id IS NOT NULL AND NOT starts_with(o.division_code, c.division_code))::int AS outside
         FROM platform_company c JOIN company_shareholder s ON s.company_id = c.id LEFT JOIN collective_org o ON o.id = s.org_id GROUP BY c.id`,
    );
    expect(holders).toHaveLength(9);
    for (const h of holders) expect(h).toMatchObject({ bp: 10000, outside: 0 });

    const county = await t.given.user('county_admin', COUNTY);
    for (const year of [2023, 2024, 2025]) {
      const r = await t.api.get(`/api/v1/economy/stats?year=${year}`, county.token);
      expect(r.status).toBe(200);
      const unreported = year === 2025 ? DEMO_UNREPORTED_VILLAGES : 0;
      expect(r.body.total.orgsWithFigures).toBe(villages.length - unreported);
      expect(r.body.total).toMatchObject({ villageOrgs: villages.length, unreportedVillages: unreported });
      expect(r.body.total.weakVillages + r.body.total.notWeakVillages).toBe(villages.length - unreported);
      expect(r.body.unreportedVillages.map((u: { divisionCode: string }) => u.divisionCode)).toEqual(
        villages.slice(villages.length - unreported).map((v) => v.code),
      );
      expect(r.body.total.weakVillages).toBeGreaterThan(villages.length * 0.08);
      expect(r.body.total.weakVillages).toBeLessThan(villages.length * 0.4);
      expect(r.body.townshipsWithoutCompany.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['碾张乡', '常张乡']));
    }

    expect(await seedDemoEconomy(t.db)).toEqual({ orgsCreated: 0, companiesCreated: 0 });
    expect(await tally()).toEqual(after);
  });
});
