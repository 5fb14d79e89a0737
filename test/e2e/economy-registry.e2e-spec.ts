import { companyBody, companyCreditCode, orgBody, orgCreditCode, villagesIn } from '../support/economy-fixtures.js';
import { COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2, VILLAGE_B } from '../support/factories.js';
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

describe('collective economic organizations', () => {
  it('creates, updates and keeps every change in the history shown on the record', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const body = orgBody(VILLAGE_A2);
    const created = await t.api.post(`${E}/orgs`, body, staff.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      level: 'village',
      divisionCode: VILLAGE_A2,
      divisionName: '鲍店南街村村委会',
      creditCode: body.creditCode,
      totalShares: '1000',
      status: 'active',
    });
    const id = created.body.id;
    expect(created.body.history).toHaveLength(1);
    expect(created.body.history[0]).toMatchObject({ action: 'create', accountId: staff.accountId, actorName: staff.realName });

    const upd = await t.api.patch(`${E}/orgs/${id}`, { chairName: '张卫东', memberCount: 130 }, staff.token);
    expect(upd.status).toBe(200);
    expect(upd.body.chairName).toBe('张卫东');
    expect(upd.body.history[0]).toMatchObject({
      action: 'update',
      changes: { chairName: { old: '王建国', new: '张卫东' }, memberCount: { old: 120, new: 130 } },
    });
    expect(Object.keys(upd.body.history[0].changes).sort()).toEqual(['chairName', 'memberCount']);

    // Saving the same values again changes nothing and leaves no history.
    const again = await t.api.patch(`${E}/orgs/${id}`, { chairName: '张卫东' }, staff.token);
    expect(again.body.history).toHaveLength(2);
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action LIKE 'economy.org_%'`,
      [id],
    );
    expect(n).toBe(2);
    const [row] = await queryRows<{ chair_name: string; member_count: number }>(
      t.db,
      `SELECT chair_name, member_count FROM collective_org WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ chair_name: '张卫东', member_count: 130 });
  });

  it('refuses a bad name, a corrupted code, a code of another county or level, a duplicate code and a second village organization', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const ok = orgBody(VILLAGE_A);
    const code = ok.creditCode;
    const tries: [Record<string, unknown>, number, string][] = [
      [{ name: '鲍店东街村股份经济合作社' }, 400, 'ORG_NAME_INVALID'],
      [{ creditCode: code.slice(0, 17) }, 400, 'CREDIT_CODE_LENGTH'],
      [{ creditCode: code.slice(0, 17) + (code[17] === '0' ? '1' : '0') }, 400, 'CREDIT_CODE_CHECKSUM'],
      [{ creditCode: orgCreditCode('140403001200') }, 400, 'CREDIT_CODE_DIVISION'],
      [{ creditCode: orgCreditCode(VILLAGE_A, 'group') }, 400, 'CREDIT_CODE_TYPE_LEVEL'],
      [{ creditCode: companyCreditCode() }, 400, 'CREDIT_CODE_AUTHORITY'],
      [{ divisionCode: '140428101999' }, 400, 'DIVISION_UNKNOWN'],
    ];
    for (const [over, status, errCode] of tries) {
      const r = await t.api.post(`${E}/orgs`, { ...ok, ...over }, staff.token);
      expect({ over, status: r.status, code: r.body.code }).toEqual({ over, status, code: errCode });
    }
    expect((await t.api.post(`${E}/orgs`, ok, staff.token)).status).toBe(201);
    const dup = await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A2, { creditCode: code }), staff.token);
    expect(dup.body.code).toBe('CREDIT_CODE_DUPLICATE');
    const second = await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A), staff.token);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('ORG_VILLAGE_DUPLICATE');
    // A group-level organization in the same village is allowed.
    expect(
      (await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A, { level: 'group', creditCode: orgCreditCode(VILLAGE_A, 'group') }), staff.token))
        .status,
    ).toBe(201);
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM collective_org WHERE division_code = $1`, [
      VILLAGE_A,
    ]);
    expect(n).toBe(2);
  });

  it('refuses a supervisor who is also on the board, and records officers and the chair', async () => {
    const vc = await t.given.user('village_committee', VILLAGE_B);
    const org = (await t.api.post(`${E}/orgs`, orgBody(VILLAGE_B), vc.token)).body;
    const [p1, p2, p3, p4] = await Promise.all([1, 2, 3, 4].map((i) => t.given.person(VILLAGE_B, { name: `理监${i}` })));
    const bad = await t.api.put(
      `${E}/orgs/${org.id}/officers`,
      { chairPersonId: p1.personId, directorPersonIds: [p2.personId], supervisorPersonIds: [p2.personId, p3.personId] },
      vc.token,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('SUPERVISOR_IS_DIRECTOR');
    const chairAsSupervisor = await t.api.put(
      `${E}/orgs/${org.id}/officers`,
      { chairPersonId: p1.personId, directorPersonIds: [], supervisorPersonIds: [p1.personId] },
      vc.token,
    );
    expect(chairAsSupervisor.body.code).toBe('SUPERVISOR_IS_DIRECTOR');
    const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM collective_org_officer WHERE org_id = $1`, [
      org.id,
    ]);
    expect(n).toBe(0);
    // The database refuses it too: one row per (organization, person).
    await expect(
      t.db.query(`INSERT INTO collective_org_officer (org_id, person_id, role) VALUES ($1, $2, 'director'), ($1, $2, 'supervisor')`, [
        org.id,
        p2.personId,
      ]),
    ).rejects.toThrow(/duplicate key/);
    const outsider = await t.given.person(VILLAGE_A);
    const notHere = await t.api.put(
      `${E}/orgs/${org.id}/officers`,
      { chairPersonId: outsider.personId, directorPersonIds: [], supervisorPersonIds: [] },
      vc.token,
    );
    expect(notHere.body.code).toBe('PERSON_NOT_IN_REGISTER');
    const good = await t.api.put(
      `${E}/orgs/${org.id}/officers`,
      { chairPersonId: p1.personId, directorPersonIds: [p2.personId], supervisorPersonIds: [p3.personId, p4.personId] },
      vc.token,
    );
    expect(good.status).toBe(200);
    expect(good.body.chairName).toBe('理监1');
    expect(good.body.officers.map((o: { realName: string; role: string }) => `${o.role}:${o.realName}`)).toEqual([
      'chair:理监1',
      'director:理监2',
      'supervisor:理监3',
      'supervisor:理监4',
    ]);
    expect(good.body.history[0].action).toBe('officers');
  });

  it('keeps members linked to the register, with every share change as a history row and totals within the organization’s shares', async () => {
    const vc = await t.given.user('village_committee', VILLAGE_A2);
    const org = (
      await t.api.post(
        `${E}/orgs`,
        orgBody(VILLAGE_A2, { creditCode: orgCreditCode(VILLAGE_A2, 'group'), level: 'group', totalShares: '100' }),
        vc.token,
      )
    ).body;
    const a = await t.given.person(VILLAGE_A2, { name: '成员甲' });
    const b = await t.given.person(VILLAGE_A2, { name: '成员乙' });
    const m1 = await t.api.post(`${E}/orgs/${org.id}/members`, { personId: a.personId, shares: '60', joinedOn: '2020-01-01' }, vc.token);
    expect(m1.status).toBe(201);
    const byId = await t.api.post(`${E}/orgs/${org.id}/members`, { idNumber: b.idNumber, shares: '50', joinedOn: '2020-01-01' }, vc.token);
    expect(byId.status).toBe(400);
    expect(byId.body.code).toBe('MEMBER_SHARES_OVER_TOTAL');
    const m2 = await t.api.post(`${E}/orgs/${org.id}/members`, { idNumber: b.idNumber, shares: '40', joinedOn: '2020-01-01' }, vc.token);
    expect(m2.status).toBe(201);
    expect(m2.body).toMatchObject({ personId: b.personId, realName: '成员乙', shares: '40' });
    expect(m2.body.idNumberMasked).not.toContain(b.idNumber.slice(6, 14));
    const dup = await t.api.post(`${E}/orgs/${org.id}/members`, { personId: a.personId, shares: '0', joinedOn: '2020-01-01' }, vc.token);
    expect(dup.body.code).toBe('MEMBER_DUPLICATE');
    const ch = await t.api.post(`${E}/orgs/${org.id}/members/${m1.body.id}/shares`, { shares: '55', reason: '调整份额' }, vc.token);
    expect(ch.status).toBe(200);
    expect(ch.body.shares).toBe('55');
    const over = await t.api.post(`${E}/orgs/${org.id}/members/${m1.body.id}/shares`, { shares: '61', reason: '超额' }, vc.token);
    expect(over.body.code).toBe('MEMBER_SHARES_OVER_TOTAL');
    const hist = await t.api.get(`${E}/orgs/${org.id}/share-changes`, vc.token);
    expect(
      hist.body.map((h: { realName: string; oldShares: string; newShares: string }) => `${h.realName}:${h.oldShares}->${h.newShares}`),
    ).toEqual(['成员甲:0->60', '成员乙:0->40', '成员甲:60->55']);
    const list = await t.api.get(`${E}/orgs/${org.id}/members`, vc.token);
    expect(list.body).toMatchObject({ totalShares: '100', allocatedShares: '95' });
    // History rows are append-only in the database.
    await expect(t.db.query(`UPDATE collective_share_change SET new_shares = 1 WHERE org_id = $1`, [org.id])).rejects.toThrow(
      /append-only/,
    );
    // The database refuses members' shares above the organization's total even without the service.
    await expect(t.db.query(`UPDATE collective_member SET shares = 99 WHERE id = $1`, [m1.body.id])).rejects.toThrow(/exceed/);
  });
});

