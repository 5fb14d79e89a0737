import { startTestApp, type TestApp } from '../support/test-app.js';
import { AGREEMENT, caseBody, givenCast, type MediationCast, SESSION, TOWNSHIP_A, VILLAGE_A } from './mediation-fixtures.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
let cast: MediationCast;
let caseId: string;
let publicCaseId: string;
/** Every identifier of the test parties: none may appear in clear outside the reveal. */
let secrets: string[];
let parties: { role: string; name: string; idNumber: string; phone: string; address: string }[];
let partyIds: string[];
let residentParty: Awaited<ReturnType<TestApp['given']['user']>>;

beforeAll(async () => {
  t = await startTestApp();
  cast = await givenCast(t);
  residentParty = await t.given.user('resident', VILLAGE_A);
  // A non-public case, agreed, with a session, an agreement and a risk alert; one party is a registered resident.
  const { body, parties: ps } = caseBody(VILLAGE_A, { nonPublic: true });
  const applicant = {
    role: 'applicant',
    kind: 'person' as const,
    name: residentParty.realName,
    idNumber: residentParty.idNumber,
    phone: residentParty.phone,
    address: '鲍店镇东街 1 号',
  };
  parties = [applicant, ...ps.slice(1), { ...ps[0], role: 'third_party', name: '欧阳春花' }];
  const created = await t.api.post('/api/v1/mediation/cases', { ...body, parties }, cast.vc.token);
  caseId = created.body.id;
  const step = (path: string, payload: unknown, token = cast.vc.token) =>
    t.api.post(`/api/v1/mediation/cases/${caseId}/${path}`, payload, token);
  await step('accept', {});
  await step('mediators', { mediatorPersonIds: [cast.medA.personId] });
  await step(
    'risk',
    { description: '一方扬言报复', policeNotifiedAt: '2026-01-05T08:00:00Z', policeContact: '鲍店派出所' },
    cast.medA.token,
  );
  await step('sessions', SESSION([cast.medA.personId]), cast.medA.token);
  // The third party is a party too: all three execute the agreement (人民调解法 Art. 29).
  const executions = [...AGREEMENT.partyExecutions, { ord: 2, mode: 'seal' }];
  expect((await step('agreement', { ...AGREEMENT, partyExecutions: executions }, cast.medA.token)).status).toBe(200);
  const pub = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
  publicCaseId = pub.body.id;
  secrets = parties.flatMap((p) => [p.idNumber, p.phone]);
  partyIds = (await queryRows<{ id: string }>(t.db, `SELECT id FROM mediation_party WHERE case_id = $1 ORDER BY ord`, [caseId])).map(
    (r) => r.id,
  );
}, 60_000);
afterAll(async () => {
  await t.close();
});

const FULL = ['vc', 'medA', 'ts'] as const;
const RESTRICTED = ['medA2', 'medT', 'medC', 'county'] as const;

