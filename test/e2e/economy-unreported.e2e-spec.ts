import { download, orgBody, readXlsxCells } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2, VILLAGE_B } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const E = '/api/v1/economy';
const figures = (operatingIncomeFen: string) => ({
  operatingIncomeFen,
  totalIncomeFen: operatingIncomeFen,
  reserveFundFen: '0',
  distributedFen: '0',
});

describe('villages that report nothing for the year (未填报)', () => {
  it('are counted apart from weak and not-weak villages, listed by name, and shown as 未填报 in the township and county roll-ups and exports', async () => {
    // 鲍店镇: 鲍店东街村 weak (5 万), 鲍店南街村 reported 2024 only; 石哲镇: 石哲西村 not weak (30 万).
    const staffA = await t.given.user('township_staff', TOWNSHIP_A);
    const staffB = await t.given.user('township_staff', TOWNSHIP_B);
    const a = await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A), staffA.token);
    const a2 = await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A2), staffA.token);
    const b = await t.api.post(`${E}/orgs`, orgBody(VILLAGE_B), staffB.token);
    expect([a.status, a2.status, b.status]).toEqual([201, 201, 201]);
    const put = async (token: string, id: string, year: number, fen: string) =>
      expect((await t.api.put(`${E}/orgs/${id}/figures/${year}`, figures(fen), token)).status).toBe(200);
    await put(staffA.token, a.body.id, 2025, '5000000');
    await put(staffA.token, a.body.id, 2024, '4000000');
    await put(staffA.token, a2.body.id, 2024, '6000000'); // weak last year, 未填报 this year
    await put(staffB.token, b.body.id, 2025, '30000000');

    const township = await t.api.get(`${E}/stats?year=2025&divisionCode=${TOWNSHIP_A}`, staffA.token);
    expect(township.status).toBe(200);
    expect(township.body.total).toMatchObject({
      villageOrgs: 2,
      weakVillages: 1,
      notWeakVillages: 0,
      unreportedVillages: 1,
      weakVillagesLastYear: 2,
      unreportedVillagesLastYear: 0,
      weakChange: -1,
    });
    const rowOf = (body: { rows: { divisionCode: string }[] }, code: string) => body.rows.find((r) => r.divisionCode === code);
    expect(rowOf(township.body, VILLAGE_A2)).toMatchObject({
      divisionName: '鲍店南街村村委会',
      villageOrgs: 1,
      unreportedVillages: 1,
      weakVillages: 0,
    });
    expect(rowOf(township.body, VILLAGE_A)).toMatchObject({ villageOrgs: 1, unreportedVillages: 0, weakVillages: 1 });
    expect(township.body.unreportedVillages).toEqual([
      { divisionCode: VILLAGE_A2, divisionName: '鲍店南街村村委会', townshipName: '鲍店镇', orgId: a2.body.id, orgName: a2.body.name },
    ]);

    const county = await t.given.user('county_admin', COUNTY);
    const c = await t.api.get(`${E}/stats?year=2025&divisionCode=${COUNTY}`, county.token);
    expect(c.body.total).toMatchObject({ villageOrgs: 3, weakVillages: 1, notWeakVillages: 1, unreportedVillages: 1 });
    expect(rowOf(c.body, TOWNSHIP_A)).toMatchObject({ villageOrgs: 2, weakVillages: 1, unreportedVillages: 1 });
    expect(rowOf(c.body, TOWNSHIP_B)).toMatchObject({ villageOrgs: 1, notWeakVillages: 1, unreportedVillages: 0 });
    expect(c.body.unreportedVillages.map((u: { divisionCode: string }) => u.divisionCode)).toEqual([VILLAGE_A2]);

    // Reporting the figures takes the village off the list.
    await put(staffA.token, a2.body.id, 2025, '12000000');
    const after = await t.api.get(`${E}/stats?year=2025&divisionCode=${COUNTY}`, county.token);
    expect(after.body.total).toMatchObject({ villageOrgs: 3, weakVillages: 1, notWeakVillages: 2, unreportedVillages: 0 });
    expect(after.body.unreportedVillages).toEqual([]);

    // A year nobody reported: every village is 未填报, none weak.
    const empty = await t.api.get(`${E}/stats?year=2023&divisionCode=${COUNTY}`, county.token);
    expect(empty.body.total).toMatchObject({ villageOrgs: 3, weakVillages: 0, notWeakVillages: 0, unreportedVillages: 3 });

    // The exports: the township's village rows read 已填报 / 未填报, the county's rows count them, and a sheet lists them.
    const tx = await readXlsxCells((await download(t.baseUrl, `${E}/stats.xlsx?year=2024&divisionCode=${TOWNSHIP_A}`, staffA.token)).body);
    const th = tx['2024年汇总'][0];
    const tRow = (code: string) => tx['2024年汇总'].find((r) => r[0] === code)!;
    expect(tRow(VILLAGE_A)[th.indexOf('填报情况')]).toBe('已填报');
    expect(tRow(VILLAGE_A2)[th.indexOf('填报情况')]).toBe('已填报');
    const t23 = await readXlsxCells((await download(t.baseUrl, `${E}/stats.xlsx?year=2023&divisionCode=${TOWNSHIP_A}`, staffA.token)).body);
    const h23 = t23['2023年汇总'][0];
    expect(t23['2023年汇总'].find((r) => r[0] === VILLAGE_A2)![h23.indexOf('填报情况')]).toBe('未填报');
    expect(t23['2023年汇总'].at(-1)![h23.indexOf('未填报村数')]).toBe('2');
    expect(t23['未填报的村'].slice(1).map((r) => r.slice(0, 3).concat(r[4]))).toEqual([
      [VILLAGE_A, '鲍店镇', '鲍店东街村村委会', '未填报'],
      [VILLAGE_A2, '鲍店镇', '鲍店南街村村委会', '未填报'],
    ]);
    const cx = await readXlsxCells((await download(t.baseUrl, `${E}/stats.xlsx?year=2023&divisionCode=${COUNTY}`, county.token)).body);
    const ch = cx['2023年汇总'][0];
    expect(cx['2023年汇总'].find((r) => r[0] === TOWNSHIP_A)![ch.indexOf('填报情况')]).toBe('未填报 2 村');
    expect(cx['2023年汇总'].at(-1)!.slice(0, 2)).toEqual([COUNTY, '长子县合计']);
    expect(cx['2023年汇总'].at(-1)![ch.indexOf('未填报村数')]).toBe('3');
  });
});