describe('edge cases', () => {
  it('answers concurrent registrations of one village with one 201 and one 409, and refuses impossible dates and nameless holders', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_B);
    // A village no other test registers.
    const village = (await villagesIn(t.db, TOWNSHIP_B)).at(-1)!.code;
    const [a, b] = await Promise.all([
      t.api.post(`${E}/orgs`, orgBody(village), staff.token),
      t.api.post(`${E}/orgs`, orgBody(village), staff.token),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a.body.code, b.body.code]).toContain('ORG_VILLAGE_DUPLICATE');
    const [{ n }] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM collective_org WHERE division_code = $1 AND level = 'village'`,
      [village],
    );
    expect(n).toBe(1);

    const badDate = await t.api.post(
      `${E}/orgs`,
      orgBody(VILLAGE_B, { level: 'group', creditCode: orgCreditCode(VILLAGE_B, 'group'), registeredOn: '2024-02-30' }),
      staff.token,
    );
    expect(badDate.status).toBe(400);
    expect(badDate.body.code).toBe('VALIDATION_FAILED');
    const company = (await t.api.post(`${E}/companies`, companyBody('township', TOWNSHIP_B), staff.token)).body;
    const nameless = await t.api.put(
      `${E}/companies/${company.id}/shareholders`,
      { shareholders: [{ contributionFen: '1', shareBp: 100 }] },
      staff.token,
    );
    expect(nameless.body.code).toBe('HOLDER_NAME_REQUIRED');
  });
});

describe('platform companies', () => {
  it('refuses shareholders over 100 % (service and database), organizations outside its area, and keeps shareholder history', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const company = (await t.api.post(`${E}/companies`, companyBody('township', TOWNSHIP_A), staff.token)).body;
    const o1 = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A, { level: 'group', creditCode: orgCreditCode(VILLAGE_A, 'group') }), staff.token)
    ).body;
    const o2 = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A2, { level: 'group', creditCode: orgCreditCode(VILLAGE_A2, 'group') }), staff.token)
    ).body;
    const over = await t.api.put(
      `${E}/companies/${company.id}/shareholders`,
      {
        shareholders: [
          { orgId: o1.id, contributionFen: '100000000', shareBp: 6000 },
          { orgId: o2.id, contributionFen: '100000000', shareBp: 3000 },
          { holderName: '某农业公司', contributionFen: '1', shareBp: 1001 },
        ],
      },
      staff.token,
    );
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'SHARES_OVER_100', message: '股东持股比例合计 100.01% 超过 100%' });
    expect(await queryRows(t.db, `SELECT 1 FROM company_shareholder WHERE company_id = $1`, [company.id])).toHaveLength(0);
    const ok = await t.api.put(
      `${E}/companies/${company.id}/shareholders`,
      {
        shareholders: [
          { orgId: o1.id, contributionFen: '100000000', shareBp: 6000 },
          { orgId: o2.id, contributionFen: '100000000', shareBp: 3000 },
          { holderName: '某农业公司', contributionFen: '1', shareBp: 1000 },
        ],
      },
      staff.token,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.shareholders.map((s: { holderName: string; shareBp: number }) => s.shareBp)).toEqual([6000, 3000, 1000]);
    expect(ok.body.history[0].action).toBe('shareholders');
    await expect(
      t.db.query(`UPDATE company_shareholder SET share_bp = share_bp + 1 WHERE company_id = $1 AND org_id = $2`, [company.id, o1.id]),
    ).rejects.toThrow(/exceed 100/);

    const villageB = await t.given.user('township_staff', TOWNSHIP_B);
    const orgB = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_B, { level: 'group', creditCode: orgCreditCode(VILLAGE_B, 'group') }), villageB.token)
    ).body;
    const outside = await t.api.put(
      `${E}/companies/${company.id}/shareholders`,
      { shareholders: [{ orgId: orgB.id, contributionFen: '1', shareBp: 100 }] },
      staff.token,
    );
    expect(outside.body.code).toBe('SHAREHOLDER_ORG_OUTSIDE');

    const dupCode = await t.api.post(
      `${E}/companies`,
      companyBody('township', TOWNSHIP_A, { creditCode: company.creditCode }),
      staff.token,
    );
    expect(dupCode.status).toBe(409);
    expect(dupCode.body.code).toBe('CREDIT_CODE_DUPLICATE');
    const badCode = await t.api.post(
      `${E}/companies`,
      companyBody('township', TOWNSHIP_A, { creditCode: company.creditCode.replace(/^9/, 'S') }),
      staff.token,
    );
    expect(badCode.body.code).toBe('CREDIT_CODE_CHARSET');
    const paid = await t.api.post(`${E}/companies`, companyBody('township', TOWNSHIP_A, { paidInCapitalFen: '600000000' }), staff.token);
    expect(paid.body.code).toBe('PAID_IN_OVER_REGISTERED');

    const upd = await t.api.patch(`${E}/companies/${company.id}`, { status: 'suspended' }, staff.token);
    expect(upd.body.status).toBe('suspended');
    expect(upd.body.history[0].changes).toEqual({ status: { old: 'operating', new: 'suspended' } });

    const alliance = await t.api.put(
      `${E}/companies/${company.id}/alliance`,
      {
        members: [
          { kind: 'collective_org', orgId: o1.id, joinedOn: '2022-01-01', role: '成员单位' },
          { kind: 'cooperative', name: '某种植专业合作社', joinedOn: '2022-03-01', role: '成员单位' },
        ],
      },
      staff.token,
    );
    expect(alliance.status).toBe(200);
    expect(alliance.body.alliance.map((a: { name: string }) => a.name)).toEqual([o1.name, '某种植专业合作社']);
  });

  it('locks a year once the township confirms it; edits need an audited unlock', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const county = await t.given.user('county_admin', COUNTY);
    const org = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A, { level: 'group', creditCode: orgCreditCode(VILLAGE_A, 'group') }), staff.token)
    ).body;
    const orgB = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_B, { level: 'group', creditCode: orgCreditCode(VILLAGE_B, 'group') }), county.token)
    ).body;
    const countyCo = (await t.api.post(`${E}/companies`, companyBody('county', COUNTY), county.token)).body;
    const fig = { operatingIncomeFen: '8000000', totalIncomeFen: '12000000', reserveFundFen: '1000000', distributedFen: '2000000' };
    expect((await t.api.put(`${E}/orgs/${org.id}/figures/2025`, fig, staff.token)).status).toBe(200);
    const vc = await t.given.user('village_committee', VILLAGE_A);
    expect((await t.api.post(`${E}/year-locks`, { divisionCode: TOWNSHIP_A, year: 2025 }, vc.token)).status).toBe(403);
    expect((await t.api.post(`${E}/year-locks`, { divisionCode: TOWNSHIP_B, year: 2025 }, staff.token)).status).toBe(404);
    const lock = await t.api.post(`${E}/year-locks`, { divisionCode: TOWNSHIP_A, year: 2025 }, staff.token);
    expect(lock.status).toBe(201);
    expect((await t.api.post(`${E}/year-locks`, { divisionCode: TOWNSHIP_A, year: 2025 }, staff.token)).body.code).toBe(
      'YEAR_ALREADY_LOCKED',
    );

    const refused = await t.api.put(`${E}/orgs/${org.id}/figures/2025`, { ...fig, operatingIncomeFen: '9000000' }, vc.token);
    expect(refused.status).toBe(423);
    expect(refused.body.code).toBe('YEAR_LOCKED');
    expect((await t.api.put(`${E}/orgs/${org.id}/figures/2025`, { ...fig, operatingIncomeFen: '9000000' }, county.token)).status).toBe(423);
    const [stored] = await queryRows<{ op: string }>(
      t.db,
      `SELECT operating_income_fen::text AS op FROM org_year_figures WHERE org_id = $1 AND year = 2025`,
      [org.id],
    );
    expect(stored.op).toBe('8000000');
    // Other years, other townships and county companies are not locked by this confirmation.
    expect((await t.api.put(`${E}/orgs/${org.id}/figures/2024`, fig, staff.token)).status).toBe(200);
    expect((await t.api.put(`${E}/orgs/${orgB.id}/figures/2025`, fig, county.token)).status).toBe(200);
    expect(
      (await t.api.put(`${E}/companies/${countyCo.id}/figures/2025`, { revenueFen: '1', profitFen: '-5', dividends: [] }, county.token))
        .status,
    ).toBe(200);
    const figs = await t.api.get(`${E}/orgs/${org.id}/figures`, staff.token);
    expect(figs.body.map((f: { year: number; locked: boolean }) => [f.year, f.locked])).toEqual([
      [2024, false],
      [2025, true],
    ]);

    const unlock = await t.api.post(
      `${E}/year-locks/unlock`,
      { divisionCode: TOWNSHIP_A, year: 2025, reason: '村报数据有误，退回更正' },
      staff.token,
    );
    expect(unlock.status).toBe(200);
    expect(unlock.body.unlockReason).toBe('村报数据有误，退回更正');
    expect(
      (await t.api.post(`${E}/year-locks/unlock`, { divisionCode: TOWNSHIP_A, year: 2025, reason: '再次' }, staff.token)).body.code,
    ).toBe('YEAR_NOT_LOCKED');
    const edited = await t.api.put(`${E}/orgs/${org.id}/figures/2025`, { ...fig, operatingIncomeFen: '9000000' }, vc.token);
    expect(edited.status).toBe(200);
    const audit = await queryRows<{ action: string; details: { reason?: string } }>(
      t.db,
      `SELECT action, details FROM audit_log WHERE action IN ('economy.year_confirm', 'economy.year_unlock') AND target_division = $1 ORDER BY id`,
      [TOWNSHIP_A],
    );
    expect(audit.map((a) => a.action)).toEqual(['economy.year_confirm', 'economy.year_unlock']);
    expect(audit[1].details.reason).toBe('村报数据有误，退回更正');
    const history = await t.api.get(`${E}/orgs/${org.id}/history`, staff.token);
    expect(history.body[0]).toMatchObject({ action: 'figures_2025', changes: { operatingIncomeFen: { old: '8000000', new: '9000000' } } });
    // The county can confirm a whole county, which covers its townships and the county company.
    expect((await t.api.post(`${E}/year-locks`, { divisionCode: COUNTY, year: 2025 }, county.token)).status).toBe(201);
    expect(
      (await t.api.put(`${E}/companies/${countyCo.id}/figures/2025`, { revenueFen: '2', profitFen: '0', dividends: [] }, county.token)).body
        .code,
    ).toBe('YEAR_LOCKED');
    expect((await t.api.put(`${E}/orgs/${org.id}/figures/2025`, fig, staff.token)).body.code).toBe('YEAR_LOCKED');
  });
});

describe('who sees and does what', () => {
  it('applies each role in and out of scope', async () => {
    const county = await t.given.user('county_admin', COUNTY);
    const orgA = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A, { level: 'group', creditCode: orgCreditCode(VILLAGE_A, 'group') }), county.token)
    ).body;
    const orgB = (
      await t.api.post(`${E}/orgs`, orgBody(VILLAGE_B, { level: 'group', creditCode: orgCreditCode(VILLAGE_B, 'group') }), county.token)
    ).body;
    await t.api.put(
      `${E}/orgs/${orgA.id}/figures/2024`,
      { operatingIncomeFen: '1', totalIncomeFen: '2', reserveFundFen: '0', distributedFen: '0' },
      county.token,
    );
    const coA = (await t.api.post(`${E}/companies`, companyBody('township', TOWNSHIP_A), county.token)).body;
    const coCounty = (await t.api.post(`${E}/companies`, companyBody('county', COUNTY), county.token)).body;

    const member = await t.given.user('collective_member', VILLAGE_A);
    const supervisor = await t.given.user('supervision_committee', VILLAGE_A);
    const vc = await t.given.user('village_committee', VILLAGE_A);
    const resident = await t.given.user('resident', VILLAGE_A);
    const staffA = await t.given.user('township_staff', TOWNSHIP_A);
    const staffB = await t.given.user('township_staff', TOWNSHIP_B);
    const city = await t.given.user('city_admin', '1404');

    // Members and the supervision committee read their organization's yearly report, nothing else.
    for (const u of [member, supervisor]) {
      const rep = await t.api.get(`${E}/orgs/${orgA.id}/report/2024`, u.token);
      expect(rep.status).toBe(200);
      expect(rep.body.figures).toMatchObject({ operatingIncomeFen: '1', totalIncomeFen: '2' });
      expect((await t.api.get(`${E}/orgs/${orgB.id}`, u.token)).status).toBe(404);
      expect((await t.api.patch(`${E}/orgs/${orgA.id}`, { chairName: '某' }, u.token)).status).toBe(403);
      expect((await t.api.get(`${E}/companies`, u.token)).status).toBe(403);
      expect((await t.api.get(`${E}/stats?year=2024`, u.token)).status).toBe(403);
      const list = await t.api.get(`${E}/orgs?pageSize=100`, u.token);
      expect(list.body.items.every((o: { divisionCode: string }) => o.divisionCode === VILLAGE_A)).toBe(true);
    }
    expect((await t.api.get(`${E}/orgs`, resident.token)).status).toBe(403);

    // The village committee keeps its own organization, not the neighbour's.
    expect((await t.api.patch(`${E}/orgs/${orgA.id}`, { chairName: '赵德明' }, vc.token)).status).toBe(200);
    expect((await t.api.patch(`${E}/orgs/${orgB.id}`, { chairName: '赵德明' }, vc.token)).status).toBe(404);
    expect((await t.api.post(`${E}/orgs`, orgBody(VILLAGE_A2), vc.token)).body.code).toBe('DIVISION_OUT_OF_SCOPE');
    expect((await t.api.post(`${E}/companies`, companyBody('township', TOWNSHIP_A), vc.token)).status).toBe(403);

    // Township staff: every organization of the township, its companies, not the county company nor another township.
    const listA = await t.api.get(`${E}/orgs?pageSize=100`, staffA.token);
    expect(listA.body.items.map((o: { id: string }) => o.id)).toContain(orgA.id);
    expect(listA.body.items.map((o: { id: string }) => o.id)).not.toContain(orgB.id);
    expect((await t.api.get(`${E}/orgs/${orgB.id}`, staffA.token)).status).toBe(404);
    expect((await t.api.patch(`${E}/companies/${coA.id}`, { legalRep: '孙立新' }, staffA.token)).status).toBe(200);
    expect((await t.api.get(`${E}/companies/${coCounty.id}`, staffA.token)).status).toBe(404);
    expect((await t.api.post(`${E}/companies`, companyBody('county', COUNTY), staffA.token)).body.code).toBe('DIVISION_OUT_OF_SCOPE');
    expect((await t.api.get(`${E}/companies/${coA.id}`, staffB.token)).status).toBe(404);
    expect((await t.api.patch(`${E}/companies/${coA.id}`, { legalRep: '某' }, staffB.token)).status).toBe(404);
    expect((await t.api.get(`${E}/stats?year=2024&divisionCode=${TOWNSHIP_A}`, staffB.token)).status).toBe(404);
    expect((await t.api.get(`${E}/stats?year=2024&divisionCode=${TOWNSHIP_A}`, staffA.token)).status).toBe(200);

    // County sees the county; city sees everything.
    expect((await t.api.get(`${E}/companies/${coCounty.id}`, county.token)).status).toBe(200);
    expect((await t.api.get(`${E}/stats?year=2024&divisionCode=1404`, county.token)).status).toBe(404);
    expect((await t.api.get(`${E}/stats?year=2024&divisionCode=1404`, city.token)).status).toBe(200);
    const cityList = await t.api.get(`${E}/companies?pageSize=100`, city.token);
    expect(cityList.body.items.map((c: { id: string }) => c.id).sort()).toEqual(expect.arrayContaining([coA.id, coCounty.id].sort()));
    // Only the city changes the weak-village yardstick.
    expect((await t.api.put(`${E}/settings`, { weakThresholdFen: '5000000' }, county.token)).body.code).toBe('PERMISSION_DENIED');
    expect((await t.api.put(`${E}/settings`, { weakThresholdFen: '10000000' }, city.token)).status).toBe(200);
  });
});