describe('who sees what', () => {
  it.each(FULL)('%s (assigned mediator, committee head, township staff) sees the parties in full, identifiers masked', async (who) => {
    const r = await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast[who].token);
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('full');
    expect(r.body.summary).toBe('两家因院墙排水问题发生纠纷');
    expect(r.body.claims).toBe('请求对方改建排水沟');
    expect(r.body.parties.map((p: Record<string, unknown>) => [p.role, p.name, p.idNumberMasked, p.phoneMasked, p.address])).toEqual(
      parties.map((p) => [
        p.role,
        p.name,
        `${p.idNumber.slice(0, 4)}**********${p.idNumber.slice(-4)}`,
        `${p.phone.slice(0, 3)}****${p.phone.slice(7)}`,
        p.address,
      ]),
    );
    expect(r.body.sessions[0].record).toBe(SESSION([]).record);
    expect(r.body.agreement.terms).toBe(AGREEMENT.terms);
    expect(r.body.alerts).toHaveLength(1);
  });

  it.each(RESTRICTED)('%s sees surname + 某, masked identifiers, no address, and for a non-public case no summary', async (who) => {
    const r = await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast[who].token);
    expect(r.status).toBe(200);
    expect(r.body.view).toBe('restricted');
    expect(r.body.summary).toBeNull();
    expect(r.body.claims).toBeNull();
    expect(r.body.parties.map((p: Record<string, unknown>) => [p.role, p.name, p.idNumberMasked, p.phoneMasked, p.address])).toEqual(
      parties.map((p) => [
        p.role,
        p.name.startsWith('欧阳') ? '欧阳某' : `${p.name[0]}某`,
        `${p.idNumber.slice(0, 4)}**********${p.idNumber.slice(-4)}`,
        `${p.phone.slice(0, 3)}****${p.phone.slice(7)}`,
        null,
      ]),
    );
    expect(r.body.sessions).toEqual([expect.objectContaining({ heldOn: '2026-01-05', record: null, attendees: null })]);
    expect(r.body.agreement).toMatchObject({ terms: null, facts: null, effectiveOn: expect.any(String) });
    expect(r.body.alerts).toEqual([]);
    for (const p of parties) expect(JSON.stringify(r.body)).not.toContain(p.name.slice(1));
  });

  it('a restricted viewer sees the summary of a public case', async () => {
    const r = await t.api.get(`/api/v1/mediation/cases/${publicCaseId}`, cast.county.token);
    expect([r.body.view, r.body.summary]).toEqual(['restricted', '两家因院墙排水问题发生纠纷']);
  });

  it('outside the scope the case does not exist; a resident who is no party cannot read it', async () => {
    expect((await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast.vcB.token)).status).toBe(404);
    expect((await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast.resident.token)).status).toBe(403);
    expect((await t.api.get(`/api/v1/mediation/my-cases/${caseId}`, cast.resident.token)).status).toBe(404);
    const list = await t.api.get('/api/v1/mediation/cases', cast.vcB.token);
    expect(list.body.items.some((i: { id: string }) => i.id === caseId)).toBe(false);
  });

  it('the resident party sees their own case, names in full, identifiers masked, no risk flags', async () => {
    const r = await t.api.get(`/api/v1/mediation/my-cases/${caseId}`, residentParty.token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ view: 'party', summary: '两家因院墙排水问题发生纠纷', riskLevel: null, violenceRisk: null, alerts: [] });
    expect(r.body.parties.map((p: { name: string; address: string | null }) => [p.name, p.address])).toEqual(
      parties.map((p) => [p.name, null]),
    );
  });

  it('lists mask names per row the same way', async () => {
    const full = await t.api.get(`/api/v1/mediation/cases?divisionCode=${VILLAGE_A}&pageSize=100`, cast.vc.token);
    const restricted = await t.api.get(`/api/v1/mediation/cases?divisionCode=${VILLAGE_A}&pageSize=100`, cast.county.token);
    const row = (b: { items: { id: string }[] }) =>
      b.items.find((i) => i.id === caseId) as unknown as { parties: { name: string }[]; view: string };
    expect(row(full.body).parties.map((p) => p.name)).toEqual([parties[0].name, parties[1].name]);
    expect(row(restricted.body)).toMatchObject({ view: 'restricted', parties: [{ name: `${parties[0].name[0]}某` }, { name: '李某' }] });
  });
});

/** Which fields of a case detail carry a value: top level, parties (union), sessions and agreement. */
/**
 * Calendar notes, not case data: the year of a deadline whose holiday calendar is not yet verified. They are
 * non-null only when a deadline falls in such a year (from December on, next year's), so a field list that
 * counted them would change with the date the suite runs.
 */
const CALENDAR_NOTES = ['dueUnverifiedYear', 'confirmUnverifiedYear'];

function shown(body: Record<string, any>): Record<string, string[]> {
  const nonNull = (o: Record<string, unknown>) =>
    Object.keys(o)
      .filter((k) => o[k] !== null && !(Array.isArray(o[k]) && (o[k] as unknown[]).length === 0) && !CALENDAR_NOTES.includes(k))
      .sort();
  return {
    top: nonNull(body).filter((k) => !['parties', 'sessions', 'agreement', 'mediators', 'followUps', 'history'].includes(k)),
    party: [...new Set(body.parties.flatMap((p: Record<string, unknown>) => nonNull(p)))].sort() as string[],
    session: [...new Set(body.sessions.flatMap((x: Record<string, unknown>) => nonNull(x)))].sort() as string[],
    agreement: body.agreement ? nonNull(body.agreement) : [],
    historyNotes: body.history.some((h: { note: string | null }) => h.note !== null) ? ['note'] : [],
  };
}

