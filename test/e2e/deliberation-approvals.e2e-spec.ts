import { jest } from '@jest/globals';
import { CATEGORIES, MATTER_RULES } from '#deliberation';
import type { GivenUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  closeVotes,
  createDraft,
  type Officials,
  officials,
  ok,
  orgWithMembers,
  toVoting,
  Villages,
  vote,
} from './deliberation-support.js';
import { queryRows } from '../support/sql.js';

// Approvals after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1; docs/decisions/015-approvals-after-the-vote.md),
// through HTTP on PostgreSQL.
jest.setTimeout(180_000);

let t: TestApp;
let villages: Villages;
beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  villages = await Villages.load(t);
});
afterAll(async () => {
  await t.close();
});

/** Today in 长治 on the test clock (YYYY-MM-DD). */
const today = () => new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * A 村民会议 of three adult residents, all members of the village's collective organization (a land matter's
 * 村民会议 is seated from the member register, decision 064), decides the matter: `yes` of them vote yes, the rest no.
 */
async function decided(
  village: string,
  o: Officials,
  category: string,
  title: string,
  yes: number,
): Promise<{ id: string; residents: GivenUser[] }> {
  const residents: GivenUser[] = [];
  for (let i = 0; i < 3; i++) residents.push(await t.given.user('resident', village));
  await orgWithMembers(t, o, village, residents);
  const id = await createDraft(t, o, village, { decidingBody: 'villagers_meeting', category, title });
  const { closesAt } = await toVoting(t, o, village, id);
  for (const [k, r] of residents.entries()) ok(await vote(t, id, r.token, k < yes ? 'yes' : 'no'), 201);
  await closeVotes(t, closesAt);
  return { id, residents };
}

const approval = (authority: string, decision: 'approved' | 'refused', documentNumber: string, decidedOn = today(), note?: string) => ({
  authority,
  decision,
  decidedOn,
  documentNumber,
  ...(note ? { note } : {}),
});

