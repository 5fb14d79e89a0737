import ExcelJS from 'exceljs';
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

async function givenProposal(village: string, status: string): Promise<string> {
  const [{ id }] = await queryRows<{ id: string }>(
    t.db,
    `INSERT INTO proposal (village_code, title, body, category, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at)
     VALUES ($1, '统计测试', '正文', 'public_welfare', 'villagers_meeting', 'secret', $2,
             CASE WHEN $2 IN ('draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'withdrawn') THEN NULL ELSE now() - interval '12 days' END,
             now() - interval '13 days', now()) RETURNING id`,
    [village, status],
  );
  return id;
}

/** A closed decision vote with a stored tally (and, for comparison, an open one that must not count). */
async function givenClosedVote(proposalId: string, electorate: number, participants: number): Promise<void> {
  await t.db.query(
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households,
                       status, participants, households_represented, yes_count, no_count, abstain_count, outcome, rule, tallied_at, threshold,
                       spoiled_count, online_participants, assisted_participants, onsite_participants)
     VALUES ($1, 'decision', 'villagers_meeting', 'secret', false, now() - interval '3 days', now() - interval '1 day', current_date, $2, $2,
             'closed', $3, $3, $3, 0, 0, 'passed', '{}'::jsonb, now(), 'body_default', 0, $3, 0, 0)`,
    [proposalId, electorate, participants],
  );
}

it('counts proposals by state and decision-vote turnout per township, matching the rows the test made', async () => {
  const made: { village: string; status: string; electorate?: number; participants?: number }[] = [
    { village: VILLAGE_A, status: 'draft' },
    { village: VILLAGE_A, status: 'passed', electorate: 300, participants: 151 },
    { village: VILLAGE_A2, status: 'rejected', electorate: 100, participants: 80 },
    { village: VILLAGE_A2, status: 'voting' },
    { village: VILLAGE_B, status: 'announced', electorate: 50, participants: 26 },
    { village: VILLAGE_B, status: 'deliberation' },
  ];
  for (const m of made) {
    const id = await givenProposal(m.village, m.status);
    if (m.electorate) await givenClosedVote(id, m.electorate, m.participants!);
  }
  const admin = await t.given.user('county_admin', COUNTY);
  const r = await t.api.get(`/api/v1/proposal-stats?divisionCode=${COUNTY}`, admin.token);
  expect(r.status).toBe(200);
  expect(r.body.units).toHaveLength(12); // 长子县's 12 township-level units
  for (const township of [TOWNSHIP_A, TOWNSHIP_B]) {
    const mine = made.filter((m) => m.village.startsWith(township));
    const unit = r.body.units.find((u: { code: string }) => u.code === township);
    const electorate = mine.reduce((s, m) => s + (m.electorate ?? 0), 0);
    const participants = mine.reduce((s, m) => s + (m.participants ?? 0), 0);
    expect(unit).toMatchObject({
      total: mine.length,
      voting: mine.filter((m) => m.status === 'voting').length,
      decided: mine.filter((m) => ['passed', 'rejected', 'no_quorum', 'announced', 'closed'].includes(m.status)).length,
      votes: mine.filter((m) => m.electorate).length,
      electorate,
      participants,
      turnout: Math.round((participants / electorate) * 10000) / 10000,
    });
    for (const s of ['draft', 'passed', 'rejected', 'voting', 'announced', 'deliberation']) {
      expect(unit.byState[s]).toBe(mine.filter((m) => m.status === s).length);
    }
  }
  expect(r.body.total).toMatchObject({ total: 6, votes: 3, electorate: 450, participants: 257 });
  const empty = r.body.units.find((u: { code: string }) => u.code === '140428100');
  expect(empty).toMatchObject({ total: 0, votes: 0, turnout: null });

  const xlsx = await fetch(`${t.baseUrl}/api/v1/proposal-stats/xlsx?divisionCode=${COUNTY}`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  expect(xlsx.status).toBe(200);
  // Saved under a Chinese name (RFC 5987), with an ASCII name for old clients.
  const disposition = xlsx.headers.get('content-disposition') ?? '';
  expect(disposition).toContain('filename="proposal-stats.xlsx"');
  expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1] ?? '')).toBe('村事共议统计.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['按状态', '按下级区划']);
  const sheet = wb.getWorksheet('按下级区划')!;
  const rowA = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(1).value === TOWNSHIP_A)!;
  expect([rowA.getCell(2).value, rowA.getCell(3).value, rowA.getCell(7).value, rowA.getCell(8).value]).toEqual(['鲍店镇', 4, 400, 231]);
});

it('keeps to the caller scope: a township official cannot ask for another township (404), residents may not ask at all', async () => {
  const staffA = await t.given.user('township_staff', TOWNSHIP_A);
  const own = await t.api.get(`/api/v1/proposal-stats`, staffA.token);
  expect(own.status).toBe(200);
  expect(own.body.divisionCode).toBe(TOWNSHIP_A);
  expect(own.body.units.every((u: { code: string }) => u.code.startsWith(TOWNSHIP_A))).toBe(true);
  const other = await t.api.get(`/api/v1/proposal-stats?divisionCode=${TOWNSHIP_B}`, staffA.token);
  expect(other.status).toBe(404);
  expect(other.body.code).toBe('PROPOSAL_STATS_SCOPE_NOT_FOUND');
  const resident = await t.given.user('resident', VILLAGE_A);
  expect((await t.api.get(`/api/v1/proposal-stats`, resident.token)).status).toBe(403);
});