describe('exactly the fields each view may show', () => {
  const COMMON = [
    'acceptedAt',
    'amountFen',
    'appliedAt',
    'caseNo',
    'committeeCode',
    'committeeName',
    'concludedAt',
    'disputeType',
    'dueAt',
    'escalationCount',
    'id',
    'isDemo',
    'nonPublic',
    'originCommitteeCode',
    'outcome',
    'source',
    'status',
    'view',
  ];
  // How it was executed (which party signed, sealed or thumb-printed; who signed for the committee) carries no facts.
  const AGREEMENT_DATES = [
    'committeeSealed',
    'confirmDeadline',
    'effectiveOn',
    'followUpDue',
    'form',
    'mediatorSignatures',
    'partyExecutions',
    'performBy',
  ];
  const AGREEMENT_TEXT = ['disputePoints', 'facts', 'performanceMethod', 'responsibilities', 'terms'];
  const expected = {
    full: {
      // `actions`: what the caller may do now (no personal data); `assignable` is empty at this stage.
      top: [...COMMON, 'actions', 'alerts', 'claims', 'riskLevel', 'summary', 'violenceRisk'].sort(),
      party: ['address', 'id', 'idNumberMasked', 'kind', 'name', 'ord', 'phoneMasked', 'role'],
      session: ['attendees', 'heldOn', 'id', 'mediatorPersonIds', 'place', 'record'],
      agreement: [...AGREEMENT_DATES, ...AGREEMENT_TEXT].sort(),
      historyNotes: ['note'],
    },
    restricted: {
      top: [...COMMON, 'actions', 'riskLevel', 'violenceRisk'].sort(),
      party: ['id', 'idNumberMasked', 'kind', 'name', 'ord', 'phoneMasked', 'role'],
      session: ['heldOn', 'id', 'mediatorPersonIds', 'place'],
      agreement: AGREEMENT_DATES,
      historyNotes: [],
    },
    party: {
      top: [...COMMON, 'claims', 'summary'].sort(),
      party: ['id', 'idNumberMasked', 'kind', 'name', 'ord', 'phoneMasked', 'role'],
      session: ['heldOn', 'id', 'mediatorPersonIds', 'place'],
      agreement: [...AGREEMENT_DATES, ...AGREEMENT_TEXT].sort(),
      historyNotes: [],
    },
  };

  it.each([...FULL, ...RESTRICTED])('%s', async (who) => {
    const r = await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast[who].token);
    const view = (FULL as readonly string[]).includes(who) ? 'full' : 'restricted';
    expect(shown(r.body)).toEqual(expected[view]);
  });

  it('the resident party', async () => {
    const r = await t.api.get(`/api/v1/mediation/my-cases/${caseId}`, residentParty.token);
    expect(shown(r.body)).toEqual(expected.party);
  });
});

