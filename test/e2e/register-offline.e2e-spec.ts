import { makeIdNumber, TOWNSHIP_A, VILLAGE_A, VILLAGE_A2, VILLAGE_B } from '../support/factories.js';
import { queryRows } from '../support/sql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The register knows who is offline (issue 14): 无智能手机 and the helper who relays notices. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const row = async (id: string) =>
  (
    await queryRows<{ no_smartphone: boolean; helper_person_id: string | null }>(
      t.db,
      `SELECT no_smartphone, helper_person_id FROM person WHERE id = $1`,
      [id],
    )
  )[0];

/** A birth date `years` before today's 长治 date, plus `days`. */
function bornYearsAgo(years: number, days = 0): string {
  const today = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() + days)).toISOString().slice(0, 10);
}

describe('register: 无智能手机 and the helper', () => {
  it('sets and clears the flag and the helper; the person shows both (the helper by name); each change is audited once', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A);
    const elder = await t.given.person(VILLAGE_A, { name: '离线老人甲', household: 'H-OFF-1', phone: null });
    const son = await t.given.person(VILLAGE_A, { name: '离线儿子甲', household: 'H-OFF-2' });

    const fresh = await t.api.get(`/api/v1/people/${elder.personId}`, c.token);
    expect(fresh.body).toMatchObject({ noSmartphone: false, helper: null });

    const set = await t.api.put(`/api/v1/people/${elder.personId}/offline`, { noSmartphone: true, helperPersonId: son.personId }, c.token);
    expect(set.status).toBe(200);
    // Another household is allowed: a grown child with a household of their own is the usual helper.
    expect(set.body).toMatchObject({
      id: elder.personId,
      noSmartphone: true,
      helper: { id: son.personId, realName: '离线儿子甲', householdNo: 'H-OFF-2' },
    });
    expect(await row(elder.personId)).toEqual({ no_smartphone: true, helper_person_id: son.personId });
    expect((await t.api.get(`/api/v1/people/${elder.personId}`, c.token)).body.helper.realName).toBe('离线儿子甲');

    // The same values again change nothing and write no audit entry.
    const again = await t.api.put(
      `/api/v1/people/${elder.personId}/offline`,
      { noSmartphone: true, helperPersonId: son.personId },
      c.token,
    );
    expect(again.status).toBe(200);

    // The flag off, the helper kept; then the helper left out: none.
    const flagOnly = await t.api.put(
      `/api/v1/people/${elder.personId}/offline`,
      { noSmartphone: false, helperPersonId: son.personId },
      c.token,
    );
    expect(flagOnly.body).toMatchObject({ noSmartphone: false, helper: { id: son.personId } });
    const cleared = await t.api.put(`/api/v1/people/${elder.personId}/offline`, { noSmartphone: false }, c.token);
    expect(cleared.body).toMatchObject({ noSmartphone: false, helper: null });
    expect(await row(elder.personId)).toEqual({ no_smartphone: false, helper_person_id: null });

    const audit = await queryRows<{ action: string; target_division: string; details: unknown }>(
      t.db,
      `SELECT action, target_division, details FROM audit_log WHERE target_id = $1 AND account_id = $2 ORDER BY id`,
      [elder.personId, c.accountId],
    );
    expect(audit).toEqual([
      {
        action: 'register.person_offline',
        target_division: VILLAGE_A,
        details: { noSmartphone: { from: false, to: true }, helperPersonId: { from: null, to: son.personId } },
      },
      { action: 'register.person_offline', target_division: VILLAGE_A, details: { noSmartphone: { from: true, to: false } } },
      { action: 'register.person_offline', target_division: VILLAGE_A, details: { helperPersonId: { from: son.personId, to: null } } },
    ]);
  });

  it('refuses a helper who is the person, under 18, unknown or of another village, with a stable code each, and writes nothing', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A);
    const elder = await t.given.person(VILLAGE_A, { name: '离线老人乙', phone: null });
    const minor = await t.given.person(VILLAGE_A, { name: '离线孙子乙', birth: bornYearsAgo(18, 1), phone: null });
    const justAdult = await t.given.person(VILLAGE_A, { name: '离线孙女乙', birth: bornYearsAgo(18), phone: null });
    const neighbourVillage = await t.given.person(VILLAGE_A2, { name: '邻村亲戚乙' });
    const path = `/api/v1/people/${elder.personId}/offline`;

    const self = await t.api.put(path, { noSmartphone: true, helperPersonId: elder.personId }, c.token);
    expect(self.status).toBe(400);
    expect(self.body).toEqual({ code: 'HELPER_IS_SELF', message: '不能把本人设为自己的帮助人' });

    const young = await t.api.put(path, { noSmartphone: true, helperPersonId: minor.personId }, c.token);
    expect(young.status).toBe(400);
    expect(young.body).toEqual({ code: 'HELPER_UNDERAGE', message: '帮助人须年满十八周岁' });

    const other = await t.api.put(path, { noSmartphone: true, helperPersonId: neighbourVillage.personId }, c.token);
    expect(other.status).toBe(400);
    expect(other.body).toEqual({ code: 'HELPER_NOT_IN_VILLAGE', message: '帮助人须是本村已登记的村民' });

    const unknown = await t.api.put(path, { noSmartphone: true, helperPersonId: '00000000-0000-4000-8000-000000000000' }, c.token);
    expect(unknown.body.code).toBe('HELPER_NOT_IN_VILLAGE');

    const notUuid = await t.api.put(path, { noSmartphone: true, helperPersonId: '离线孙女乙' }, c.token);
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.code).toBe('VALIDATION_FAILED');
    const notBool = await t.api.put(path, { noSmartphone: '是' }, c.token);
    expect(notBool.body.code).toBe('VALIDATION_FAILED');
    const nullHelper = await t.api.put(path, { noSmartphone: true, helperPersonId: null }, c.token);
    expect(nullHelper.body.code).toBe('VALIDATION_FAILED');

    // A refused helper leaves the flag sent with it unwritten too (one transaction).
    expect(await row(elder.personId)).toEqual({ no_smartphone: false, helper_person_id: null });
    expect(
      await queryRows(t.db, `SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'register.person_offline'`, [elder.personId]),
    ).toEqual([]);

    // 18 today is 18.
    const ok = await t.api.put(path, { noSmartphone: false, helperPersonId: justAdult.personId }, c.token);
    expect(ok.status).toBe(200);
    expect(ok.body.helper).toEqual({ id: justAdult.personId, realName: '离线孙女乙', householdNo: null });
  });

  it('scope: a village cadre cannot touch another village’s person, nor take a helper from another village; the township can, within one village', async () => {
    const cadreA = await t.given.user('village_committee', VILLAGE_A);
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const inA = await t.given.person(VILLAGE_A, { name: '离线丙A', phone: null });
    const inA2 = await t.given.person(VILLAGE_A2, { name: '离线丙A2' });
    const helperA2 = await t.given.person(VILLAGE_A2, { name: '帮助丙A2' });
    const inB = await t.given.person(VILLAGE_B, { name: '离线丙B' });

    // Another village's person: not found (the register of another village is not probed).
    const foreign = await t.api.put(`/api/v1/people/${inA2.personId}/offline`, { noSmartphone: true }, cadreA.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('PERSON_NOT_FOUND');
    expect(await row(inA2.personId)).toEqual({ no_smartphone: false, helper_person_id: null });

    // A helper of another village: the same answer whether or not that person exists.
    const crossHelper = await t.api.put(
      `/api/v1/people/${inA.personId}/offline`,
      { noSmartphone: true, helperPersonId: inB.personId },
      cadreA.token,
    );
    expect(crossHelper.body.code).toBe('HELPER_NOT_IN_VILLAGE');

    // The township reaches both villages, yet a helper is still of the person's own village.
    const townshipCross = await t.api.put(
      `/api/v1/people/${inA.personId}/offline`,
      { noSmartphone: true, helperPersonId: helperA2.personId },
      township.token,
    );
    expect(townshipCross.body.code).toBe('HELPER_NOT_IN_VILLAGE');
    const townshipOk = await t.api.put(
      `/api/v1/people/${inA2.personId}/offline`,
      { noSmartphone: true, helperPersonId: helperA2.personId },
      township.token,
    );
    expect(townshipOk.status).toBe(200);
    expect(await row(inA2.personId)).toEqual({ no_smartphone: true, helper_person_id: helperA2.personId });

    // A resident cannot set it: the route needs identity.register.write.
    const resident = await t.given.user('resident', VILLAGE_A);
    const denied = await t.api.put(`/api/v1/people/${inA.personId}/offline`, { noSmartphone: true }, resident.token);
    expect(denied.status).toBe(403);
  });

  it('the register list filters by 无智能手机 and shows the helper', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A2);
    const offline = await t.given.person(VILLAGE_A2, { name: '筛选无机一', phone: null });
    const offline2 = await t.given.person(VILLAGE_A2, { name: '筛选无机二', phone: null });
    const online = await t.given.person(VILLAGE_A2, { name: '筛选有机三' });
    for (const p of [offline, offline2]) {
      const r = await t.api.put(`/api/v1/people/${p.personId}/offline`, { noSmartphone: true, helperPersonId: online.personId }, c.token);
      expect(r.status).toBe(200);
    }
    const q = (extra: string) => `/api/v1/people?divisionCode=${VILLAGE_A2}&q=${encodeURIComponent('筛选')}${extra}`;
    const only = await t.api.get(q('&noSmartphone=true'), c.token);
    expect(only.status).toBe(200);
    expect(only.body.total).toBe(2);
    expect(
      only.body.items
        .map((p: { realName: string; noSmartphone: boolean; helper: { realName: string } }) => [
          p.realName,
          p.noSmartphone,
          p.helper.realName,
        ])
        .sort(),
    ).toEqual([
      ['筛选无机一', true, '筛选有机三'],
      ['筛选无机二', true, '筛选有机三'],
    ]);
    const others = await t.api.get(q('&noSmartphone=false'), c.token);
    expect(others.body.items.map((p: { realName: string }) => p.realName)).toEqual(['筛选有机三']);
    const all = await t.api.get(q(''), c.token);
    expect(all.body.total).toBe(3);
    const bad = await t.api.get(q('&noSmartphone=yes'), c.token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('registering a resident takes the flag and a helper; registering again without them keeps them', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A);
    const daughter = await t.given.person(VILLAGE_A, { name: '登记帮助人丁' });
    const idNumber = makeIdNumber('1941-03-05');
    const r = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName: '登记老人丁', idNumber, noSmartphone: true, helperPersonId: daughter.personId },
      c.token,
    );
    expect(r.status).toBe(201);
    expect(r.body.person).toMatchObject({ noSmartphone: true, helper: { id: daughter.personId, realName: '登记帮助人丁' } });
    const audit = await queryRows<{ details: Record<string, unknown> }>(
      t.db,
      `SELECT details FROM audit_log WHERE target_id = $1 AND action = 'register.person_create'`,
      [r.body.personId],
    );
    expect(audit[0].details).toMatchObject({
      noSmartphone: { from: false, to: true },
      helperPersonId: { from: null, to: daughter.personId },
    });

    const again = await t.api.post(`/api/v1/villages/${VILLAGE_A}/residents`, { realName: '登记老人丁', idNumber }, c.token);
    expect(again.body).toMatchObject({ created: false, person: { noSmartphone: true, helper: { id: daughter.personId } } });

    const badHelper = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName: '登记老人戊', idNumber: makeIdNumber('1944-01-01'), helperPersonId: (await t.given.person(VILLAGE_B)).personId },
      c.token,
    );
    expect(badHelper.body.code).toBe('HELPER_NOT_IN_VILLAGE');
    expect(await queryRows(t.db, `SELECT 1 FROM person WHERE real_name = '登记老人戊'`)).toEqual([]);
  });

  it('a person who moves village leaves their helper and stops being anyone’s helper there', async () => {
    const township = await t.given.user('township_staff', TOWNSHIP_A);
    const elder = await t.given.person(VILLAGE_A, { name: '搬迁老人己', phone: null });
    const mover = await t.given.person(VILLAGE_A, { name: '搬迁儿子己' });
    await t.api.put(`/api/v1/people/${elder.personId}/offline`, { noSmartphone: true, helperPersonId: mover.personId }, township.token);
    const moved = await t.api.post(
      `/api/v1/villages/${VILLAGE_A2}/residents`,
      { realName: '搬迁儿子己', idNumber: mover.idNumber },
      township.token,
    );
    expect(moved.status).toBe(201);
    expect(await row(elder.personId)).toEqual({ no_smartphone: true, helper_person_id: null });
    const audit = await queryRows<{ details: { helpersCleared?: number } }>(
      t.db,
      `SELECT details FROM audit_log WHERE target_id = $1 AND action = 'register.person_update'`,
      [mover.personId],
    );
    expect(audit.map((a) => a.details.helpersCleared)).toEqual([1]);
  });

  it('the CSV import reads an optional 无智能手机 column (是/否, empty keeps); anything else is a row error', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A2);
    const header = '姓名,身份证号,手机号,户号,无智能手机';
    const ids = [makeIdNumber('1950-01-01'), makeIdNumber('1951-01-01'), makeIdNumber('1952-01-01')];
    const csv = (flags: string[]) => [header, ...ids.map((id, i) => `导入离线${i},${id},,H9,${flags[i]}`)].join('\n');
    const url = `/api/v1/villages/${VILLAGE_A2}/residents/import`;

    const bad = await t.api.post(url, { csv: csv(['是', '有时', '']) }, c.token);
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors).toEqual([
      { row: 3, column: '无智能手机', code: 'YES_NO_INVALID', message: '无智能手机一栏应填"是"或"否"，或留空' },
    ]);

    const ok = await t.api.post(url, { csv: csv(['是', '否', '']) }, c.token);
    expect(ok.body).toMatchObject({ total: 3, created: 3 });
    const flags = async () =>
      (
        await queryRows<{ real_name: string; no_smartphone: boolean }>(
          t.db,
          `SELECT real_name, no_smartphone FROM person WHERE real_name LIKE '导入离线%' ORDER BY real_name`,
        )
      ).map((r) => [r.real_name, r.no_smartphone]);
    expect(await flags()).toEqual([
      ['导入离线0', true],
      ['导入离线1', false],
      ['导入离线2', false],
    ]);

    // Re-importing: 否 clears, an empty cell leaves the flag as set on the person's page, 是 sets.
    const third = (await queryRows<{ id: string }>(t.db, `SELECT id FROM person WHERE real_name = '导入离线2'`))[0].id;
    expect((await t.api.put(`/api/v1/people/${third}/offline`, { noSmartphone: true }, c.token)).status).toBe(200);
    const re = await t.api.post(url, { csv: csv(['否', '是', '']) }, c.token);
    expect(re.body).toMatchObject({ total: 3, created: 0, updated: 3 });
    expect(await flags()).toEqual([
      ['导入离线0', false],
      ['导入离线1', true],
      ['导入离线2', true],
    ]);

    // The same file again changes nothing and audits nothing.
    const before = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log`);
    await t.api.post(url, { csv: csv(['否', '是', '']) }, c.token);
    expect((await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log`))[0].n).toBe(before[0].n);
  });
});
