import { makeIdNumber, makePhone, TOWNSHIP_A, VILLAGE_A, VILLAGE_A2 } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const HEADER = '姓名,身份证号,手机号,户号,村民代表,党员,集体经济组织成员';

function csvOf(rows: string[][]): string {
  return [HEADER, ...rows.map((r) => r.join(','))].join('\n');
}

describe('village register', () => {
  it('registers residents only at a village: a township code is refused with REGISTER_DIVISION_NOT_VILLAGE and nothing is written', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const idNumber = makeIdNumber('1980-02-03');
    const r = await t.api.post(`/api/v1/villages/${TOWNSHIP_A}/residents`, { realName: '乡镇登记', idNumber }, staff.token);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'REGISTER_DIVISION_NOT_VILLAGE', message: '村民登记只能在村（社区）一级进行' });
    expect(await queryRows(t.db, `SELECT 1 FROM person WHERE real_name = '乡镇登记'`)).toEqual([]);
  });

  it('imports a CSV all-or-nothing: bad rows are named and nothing is written; the fixed file imports; re-import changes nothing', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A2);
    const good = Array.from({ length: 20 }, (_, i) => [
      `导入${i}`,
      makeIdNumber('1970-01-0' + ((i % 9) + 1)),
      makePhone(),
      `H${Math.floor(i / 3)}`,
      i % 5 === 0 ? '是' : '',
      i === 1 ? '是' : '',
      '是',
    ]);
    const bad = good.map((r) => [...r]);
    bad[3][1] = '11010519491231002Y'; // bad check character / format
    bad[7][2] = '2345'; // bad phone
    bad[12][1] = bad[11][1]; // duplicate ID in file
    const r1 = await t.api.post(`/api/v1/villages/${VILLAGE_A2}/residents/import`, { csv: csvOf(bad) }, c.token);
    expect(r1.status).toBe(400);
    expect(r1.body.code).toBe('CSV_ROWS_INVALID');
    expect(r1.body.details.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [5, '身份证号', 'ID_NUMBER_INVALID'],
      [9, '手机号', 'MOBILE_INVALID'],
      [14, '身份证号', 'DUPLICATE_IN_FILE'],
    ]);
    const none = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM person WHERE home_division_code = $1 AND real_name LIKE '导入%'`,
      [VILLAGE_A2],
    );
    expect(none[0].n).toBe(0);

    const dry = await t.api.post(`/api/v1/villages/${VILLAGE_A2}/residents/import`, { csv: csvOf(good), dryRun: true }, c.token);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ total: 20, created: 0, dryRun: true });

    const r2 = await t.api.post(`/api/v1/villages/${VILLAGE_A2}/residents/import`, { csv: csvOf(good) }, c.token);
    expect(r2.status).toBe(200);
    expect(r2.body).toMatchObject({ total: 20, created: 20, updated: 0 });
    expect(r2.body.activationCodes).toHaveLength(20);
    const grants = await queryRows<{ role: string; n: number }>(
      t.db,
      `SELECT g.role, count(*)::int AS n FROM role_grant g JOIN person p ON p.id = g.person_id
        WHERE p.real_name LIKE '导入%' AND g.revoked_at IS NULL GROUP BY g.role ORDER BY g.role`,
    );
    expect(grants).toEqual([
      { role: 'collective_member', n: 20 },
      { role: 'party_member', n: 1 },
      { role: 'resident', n: 20 },
      { role: 'village_representative', n: 4 },
    ]);

    const auditBefore = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log`);
    const r3 = await t.api.post(`/api/v1/villages/${VILLAGE_A2}/residents/import`, { csv: csvOf(good) }, c.token);
    expect(r3.body).toMatchObject({ total: 20, created: 0, updated: 20, activationCodes: [] });
    const auditAfter = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log`);
    expect(auditAfter[0].n).toBe(auditBefore[0].n); // nothing changed, nothing audited
    const people = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM person WHERE real_name LIKE '导入%'`);
    expect(people[0].n).toBe(20);
  });

  it('one import mixes new, unchanged, changed and moved people: each written and audited as registering them one by one would', async () => {
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const same = await t.given.person(VILLAGE_A2, { name: '批量不变', phone: null, roles: ['resident'], household: 'P0' });
    const renamed = await t.given.person(VILLAGE_A2, { name: '批量旧名', phone: null, roles: ['resident'] });
    const mover = await t.given.person(VILLAGE_A, { name: '批量迁入', phone: null, roles: ['resident'] });
    const csv = csvOf([
      ['批量新人', makeIdNumber('1988-08-08'), makePhone(), 'P1', '', '是', ''],
      ['批量不变', same.idNumber, '', 'P0', '', '', ''],
      ['批量新名', renamed.idNumber, '', 'P2', '是', '', ''],
      ['批量迁入', mover.idNumber, '', 'P3', '', '', ''],
    ]);
    const auditBefore = await queryRows<{ n: number }>(t.db, `SELECT max(id)::int AS n FROM audit_log`);
    const r = await t.api.post(`/api/v1/villages/${VILLAGE_A2}/residents/import`, { csv }, township.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 4, created: 1, updated: 3 });
    expect(r.body.activationCodes.map((a: { row: number; realName: string }) => [a.row, a.realName])).toEqual([[2, '批量新人']]);

    const people = await queryRows<{ real_name: string; home_division_code: string; household_no: string | null; has_phone: boolean }>(
      t.db,
      `SELECT real_name, home_division_code, household_no, phone_hash IS NOT NULL AS has_phone FROM person
        WHERE real_name LIKE '批量%' ORDER BY real_name`,
    );
    expect(people).toEqual([
      { real_name: '批量不变', home_division_code: VILLAGE_A2, household_no: 'P0', has_phone: false },
      { real_name: '批量新人', home_division_code: VILLAGE_A2, household_no: 'P1', has_phone: true },
      { real_name: '批量新名', home_division_code: VILLAGE_A2, household_no: 'P2', has_phone: false },
      { real_name: '批量迁入', home_division_code: VILLAGE_A2, household_no: 'P3', has_phone: false },
    ]);
    const grants = await queryRows<{ real_name: string; roles: string }>(
      t.db,
      `SELECT p.real_name, string_agg(g.role, ',' ORDER BY g.role) AS roles FROM role_grant g JOIN person p ON p.id = g.person_id
        WHERE p.real_name LIKE '批量%' AND g.division_code = $1 AND g.revoked_at IS NULL GROUP BY p.real_name ORDER BY p.real_name`,
      [VILLAGE_A2],
    );
    expect(grants).toEqual([
      { real_name: '批量不变', roles: 'resident' },
      { real_name: '批量新人', roles: 'party_member,resident' },
      { real_name: '批量新名', roles: 'resident,village_representative' },
      { real_name: '批量迁入', roles: 'resident' },
    ]);
    // One audit row per change, none for the person registered as they were.
    const audit = await queryRows<{ target_id: string; action: string; details: { rolesAdded: string[]; account: string | null } }>(
      t.db,
      `SELECT target_id, action, details FROM audit_log WHERE id > $1 AND action LIKE 'register.person_%' ORDER BY id`,
      [auditBefore[0].n],
    );
    const [fresh] = await queryRows<{ id: string }>(t.db, `SELECT id FROM person WHERE real_name = '批量新人'`);
    expect(audit).toEqual([
      { target_id: fresh.id, action: 'register.person_create', details: { rolesAdded: ['resident', 'party_member'], account: 'pending' } },
      { target_id: renamed.personId, action: 'register.person_update', details: { rolesAdded: ['village_representative'], account: null } },
      { target_id: mover.personId, action: 'register.person_update', details: { rolesAdded: ['resident'], account: null } },
    ]);
  });

  it('an imported resident activates with the code and logs in', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A2);
    const phone = makePhone();
    const r = await t.api.post(
      `/api/v1/villages/${VILLAGE_A2}/residents/import`,
      { csv: csvOf([['激活人', makeIdNumber('1966-06-06'), phone, '', '', '', '']]) },
      c.token,
    );
    const code = r.body.activationCodes[0].activationCode;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    // Not activated yet: the same answer as a wrong password (test/e2e/auth.e2e-spec.ts).
    const before = await t.api.post('/api/v1/auth/login', { phone, password: 'Whatever-2026' });
    expect(before.body.code).toBe('LOGIN_FAILED');
    const wrong = await t.api.post('/api/v1/auth/activate', { phone, activationCode: 'ABCDEFGH', password: 'My-own-pass-2026' });
    expect(wrong.body.code).toBe('ACTIVATION_CODE_INVALID');
    const act = await t.api.post('/api/v1/auth/activate', { phone, activationCode: code, password: 'My-own-pass-2026' });
    expect(act.status).toBe(200);
    expect(act.body.accessToken).toBeTruthy();
    const again = await t.api.post('/api/v1/auth/activate', { phone, activationCode: code, password: 'My-own-pass-2026' });
    expect(again.body.code).toBe('ACTIVATION_CODE_INVALID');
    const login = await t.api.post('/api/v1/auth/login', { phone, password: 'My-own-pass-2026' });
    expect(login.status).toBe(200);
  });

  it('lists are masked and paged; reveal is permission-checked and audited', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const p = await t.given.person(VILLAGE_A, { name: '揭示测试' });
    const list = await t.api.get(`/api/v1/people?q=${encodeURIComponent('揭示')}`, staff.token);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(p.idNumber);
    expect(text).not.toContain(p.phone!);
    expect(list.body.items[0].idNumberMasked).toBe(`${p.idNumber.slice(0, 4)}**********${p.idNumber.slice(-4)}`);

    const supervision = await t.given.user('supervision_committee', VILLAGE_A);
    const denied = await t.api.post(`/api/v1/people/${p.personId}/reveal`, { field: 'idNumber' }, supervision.token);
    expect(denied.status).toBe(403);

    const rev = await t.api.post(`/api/v1/people/${p.personId}/reveal`, { field: 'idNumber' }, staff.token);
    expect(rev.status).toBe(200);
    expect(rev.body).toEqual({ field: 'idNumber', value: p.idNumber });
    const audit = await queryRows<{ details: { field: string } }>(
      t.db,
      `SELECT details FROM audit_log WHERE action = 'pii.reveal' AND account_id = $1 AND target_id = $2`,
      [staff.accountId, p.personId],
    );
    expect(audit).toEqual([{ details: { field: 'idNumber' } }]);

    const page = await t.api.get(`/api/v1/people?pageSize=2&page=2&divisionCode=${VILLAGE_A}`, staff.token);
    expect(page.body.page).toBe(2);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    const bad = await t.api.get(`/api/v1/people?pageSize=1000`, staff.token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an invalid ID number with the field named', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A);
    const r = await t.api.post(`/api/v1/villages/${VILLAGE_A}/residents`, { realName: '错号', idNumber: '110105194912310021' }, c.token);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.details).toEqual([{ field: 'idNumber', messages: ['身份证号码无效（格式、出生日期或校验位错误）'] }]);
  });
});