describe('privacy scan and reveal', () => {
  it('no list or detail response for any role contains a party ID number or phone in clear', async () => {
    const paths = [
      `/api/v1/mediation/cases?pageSize=100`,
      `/api/v1/mediation/cases/${caseId}`,
      `/api/v1/mediation/cases/${publicCaseId}`,
      `/api/v1/mediation/my-cases`,
      `/api/v1/mediation/my-cases/${caseId}`,
      `/api/v1/mediation/deadlines?divisionCode=${TOWNSHIP_A}&scope=township&state=due_soon`,
      `/api/v1/mediation/deadlines?divisionCode=${VILLAGE_A}&scope=committee&state=overdue`,
      `/api/v1/mediation/alerts`,
      `/api/v1/mediation/cases/${caseId}/agreement.html`,
      `/api/v1/mediation/cases/${caseId}/agreement.html?full=true`,
      `/api/v1/mediation/stats?groupBy=committee&year=2026`,
    ];
    const everyone = { ...cast, residentParty };
    let seen = 0;
    for (const [who, u] of Object.entries(everyone)) {
      for (const path of paths) {
        const r = await t.api.get(path, u.token);
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        if (r.status === 200) seen++;
        for (const s of secrets) expect([who, path, text.includes(s)]).toEqual([who, path, false]);
      }
    }
    // The scan read real content, not only refusals. (The 司法确认申请书, the one document printed in full, has its own test.)
    expect(seen).toBeGreaterThan(40);
    const reveals = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'mediation.party.reveal'`,
    );
    expect(reveals[0].n).toBe(0);
  });

  it('the printed agreement has the Art. 29 contents and signature lines, identifiers masked by default', async () => {
    const r = await t.api.get(`/api/v1/mediation/cases/${caseId}/agreement.html`, cast.medA.token);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    for (const part of [
      '人民调解协议书',
      '纠纷主要事实',
      '争议事项',
      '各方当事人责任',
      '协议内容',
      '履行方式和期限',
      '（签名）',
      '@page { size: A4',
      '人民调解委员会（印章）',
      AGREEMENT.terms,
      parties[1].name,
    ]) {
      expect(r.body).toContain(part);
    }
    expect(r.body).toContain(`${parties[1].idNumber.slice(0, 4)}**********`);
    // Restricted viewers cannot print; the county lacks the permission outright.
    expect((await t.api.get(`/api/v1/mediation/cases/${caseId}/agreement.html`, cast.medA2.token)).status).toBe(403);
    expect((await t.api.get(`/api/v1/mediation/cases/${caseId}/agreement.html`, cast.county.token)).status).toBe(403);
  });

  it('each reveal is permission-checked, returns the clear value and is in the audit log', async () => {
    let expectedReveals = 0;
    for (const who of FULL) {
      for (const [i, id] of partyIds.entries()) {
        const idr = await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${id}/reveal`, { field: 'idNumber' }, cast[who].token);
        expect([who, idr.status, idr.body.value]).toEqual([who, 200, parties[i].idNumber]);
        const ph = await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${id}/reveal`, { field: 'phone' }, cast[who].token);
        expect([who, ph.status, ph.body.value]).toEqual([who, 200, parties[i].phone]);
        expectedReveals += 2;
      }
      const rows = await queryRows<{ target_id: string; details: { field: string; caseId: string } }>(
        t.db,
        `SELECT target_id, details FROM audit_log WHERE action = 'mediation.party.reveal' AND account_id = $1 ORDER BY occurred_at, id`,
        [cast[who].accountId],
      );
      expect(rows).toHaveLength(partyIds.length * 2);
      expect(new Set(rows.map((r) => r.target_id))).toEqual(new Set(partyIds));
      // No run of 11 digits (a phone, an ID number's body) outside the ids: a UUID's last group may be 12 digits by chance.
      for (const r of rows)
        expect(JSON.stringify(r.details).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')).not.toMatch(
          /\d{11}/,
        );
    }
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${partyIds[0]}/reveal`, { field: 'idNumber' }, cast.medA2.token)).status,
    ).toBe(403);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${partyIds[0]}/reveal`, { field: 'idNumber' }, cast.medT.token)).status,
    ).toBe(403);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${partyIds[0]}/reveal`, { field: 'idNumber' }, cast.county.token))
        .status,
    ).toBe(403);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${caseId}/parties/${partyIds[0]}/reveal`, { field: 'idNumber' }, cast.vcB.token)).status,
    ).toBe(404);
    expect(
      (await t.api.post(`/api/v1/mediation/cases/${publicCaseId}/parties/${partyIds[0]}/reveal`, { field: 'idNumber' }, cast.vc.token))
        .status,
    ).toBe(404);
    const total = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'mediation.party.reveal'`);
    expect(total[0].n).toBe(expectedReveals);
  });

  it('the 司法确认申请书 prints the parties in full for the court, each print an audited reveal naming the person; every other print stays masked', async () => {
    const printsBy = async (accountId: string) =>
      queryRows<{ details: { caseNo: string; document: string; partyIds: string[] } }>(
        t.db,
        `SELECT details FROM audit_log WHERE action = 'mediation.case.print_full' AND target_id = $1 AND account_id = $2 ORDER BY occurred_at, id`,
        [caseId, accountId],
      );
    for (const who of FULL) {
      const r = await t.api.get(`/api/v1/mediation/cases/${caseId}/confirmation-application.html`, cast[who].token);
      expect([who, r.status]).toEqual([who, 200]);
      for (const part of ['司法确认申请书', '第三十三条', AGREEMENT.terms]) expect(r.body).toContain(part);
      for (const p of parties) {
        expect([who, p.name, r.body.includes(`${p.name}，身份证号码：${p.idNumber}，联系电话：${p.phone}`)]).toEqual([who, p.name, true]);
      }
      const rows = await printsBy(cast[who].accountId);
      expect(rows).toHaveLength(1);
      expect(rows[0].details).toEqual({ caseNo: expect.any(String), document: 'confirmation_application', partyIds });
      // The values themselves never enter the audit log.
      for (const secret of secrets) expect(JSON.stringify(rows[0].details)).not.toContain(secret);
    }
    // The audit log names who printed it, in Chinese, found by Chinese words.
    const log = await t.api.get(`/api/v1/audit?q=${encodeURIComponent('司法确认申请书 身份证')}&pageSize=50`, cast.ts.token);
    expect(log.status).toBe(200);
    const printers = log.body.items
      .filter((i: { targetId: string }) => i.targetId === caseId)
      .map((i: { actorName: string; actionName: string }) => [i.actorName, i.actionName]);
    expect(new Set(printers.map((p: string[]) => p[0]))).toEqual(new Set(FULL.map((w) => cast[w].realName)));
    expect(printers[0][1]).toBe('调解案件：打印司法确认申请书（含当事人完整身份证号和手机号）');

    // Only those who may read the parties in full and reveal identifiers may print it; refusals print nothing and log no reveal.
    for (const who of ['medA2', 'medT', 'county', 'vcB'] as const) {
      const r = await t.api.get(`/api/v1/mediation/cases/${caseId}/confirmation-application.html`, cast[who].token);
      expect([who, r.status]).toEqual([who, who === 'vcB' ? 404 : 403]);
      expect(await printsBy(cast[who].accountId)).toHaveLength(0);
    }
    const party = await t.api.get(`/api/v1/mediation/cases/${caseId}/confirmation-application.html`, residentParty.token);
    expect(party.status).toBe(403);

    // The agreement stays masked for everyone, whatever the query asks, and is no reveal.
    for (const who of FULL) {
      for (const path of ['agreement.html', 'agreement.html?full=true']) {
        const r = await t.api.get(`/api/v1/mediation/cases/${caseId}/${path}`, cast[who].token);
        expect([who, path, r.status]).toEqual([who, path, 200]);
        for (const secret of secrets) expect([who, path, r.body.includes(secret)]).toEqual([who, path, false]);
      }
      expect(await printsBy(cast[who].accountId)).toHaveLength(1);
    }
  });

  it('an unassigned mediator of the committee may not see the parties in full until assigned', async () => {
    const before = await t.api.get(`/api/v1/mediation/cases/${caseId}`, cast.medA2.token);
    expect(before.body.view).toBe('restricted');
    const c = await t.api.post('/api/v1/mediation/cases', caseBody(VILLAGE_A).body, cast.vc.token);
    await t.api.post(`/api/v1/mediation/cases/${c.body.id}/accept`, {}, cast.vc.token);
    expect((await t.api.get(`/api/v1/mediation/cases/${c.body.id}`, cast.medA2.token)).body.view).toBe('restricted');
    await t.api.post(`/api/v1/mediation/cases/${c.body.id}/mediators`, { mediatorPersonIds: [cast.medA2.personId] }, cast.vc.token);
    expect((await t.api.get(`/api/v1/mediation/cases/${c.body.id}`, cast.medA2.token)).body.view).toBe('full');
  });
});
