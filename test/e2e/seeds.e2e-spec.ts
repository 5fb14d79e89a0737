import { DataSource } from 'typeorm';
import { PeopleService } from '#identity';
import { DEMO_PASSWORD, runSeeds } from '../../seeds/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Row counts of every table in the public schema, plus a checksum of each table's contents. */
async function snapshot(db: DataSource): Promise<Record<string, string>> {
  const tables = await queryRows<{ t: string }>(
    db,
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { t: name } of tables) {
    const [{ n, h }] = await queryRows<{ n: number; h: string | null }>(
      db,
      `SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))) AS h FROM "${name}" x`,
    );
    out[name] = `${n}:${h}`;
  }
  return out;
}

it('demo seeds are idempotent: a second run changes no row in any table', async () => {
  const services = { people: t.app.get(PeopleService) };
  const first = await runSeeds(t.db, services, { demo: true });
  expect(first.demoLogins.length).toBeGreaterThan(10);
  const before = await snapshot(t.db);
  const second = await runSeeds(t.db, services, { demo: true });
  expect(second.divisionsChanged).toBe(0);
  const after = await snapshot(t.db);
  expect(after).toEqual(before);
});

it('demo people are marked as demo and the demo logins work', async () => {
  const [{ n }] = await queryRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM person WHERE is_demo`);
  expect(n).toBeGreaterThanOrEqual(90);
  const login = await t.api.post('/api/v1/auth/login', { phone: '13904281001', password: DEMO_PASSWORD });
  expect(login.status).toBe(200);
  const me = await t.api.get('/api/v1/me', login.body.accessToken);
  expect(me.body.grants.map((g: { role: string }) => g.role)).toContain('village_committee');
});

it('the demo shows 人民调解法 and issue 11’s economy items: ID-less intake, oral and thumb-printed agreements, an extension, 司法确认, an old code, 未填报', async () => {
  // Runs after the first test's seeding (same database).
  const [m] = await queryRows<Record<string, number>>(
    t.db,
    `SELECT (SELECT count(*)::int FROM mediation_party WHERE kind = 'person' AND id_number_hash IS NULL) AS no_id,
            (SELECT count(*)::int FROM mediation_agreement WHERE form = 'oral') AS oral,
            (SELECT count(*)::int FROM mediation_agreement_execution WHERE mode = 'thumbprint') AS thumb,
            (SELECT count(*)::int FROM mediation_extension) AS ext,
            (SELECT count(*)::int FROM mediation_confirmation WHERE outcome = 'confirmed') AS confirmed,
            (SELECT count(*)::int FROM mediation_confirmation WHERE outcome IS NULL) AS pending,
            (SELECT count(*)::int FROM collective_org WHERE substr(credit_code, 3, 6) <> left(division_code, 6)) AS old_code,
            (SELECT count(*)::int FROM collective_org o WHERE o.level = 'village'
                AND NOT EXISTS (SELECT 1 FROM org_year_figures f WHERE f.org_id = o.id AND f.year = 2025)) AS unreported,
            (SELECT count(*)::int FROM mediation_agreement a WHERE a.form = 'written'
                AND NOT EXISTS (SELECT 1 FROM mediation_agreement_execution e WHERE e.case_id = a.case_id)) AS unexecuted`,
  );
  for (const k of ['no_id', 'oral', 'thumb', 'ext', 'confirmed', 'pending']) expect([k, m[k] > 0]).toEqual([k, true]);
  expect({ old_code: m.old_code, unreported: m.unreported, unexecuted: m.unexecuted }).toEqual({
    old_code: 1,
    unreported: 2,
    unexecuted: 0,
  });
});

it('the demo shows issue 11’s deliberation items, one of each, with figures that fit the rules', async () => {
  // Runs after the first test's seeding (same database).
  const [d] = await queryRows<Record<string, number>>(
    t.db,
    `SELECT
       -- a land-contracting plan at a 村民会议: quorum and a majority of attendees, under 2/3 of all members; closed, not passed
       (SELECT count(*)::int FROM proposal p JOIN vote v ON v.proposal_id = p.id AND v.purpose = 'decision'
         WHERE p.is_demo AND p.category = 'land_contracting' AND p.deciding_body = 'villagers_meeting' AND p.status = 'closed' AND v.outcome = 'rejected'
           AND 2 * v.participants > v.electorate AND 2 * v.yes_count > v.participants AND 3 * v.yes_count < 2 * v.electorate) AS land_plan_short,
       -- a 村民代表会议 whose quorum needed the committee members who took part
       (SELECT count(*)::int FROM proposal p JOIN vote v ON v.proposal_id = p.id AND v.purpose = 'decision'
         WHERE p.is_demo AND p.deciding_body = 'representatives_meeting' AND v.status = 'closed' AND 3 * v.participants >= 2 * v.electorate
           AND 3 * (SELECT count(*) FROM ballot_participation b JOIN vote_elector e ON e.vote_id = b.vote_id AND e.person_id = b.person_id
                     WHERE b.vote_id = v.id AND e.seat = 'representative') < 2 * v.electorate) AS committee_made_quorum,
       -- a recorded 党员大会 审议 with 预备党员 present, counted on full members only
       (SELECT count(*)::int FROM proposal p JOIN proposal_event e ON e.proposal_id = p.id AND e.action = 'party_review_passed'
         WHERE p.is_demo AND (e.details->>'probationaryPresent')::int > 0 AND (e.details->>'members')::int > 0) AS party_with_probationary,
       -- a 成员代表大会 of more than 20 elected 成员代表
       (SELECT count(*)::int FROM proposal p JOIN vote v ON v.proposal_id = p.id AND v.purpose = 'decision'
         WHERE p.is_demo AND p.deciding_body = 'members_representatives_assembly' AND v.electorate > 20) AS mra_from_roster,
       -- a joint proposal whose request reached its threshold, still to be convened
       (SELECT count(*)::int FROM proposal p JOIN joint_request j ON j.id = p.joint_request_id
         WHERE p.is_demo AND p.origin = 'joint' AND j.status = 'reached' AND p.status = 'draft') AS joint_pending,
       -- a 成员大会 inside its 10 days of notice
       (SELECT count(*)::int FROM proposal p JOIN proposal_notice n ON n.proposal_id = p.id
         WHERE p.is_demo AND p.deciding_body = 'members_assembly' AND p.status = 'deliberation' AND n.statutory_days = 10 AND n.earliest_vote_at > now()) AS assembly_in_notice,
       -- a land adjustment awaiting its approvals, with one still missing
       (SELECT count(*)::int FROM proposal p WHERE p.is_demo AND p.category = 'land_adjustment' AND p.status = 'awaiting_approval'
           AND cardinality(proposal_missing_approvals(p.id)) > 0
           AND EXISTS (SELECT 1 FROM proposal_approval a WHERE a.proposal_id = p.id AND a.decision = 'approved' AND a.is_demo)) AS awaiting_approvals`,
  );
  expect(d).toEqual({
    land_plan_short: 1,
    committee_made_quorum: 1,
    party_with_probationary: 1,
    mra_from_roster: 1,
    joint_pending: 1,
    assembly_in_notice: 1,
    awaiting_approvals: 1,
  });
  // Every demo title says it is demo.
  const [{ unmarked }] = await queryRows<{ unmarked: number }>(
    t.db,
    `SELECT count(*)::int AS unmarked FROM proposal WHERE is_demo AND title NOT LIKE '%（演示）%'`,
  );
  expect(unmarked).toBe(0);
});

it('the demo shows 村务公开: a year of disclosures that balance, a village without its third quarter, an open query', async () => {
  const rows = await queryRows<{ village_code: string; kind: string; state: string; balanced: boolean | null }>(
    t.db,
    `SELECT village_code, kind, state,
            CASE WHEN kind = 'finance' THEN closing_balance_fen = opening_balance_fen + income_fen - expense_fen END AS balanced
       FROM disclosure WHERE is_demo`,
  );
  expect(rows.length).toBeGreaterThan(20);
  expect(rows.filter((r) => r.kind === 'finance').every((r) => r.balanced)).toBe(true);
  // Entries add up to each finance disclosure's income and expenditure.
  const [{ off }] = await queryRows<{ off: number }>(
    t.db,
    `SELECT count(*)::int AS off FROM disclosure d
      WHERE d.is_demo AND d.kind = 'finance'
        AND (d.income_fen <> coalesce((SELECT sum(amount_fen) FROM finance_entry e WHERE e.disclosure_id = d.id AND e.direction = 'income'), 0)
          OR d.expense_fen <> coalesce((SELECT sum(amount_fen) FROM finance_entry e WHERE e.disclosure_id = d.id AND e.direction = 'expense'), 0))`,
  );
  expect(off).toBe(0);
  const villages = [...new Set(rows.map((r) => r.village_code))];
  const q3General = (v: string) =>
    queryRows(t.db, `SELECT 1 FROM disclosure WHERE is_demo AND village_code = $1 AND series = 'general' AND period_start = '2026-07-01'`, [
      v,
    ]);
  const missing = [];
  for (const v of villages) if (!(await q3General(v)).length) missing.push(v);
  expect(missing).toHaveLength(1);
  const [{ open }] = await queryRows<{ open: number }>(
    t.db,
    `SELECT count(*)::int AS open FROM disclosure_query q JOIN disclosure d ON d.id = q.disclosure_id WHERE d.is_demo AND q.state = 'open'`,
  );
  expect(open).toBe(1);
});