describe('divisions', () => {
  it('holds all 2,791 divisions of Changzhi', async () => {
    const rows = await queryRows<{ level: string; n: number }>(
      t.db,
      `SELECT level, count(*)::int AS n FROM division GROUP BY level ORDER BY n`,
    );
    expect(rows).toEqual([
      { level: 'city', n: 1 },
      { level: 'county', n: 12 },
      { level: 'township', n: 149 },
      { level: 'village', n: 2628 },
    ]);
  });

  it('answers children, one division with its ancestor path, and a name search', async () => {
    const kids = await t.api.get('/api/v1/divisions/140428/children');
    expect(kids.body).toHaveLength(12);
    expect(kids.body[1]).toEqual({ code: '140428101', name: '鲍店镇', level: 'township', parentCode: '140428' });
    const one = await t.api.get(`/api/v1/divisions/${VILLAGE_A}`);
    expect(one.body.fullName).toBe('长治市 / 长子县 / 鲍店镇 / 鲍店东街村村委会');
    expect(one.body.path.map((d: { code: string }) => d.code)).toEqual(['1404', '140428', '140428101']);
    const search = await t.api.get(`/api/v1/divisions/search?q=${encodeURIComponent('鲍店')}&level=township`);
    expect(search.body.map((d: { code: string }) => d.code)).toEqual(['140428101']);
    expect((await t.api.get('/api/v1/divisions/99')).body.code).toBe('DIVISION_CODE_INVALID');
    expect((await t.api.get('/api/v1/divisions/999999')).body.code).toBe('DIVISION_NOT_FOUND');
  });
});