describe('adjusting contracted land: 乡（镇）人民政府 and 县级农业农村主管部门 approve before it takes effect (Art. 28 ¶2)', () => {
  it('passes → published as 待批准 → implementation refused → both approvals recorded → carried out and closed', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const { id, residents } = await decided(village, o, 'land_adjustment', '三组因修路占地调整承包地', 3);

    const passed = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(passed.status).toBe('passed');
    expect(passed.approvals).toMatchObject({
      required: true,
      resolutionPassed: true,
      status: 'pending',
      inEffect: false,
      canRecord: false,
    });
    expect(passed.approvals.items.map((i: any) => [i.authority, i.record])).toEqual([
      ['township_government', null],
      ['county_agriculture', null],
    ]);

    // 决议公开 is allowed, marked as not yet in effect.
    const notice = ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    expect(notice.outcome.outcome).toBe('passed');
    expect(notice.body).toContain('待批准，尚未生效');
    expect(notice.body).toContain('乡（镇）人民政府和县级人民政府农业农村等主管部门');
    const published = ok(await t.api.get(`/api/v1/proposals/${id}`, residents[0].token));
    expect(published).toMatchObject({ status: 'awaiting_approval', statusName: '决议已公开，待批准，尚未生效' });
    expect(published.approvals).toMatchObject({ status: 'pending', statusName: '待批准，尚未生效', inEffect: false, canRecord: false });
    expect(published.availableActions).toEqual([]);
    const townshipView = ok(await t.api.get(`/api/v1/proposals/${id}`, o.township.token));
    expect(townshipView.approvals.canRecord).toBe(true);
    expect(townshipView.availableActions).toEqual(['record_approval', 'approval_refused']);

    // Implementation and closing are refused, citing the article.
    const early = await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: '已重新丈量并调整。' }, o.committee.token);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('APPROVALS_OUTSTANDING');
    expect(early.body.message).toContain('《中华人民共和国农村土地承包法》第二十八条第二款');
    expect(early.body.details.missing).toEqual(['乡（镇）人民政府', '县级人民政府农业农村等主管部门']);
    const closeEarly = await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token);
    expect(closeEarly.status).toBe(409);
    expect(closeEarly.body.code).toBe('APPROVALS_OUTSTANDING');

    // The database refuses the same, whatever the service does.
    await expect(
      t.db.query(
        `INSERT INTO notice (proposal_id, village_code, kind, title, body, committee_name, published_at, publicity_ends_at)
         VALUES ($1, $2, 'implementation', '绕过', '绕过', '村委会', now(), now() + interval '7 days')`,
        [id, village],
      ),
    ).rejects.toThrow(/notice_implementation_approved|尚未获得批准/);
    await expect(t.db.query(`UPDATE proposal SET status = 'announced' WHERE id = $1`, [id])).rejects.toThrow(/尚未获得批准/);
    await expect(t.db.query(`UPDATE proposal SET status = 'closed' WHERE id = $1`, [id])).rejects.toThrow(/尚未获得批准/);

    // Who records: township staff of this township; not another township's, not the village committee.
    const otherTownship = await t.given.user('township_staff', villages.inB().slice(0, 9));
    const foreign = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '县农农发〔2026〕1号'),
      otherTownship.token,
    );
    expect(foreign.status).toBe(404);
    const byCommittee = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '县农农发〔2026〕1号'),
      o.committee.token,
    );
    expect(byCommittee.status).toBe(403);
    const tooEarly = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '县农农发〔2026〕1号', '2020-01-01'),
      o.township.token,
    );
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.code).toBe('APPROVAL_DATE_INVALID');
    const blank = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '   '),
      o.township.token,
    );
    expect(blank.status).toBe(400);
    expect(await queryRows(t.db, `SELECT 1 FROM proposal_approval WHERE proposal_id = $1`, [id])).toEqual([]);

    // The county department's approval first: still waiting for the township's.
    const county = ok(
      await t.api.post(
        `/api/v1/proposals/${id}/approvals`,
        approval('county_agriculture', 'approved', '县农农发〔2026〕15号', today(), '同意调整'),
        o.township.token,
      ),
      201,
    );
    expect(county).toMatchObject({ status: 'pending', inEffect: false, canRecord: true });
    expect(county.items[1].record).toMatchObject({
      decision: 'approved',
      documentNumber: '县农农发〔2026〕15号',
      note: '同意调整',
      recordedByName: o.township.realName,
    });
    const again = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '县农农发〔2026〕16号'),
      o.township.token,
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('APPROVAL_ALREADY_RECORDED');
    const stillEarly = await t.api.post(
      `/api/v1/proposals/${id}/implementation-reports`,
      { body: '已重新丈量并调整。' },
      o.committee.token,
    );
    expect(stillEarly.status).toBe(409);
    expect(stillEarly.body.details.missing).toEqual(['乡（镇）人民政府']);

    // The township's approval completes them: the resolution takes effect.
    const both = ok(
      await t.api.post(
        `/api/v1/proposals/${id}/approvals`,
        approval('township_government', 'approved', '某镇政发〔2026〕8号'),
        o.township.token,
      ),
      201,
    );
    expect(both).toMatchObject({ status: 'approved', statusName: '已全部批准，决议生效', inEffect: true, canRecord: false });
    const inEffect = ok(await t.api.get(`/api/v1/proposals/${id}`, o.committee.token));
    expect(inEffect.status).toBe('announced');
    expect(inEffect.availableActions).toEqual(['report_implementation', 'close']);
    const history = inEffect.history.map((e: any) => [e.action, e.toStatus]);
    expect(history.slice(-4)).toEqual([
      ['publish_resolution', 'awaiting_approval'],
      ['record_approval', 'awaiting_approval'],
      ['record_approval', 'awaiting_approval'],
      ['approvals_complete', 'announced'],
    ]);
    ok(
      await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: '已按批准的方案重新丈量并调整。' }, o.committee.token),
      201,
    );
    expect(ok(await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token)).status).toBe('closed');

    // Each record is audited in Chinese-named actions, and the committee is told.
    const audit = await queryRows<{ action: string; doc: string | null; decision: string | null }>(
      t.db,
      `SELECT action, details->>'documentNumber' AS doc, details->>'decision' AS decision FROM audit_log
        WHERE target_id = $1 AND action IN ('proposal.record_approval', 'proposal.approvals_complete') ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'proposal.record_approval', doc: '县农农发〔2026〕15号', decision: 'approved' },
      { action: 'proposal.record_approval', doc: '某镇政发〔2026〕8号', decision: 'approved' },
      { action: 'proposal.approvals_complete', doc: null, decision: null },
    ]);
    const notes = ok(await t.api.get('/api/v1/notifications', o.committee.token));
    const mine = notes.items.filter((n: any) => n.proposalId === id && n.kind === 'approval_recorded');
    expect(mine.map((n: any) => n.body)).toEqual(expect.arrayContaining([expect.stringContaining('批准齐全，决议生效')]));
    expect(mine).toHaveLength(2);
  });
});

describe('contracting land to outsiders: a refusal by the township ends it (Art. 52 ¶1)', () => {
  it('passes → published → an authority the matter does not name is refused → township refuses → not in effect, nothing carried out', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    const { id, residents } = await decided(village, o, 'land_outsider_contracting', '村西荒地发包给外村种植大户', 2);
    ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);

    const notNeeded = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('county_agriculture', 'approved', '县农农发〔2026〕2号'),
      o.township.token,
    );
    expect(notNeeded.status).toBe(400);
    expect(notNeeded.body.code).toBe('APPROVAL_NOT_NEEDED');

    const refused = ok(
      await t.api.post(
        `/api/v1/proposals/${id}/approvals`,
        approval('township_government', 'refused', '某镇政复〔2026〕3号', today(), '未对承包方资信和经营能力进行审查'),
        o.township.token,
      ),
      201,
    );
    expect(refused).toMatchObject({ status: 'refused', statusName: '未获批准，决议不生效', inEffect: false, canRecord: false });
    const page = ok(await t.api.get(`/api/v1/proposals/${id}`, residents[0].token));
    expect(page).toMatchObject({ status: 'not_approved', statusName: '未获批准，决议不生效' });

    const impl = await t.api.post(`/api/v1/proposals/${id}/implementation-reports`, { body: '已签订承包合同。' }, o.committee.token);
    expect(impl.status).toBe(409);
    expect(impl.body.code).toBe('RESOLUTION_NOT_IN_EFFECT');
    expect(impl.body.message).toContain('第五十二条');
    expect(impl.body.message).toContain('某镇政复〔2026〕3号');
    expect((await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token)).body.code).toBe('RESOLUTION_NOT_IN_EFFECT');
    const later = await t.api.post(
      `/api/v1/proposals/${id}/approvals`,
      approval('township_government', 'approved', '某镇政发〔2026〕9号'),
      o.township.token,
    );
    expect(later.status).toBe(409);
    await expect(
      t.db.query(
        `INSERT INTO notice (proposal_id, village_code, kind, title, body, committee_name, published_at, publicity_ends_at)
                  VALUES ($1, $2, 'implementation', '绕过', '绕过', '村委会', now(), now() + interval '7 days')`,
        [id, village],
      ),
    ).rejects.toThrow(/尚未获得批准/);
    await expect(t.db.query(`UPDATE proposal_approval SET decision = 'approved' WHERE proposal_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    const [audit] = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'proposal.approval_refused'`,
      [id],
    );
    expect(audit.n).toBe(1);
  });

  it('a land-adjustment vote that did not pass needs no approval: announced and closed at once', async () => {
    const village = villages.inA();
    const o = await officials(t, village);
    // 1 yes of 3: under 2/3 of all members.
    const { id } = await decided(village, o, 'land_adjustment', '五组承包地小调整', 1);
    ok(await t.api.post(`/api/v1/proposals/${id}/resolution`, {}, o.committee.token), 201);
    const page = ok(await t.api.get(`/api/v1/proposals/${id}`, o.township.token));
    expect(page.status).toBe('announced');
    expect(page.approvals).toMatchObject({ required: true, resolutionPassed: false, inEffect: null, canRecord: false });
    expect(ok(await t.api.post(`/api/v1/proposals/${id}/close`, {}, o.committee.token)).status).toBe('closed');
  });
});

it('the database names the same approvals for every matter as matter-rules.ts', async () => {
  for (const c of CATEGORIES) {
    const [{ a }] = await queryRows<{ a: string[] }>(t.db, `SELECT proposal_required_approvals($1) AS a`, [c]);
    expect([c, a]).toEqual([c, MATTER_RULES[c].approvals.map((x) => x.code)]);
  }
});
