import { PEOPLE_COUNT_CAP } from '#identity';
import { TOWNSHIP_B, VILLAGE_B } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

// The register's list stops counting at PEOPLE_COUNT_CAP (a county holds 120,000 people): the page is still
// the register's first entries in order, and the answer says there are more than it counted.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

it('more people than the cap: total is the cap with totalCapped, the page in register order; a name search counts exactly', async () => {
  const staff = await t.given.user('township_staff', TOWNSHIP_B);
  await queryRows(
    t.db,
    `INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, home_division_code, household_no)
     SELECT CASE WHEN i = 77 THEN '上限测试甲' ELSE '上限' || i END, '\\x00', sha256(('cap-' || i)::bytea), '140428********0000', '1980-01-01',
            'M', $1, lpad(i::text, 6, '0')
       FROM generate_series(1, $2) AS i`,
    [VILLAGE_B, PEOPLE_COUNT_CAP + 5],
  );
  const wide = await t.api.get(`/api/v1/people?divisionCode=${VILLAGE_B}&pageSize=3`, staff.token);
  expect(wide.status).toBe(200);
  expect(wide.body.total).toBe(PEOPLE_COUNT_CAP);
  expect(wide.body.totalCapped).toBe(true);
  expect(wide.body.items.map((p: { householdNo: string }) => p.householdNo)).toEqual(['000001', '000002', '000003']);

  const one = await t.api.get(`/api/v1/people?divisionCode=${VILLAGE_B}&q=${encodeURIComponent('限测试甲')}`, staff.token);
  expect(one.status).toBe(200);
  expect(one.body.total).toBe(1);
  expect(one.body.totalCapped).toBeUndefined();
  expect(one.body.items[0].realName).toBe('上限测试甲');
});
