import { type Role } from '#identity';
import { CITY, COUNTY, makeIdNumber, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B } from '../support/factories.js';
import { allRoutes as routesOf } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const allRoutes = () => routesOf(t.app);

describe('default deny', () => {
  it('every registered route declares a permission or @Public()', () => {
    const routes = allRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const undeclared = routes.filter((r) => !r.permission && !r.isPublic).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('every non-public route answers 401 without a token (the guard really runs)', async () => {
    const fill = (p: string) => p.replace(/:code/g, VILLAGE_A).replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
    const failures: string[] = [];
    for (const r of allRoutes().filter((x) => !x.isPublic)) {
      const res = await t.api.request(r.method, fill(r.path), { body: ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined });
      if (res.status !== 401) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('an unknown route is a 404 JSON error, not a stack', async () => {
    const r = await t.api.get('/api/v1/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('every answer, success, refusal or unknown route, carries the security headers and its request id', async () => {
    const expected = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'DENY',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    const answers = [await t.api.get('/health'), await t.api.get('/api/v1/me'), await t.api.get('/api/v1/no-such-thing')];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404]);
    for (const r of answers) {
      for (const [name, value] of Object.entries(expected)) expect([name, r.headers.get(name)]).toEqual([name, value]);
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
    const mine = await t.api.request('GET', '/health', { headers: { 'x-request-id': 'caller-chosen-id-1' } });
    expect(mine.headers.get('x-request-id')).toBe('caller-chosen-id-1');
  });

  it('health checks the database', async () => {
    const r = await t.api.get('/health');
    expect(r.body).toEqual({ status: 'ok', database: 'up' });
  });
});

describe('scope: each role on its own division and on the other one', () => {
  // Two villages in two townships. For each role we try a read that role is entitled to, first on a
  // record inside its division and then on one outside: inside → allowed, outside → 404.
  let personA: string;
  let personB: string;
  beforeAll(async () => {
    personA = (await t.given.person(VILLAGE_A)).personId;
    personB = (await t.given.person(VILLAGE_B)).personId;
  });

  const readers: [Role, string, string][] = [
    ['village_committee', VILLAGE_A, VILLAGE_B],
    ['supervision_committee', VILLAGE_A, VILLAGE_B],
    ['township_staff', TOWNSHIP_A, TOWNSHIP_B],
    ['county_admin', COUNTY, '140403'],
    ['city_admin', CITY, ''],
  ];

  it.each(readers)('%s reads a person inside its division and gets 404 outside', async (role, own, other) => {
    const u = await t.given.user(role, own);
    const inside = await t.api.get(`/api/v1/people/${personA}`, u.token);
    expect(inside.status).toBe(200);
    expect(inside.body.id).toBe(personA);
    if (!other) return; // the city admin's scope covers both
    const outsider = await t.given.user(role, other);
    const outside = await t.api.get(`/api/v1/people/${personA}`, outsider.token);
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('PERSON_NOT_FOUND');
    // …and lists never show the other division's people.
    const list = await t.api.get(`/api/v1/people?pageSize=100`, outsider.token);
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(personA);
  });

  it('the city admin sees both villages', async () => {
    const u = await t.given.user('city_admin', CITY);
    expect((await t.api.get(`/api/v1/people/${personB}`, u.token)).status).toBe(200);
  });

  it.each(['resident', 'village_representative', 'party_member', 'collective_member', 'mediator'] as Role[])(
    '%s may not read the register at all (403) — neither inside nor outside',
    async (role) => {
      const u = await t.given.user(role, VILLAGE_A);
      const r = await t.api.get(`/api/v1/people/${personA}`, u.token);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('PERMISSION_DENIED');
    },
  );

  it('a village committee registers residents in its own village only', async () => {
    const c = await t.given.user('village_committee', VILLAGE_A);
    const ok = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName: '本村人', idNumber: makeIdNumber('1975-03-03') },
      c.token,
    );
    expect(ok.status).toBe(201);
    const other = await t.api.post(
      `/api/v1/villages/${VILLAGE_B}/residents`,
      { realName: '外村人', idNumber: makeIdNumber('1975-03-04') },
      c.token,
    );
    expect(other.status).toBe(404);
    const rows = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM person WHERE real_name = '外村人'`);
    expect(rows[0].n).toBe(0);
  });

  it('a disabled-account action outside scope answers 404 (township B cannot disable a village A account)', async () => {
    const target = await t.given.user('resident', VILLAGE_A);
    const staffB = await t.given.user('township_staff', TOWNSHIP_B);
    const r = await t.api.patch(`/api/v1/accounts/${target.accountId}/status`, { status: 'disabled' }, staffB.token);
    expect(r.status).toBe(404);
    const staffA = await t.given.user('township_staff', TOWNSHIP_A);
    expect((await t.api.patch(`/api/v1/accounts/${target.accountId}/status`, { status: 'disabled' }, staffA.token)).status).toBe(200);
  });
});

describe('economy settings: a write permission of their own, held at the city', () => {
  const threshold = async () =>
    (await queryRows<{ v: string }>(t.db, `SELECT value::text AS v FROM economy_setting WHERE key = 'weak_threshold_fen'`))[0].v;

  it('PUT /api/v1/economy/settings declares economy.settings.write, which only the city administrator holds', async () => {
    const put = allRoutes().find((r) => r.method === 'PUT' && r.path === '/api/v1/economy/settings');
    expect(put?.permission).toBe('economy.settings.write');
    const get = allRoutes().find((r) => r.method === 'GET' && r.path === '/api/v1/economy/settings');
    expect(get?.permission).toBe('economy.stats.read');

    const before = await threshold();
    for (const [role, division] of [
      ['county_admin', COUNTY],
      ['township_staff', TOWNSHIP_A],
      ['village_committee', VILLAGE_A],
    ] as [Role, string][]) {
      const u = await t.given.user(role, division);
      const r = await t.api.put('/api/v1/economy/settings', { weakThresholdFen: '123400' }, u.token);
      expect([role, r.status, r.body.code]).toEqual([role, 403, 'PERMISSION_DENIED']);
    }
    expect(await threshold()).toBe(before);

    const city = await t.given.user('city_admin', CITY);
    const ok = await t.api.put('/api/v1/economy/settings', { weakThresholdFen: '7654300' }, city.token);
    expect(ok.status).toBe(200);
    expect(await threshold()).toBe('7654300');
    expect((await t.api.get('/api/v1/economy/settings', city.token)).body).toEqual({ weakThresholdFen: '7654300' });
  });

  it('a city_admin grant placed below the city (by hand, in the database) still may not change the city-wide setting', async () => {
    const before = await threshold();
    const misplaced = await t.given.user('city_admin', COUNTY);
    const r = await t.api.put('/api/v1/economy/settings', { weakThresholdFen: '1' }, misplaced.token);
    expect([r.status, r.body.code]).toEqual([403, 'SETTING_FORBIDDEN']);
    expect(await threshold()).toBe(before);
  });
});

describe('granting roles (no escalation, own scope only)', () => {
  it('township staff may appoint a village committee member in its township', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const p = await t.given.person(VILLAGE_A);
    const r = await t.api.post('/api/v1/grants', { personId: p.personId, role: 'village_committee', divisionCode: VILLAGE_A }, staff.token);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      personId: p.personId,
      realName: p.realName,
      role: 'village_committee',
      divisionCode: VILLAGE_A,
      divisionName: '鲍店东街村村委会',
    });
    expect(new Date(r.body.grantedAt).getTime()).not.toBeNaN();
    const listed = await t.api.get(`/api/v1/grants?personId=${p.personId}&role=village_committee`, staff.token);
    expect(listed.body.items).toEqual([r.body]);
    const dup = await t.api.post(
      '/api/v1/grants',
      { personId: p.personId, role: 'village_committee', divisionCode: VILLAGE_A },
      staff.token,
    );
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('GRANT_DUPLICATE');
  });

  it('refuses a grant above the granter role, or outside its division, and writes a denied audit row', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const p = await t.given.person(VILLAGE_A);
    const up = await t.api.post('/api/v1/grants', { personId: p.personId, role: 'county_admin', divisionCode: COUNTY }, staff.token);
    expect(up.status).toBe(403);
    expect(up.body.code).toBe('GRANT_NOT_ALLOWED');
    const same = await t.api.post(
      '/api/v1/grants',
      { personId: p.personId, role: 'township_staff', divisionCode: TOWNSHIP_A },
      staff.token,
    );
    expect(same.body.code).toBe('GRANT_NOT_ALLOWED');
    const outside = await t.api.post(
      '/api/v1/grants',
      { personId: p.personId, role: 'village_committee', divisionCode: VILLAGE_B },
      staff.token,
    );
    expect(outside.body.code).toBe('GRANT_NOT_ALLOWED');
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const self = await t.api.post(
      '/api/v1/grants',
      { personId: p.personId, role: 'village_committee', divisionCode: VILLAGE_A },
      committee.token,
    );
    expect(self.body.code).toBe('GRANT_NOT_ALLOWED');
    const denied = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'grant.create' AND result = 'denied' AND account_id = $1`,
      [staff.accountId],
    );
    expect(denied[0].n).toBe(3);
    const grants = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM role_grant WHERE person_id = $1 AND role <> 'resident'`,
      [p.personId],
    );
    expect(grants[0].n).toBe(0);
  });

  it('refuses a role at the wrong level of division', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const p = await t.given.person(VILLAGE_A);
    const r = await t.api.post('/api/v1/grants', { personId: p.personId, role: 'township_staff', divisionCode: VILLAGE_A }, admin.token);
    expect(r.status).toBe(400);
    const message = '“乡镇干部”只能在乡镇（街道）一级授予，请选择这一级的区划';
    expect(r.body).toEqual({
      code: 'GRANT_LEVEL_MISMATCH',
      message,
      details: { fields: [{ field: 'divisionCode', messages: [message] }] },
    });
  });

  it('revoking a grant takes effect on the holder next request', async () => {
    const admin = await t.given.user('county_admin', COUNTY);
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const [g] = await queryRows<{ id: string }>(t.db, `SELECT id FROM role_grant WHERE person_id = $1 AND role = 'township_staff'`, [
      staff.personId,
    ]);
    expect((await t.api.get('/api/v1/people', staff.token)).status).toBe(200);
    expect((await t.api.post(`/api/v1/grants/${g.id}/revoke`, {}, admin.token)).status).toBe(204);
    expect((await t.api.get('/api/v1/people', staff.token)).status).toBe(403);
  });
});
