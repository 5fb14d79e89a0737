import type { DataSource, EntityManager } from 'typeorm';
import {
  type Category,
  checkMatterBody,
  composeMeetingNotice,
  currentElectorateIds,
  decideMatter,
  freezeElectorate,
  loadDeliberationSettings,
  needsAuthorisation,
  newReceiptCode,
  representativeCounts,
  shanghaiDay,
  insertMeetingNotice,
  type DecidingBody,
  type ProposalAction,
  type ProposalState,
} from '#deliberation';
import { queryRows } from '#platform';
import { CollectiveRegisters } from '#economy';
import { DEMO_VILLAGES } from './demo-people.seed.js';

const DAY = 86_400_000;

interface DemoProposal {
  village: string;
  title: string;
  body: string;
  category: Category;
  amountFen: number | null;
  decidingBody: DecidingBody;
  ballotType: 'open' | 'secret';
  state: ProposalState;
  /** Share of the electorate that voted, and of them the share voting yes (closed votes only). */
  turnout?: number;
  yesShare?: number;
}

const PATH: Record<string, ProposalAction[]> = {
  draft: [],
  pending_review: ['record_proposal', 'record_consultation', 'party_review_passed'],
  deliberation: ['record_proposal', 'record_consultation', 'party_review_passed', 'approve'],
  voting: ['record_proposal', 'record_consultation', 'party_review_passed', 'approve', 'open_voting'],
  announced: ['record_proposal', 'record_consultation', 'party_review_passed', 'approve', 'open_voting', 'vote_passed', 'publish_resolution'],
  closed: ['record_proposal', 'record_consultation', 'party_review_passed', 'approve', 'open_voting', 'vote_passed', 'publish_resolution', 'report_implementation', 'close'],
};

const [V1, V2, V3] = DEMO_VILLAGES;
const DEMO_PROPOSALS: DemoProposal[] = [
  { village: V1, title: '村东主路硬化工程（演示）', body: '拟使用集体经营收益硬化村东主路 1.2 公里，两侧修建排水沟，预算 36 万元。', category: 'public_welfare', amountFen: 36_000_000, decidingBody: 'villagers_meeting', ballotType: 'secret', state: 'voting' },
  { village: V1, title: '2026 年村干部误工补贴标准（演示）', body: '村民小组长误工补贴每人每月 300 元，共 6 人。', category: 'work_subsidy', amountFen: 2_160_000, decidingBody: 'representatives_meeting', ballotType: 'open', state: 'deliberation' },
  { village: V1, title: '集体果园对外承包方案（演示）', body: '集体果园 80 亩公开招标承包，期限 10 年，底价每亩每年 600 元。', category: 'collective_project', amountFen: 48_000_000, decidingBody: 'villagers_meeting', ballotType: 'secret', state: 'closed', turnout: 0.8, yesShare: 0.75 },
  { village: V1, title: '村文化广场照明改造（演示）', body: '更换广场路灯 24 盏为太阳能灯。', category: 'public_welfare', amountFen: 7_200_000, decidingBody: 'villagers_meeting', ballotType: 'open', state: 'draft' },
  { village: V2, title: '集体收益分配方案（演示）', body: '2025 年度集体经营收益提取 10% 公积公益金后，按份额分配。', category: 'budget_distribution', amountFen: 25_000_000, decidingBody: 'members_assembly', ballotType: 'secret', state: 'announced', turnout: 0.9, yesShare: 0.85 },
  { village: V2, title: '村委会办公楼维修（演示）', body: '办公楼屋面防水维修。', category: 'collective_property', amountFen: 1_500_000, decidingBody: 'villagers_meeting', ballotType: 'open', state: 'pending_review' },
  { village: V3, title: '宅基地使用方案（演示）', body: '村北新增宅基地 12 宗，按登记先后与困难程度安排。', category: 'homestead', amountFen: null, decidingBody: 'members_assembly', ballotType: 'secret', state: 'voting' },
];

const DEMO_REPORTS = [
  { kind: 'annual_work_report' as const, name: '2025 年度工作报告（演示）', text: '2025 年集体经济组织主要工作：果园承包、光伏项目分红。（演示）' },
  { kind: 'financial_report' as const, name: '2025 年度财务会计报告（演示）', text: '2025 年经营收入 38 万元，支出 11 万元。（演示）' },
  { kind: 'distribution_plan' as const, name: '2025 年度收益分配方案（演示）', text: '提取 10% 公积公益金后按份额分配。（演示）' },
];

/** The 村民会议's authorisation (a 村民自治章程 clause) a demo 村民代表会议 matter needs (Art. 24 ¶2, Art. 25). */
async function authoriseDemo(em: EntityManager, village: string, category: Category, from: Date): Promise<void> {
  const exists = await queryRows(em, `SELECT 1 FROM representatives_authorisation WHERE village_code = $1 AND is_demo AND $2 = ANY(categories)`, [village, category]);
  if (exists.length) return;
  const [committee] = await queryRows<{ id: string }>(
    em,
    `SELECT a.id FROM account a JOIN role_grant g ON g.person_id = a.person_id WHERE g.division_code = $1 AND g.role = 'village_committee' AND g.revoked_at IS NULL ORDER BY a.id LIMIT 1`,
    [village],
  );
  if (!committee) throw new Error(`demo authorisation for ${village}: no village committee account (seed demo people first)`);
  const to = new Date(from.getTime() + 3 * 365 * DAY);
  await em.query(
    `INSERT INTO representatives_authorisation (village_code, categories, valid_from, valid_to, charter_clause, recorded_by, recorded_at, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true)`,
    [village, [category], shanghaiDay(from), shanghaiDay(to), '村民自治章程（演示）第十八条：村民会议授权村民代表会议讨论决定误工补贴人员及标准等事项，授权期限与本届村民委员会任期相同。', committee.id, from],
  );
}

/**
 * Demo proposals in several states for the demo villages (proposal.is_demo, notice.is_demo).
 * Idempotent: a proposal with the same demo title in the same village is left alone.
 */
export async function seedDemoProposals(db: DataSource, now = new Date()): Promise<number> {
  let created = 0;
  await db.transaction(async (em) => {
    for (const d of DEMO_PROPOSALS) {
      const exists = await queryRows(em, `SELECT 1 FROM proposal WHERE village_code = $1 AND title = $2 AND is_demo`, [d.village, d.title]);
      if (exists.length) continue;
      await seedOne(em, d, now);
      created++;
    }
  });
  return created;
}

async function seedOne(em: EntityManager, d: DemoProposal, now: Date): Promise<void> {
  const fit = checkMatterBody(d.category, d.decidingBody);
  if (!fit.ok) throw new Error(`demo proposal "${d.title}": ${fit.message}`);
  const path = PATH[d.state];
  // One step a day, and the statutory notice (10 days) between the township's approval and the vote.
  const start = new Date(now.getTime() - (path.length + 12) * DAY);
  const approveAt = path.indexOf('approve');
  const stepAt = (k: number) => new Date(start.getTime() + (k + 1) * DAY + (approveAt >= 0 && k > approveAt ? 10 * DAY : 0));
  const approved = approveAt >= 0 ? stepAt(approveAt) : null;
  if (needsAuthorisation(d.category, d.decidingBody)) await authoriseDemo(em, d.village, d.category, start);
  const [{ id }] = await queryRows<{ id: string }>(
    em,
    `INSERT INTO proposal (village_code, title, body, category, amount_fen, deciding_body, ballot_type, status, deliberation_started_at, created_at, updated_at, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true) RETURNING id`,
    [d.village, d.title, d.body, d.category, d.amountFen, d.decidingBody, d.ballotType, d.state, approved, start, now],
  );
  const events: [string, string | null, string, Date, Record<string, unknown> | null][] = [['create', null, 'draft', start, null]];
  let status = 'draft';
  for (const [k, action] of path.entries()) {
    const to = action === 'record_proposal' ? 'proposed' : action === 'record_consultation' ? 'consulted' : action === 'party_review_passed' ? 'pending_review'
      : action === 'approve' ? 'deliberation' : action === 'open_voting' ? 'voting' : action === 'vote_passed' ? 'passed' : action === 'publish_resolution' ? 'announced'
      : action === 'close' ? 'closed' : status;
    events.push([action, status, to, stepAt(k), { demo: true }]);
    status = to;
  }
  for (const [action, from, to, at, details] of events) {
    await em.query(
      `INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_name, details) VALUES ($1, $2, $3, $4, $5, '演示数据', $6)`,
      [id, action, from, to, at, details ? JSON.stringify(details) : null],
    );
  }
  const [{ name: villageName }] = await queryRows<{ name: string }>(em, `SELECT name FROM division WHERE code = $1`, [d.village]);
  // A 成员大会's members read the Art. 46 reports from the notice day: they are filed before approval.
  const reports = d.decidingBody === 'members_assembly' ? DEMO_REPORTS : [];
  for (const r of reports) {
    await em.query(
      `INSERT INTO proposal_attachment (proposal_id, name, content, content_type, size_bytes, report_kind, created_at) VALUES ($1, $2, $3, 'text/plain; charset=utf-8', $4, $5, $6)`,
      [id, r.name, Buffer.from(r.text), Buffer.byteLength(r.text), r.kind, start],
    );
  }
  if (approved) {
    const subject = { id, village_code: d.village, village_name: villageName, title: d.title, category: d.category, amount_fen: d.amountFen === null ? null : String(d.amountFen), deciding_body: d.decidingBody, deliberation_days: 7, meeting_place: '村委会会议室（演示）' };
    const notice = composeMeetingNotice(subject, approved, loadDeliberationSettings().voteMinWindowHours, reports);
    await insertMeetingNotice(em, id, d.decidingBody, approved, notice, (await currentElectorateIds(em, new CollectiveRegisters(), d.village, d.decidingBody, shanghaiDay(approved))).length);
  }
  if (!path.includes('open_voting')) return;

  const open = d.state === 'voting';
  const opensAt = stepAt(path.indexOf('open_voting'));
  const closesAt = open ? new Date(now.getTime() + 6 * DAY) : new Date(opensAt.getTime() + DAY);
  const [{ id: voteId }] = await queryRows<{ id: string }>(
    em,
    `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
     VALUES ($1, 'decision', $2, $3, false, $4, $5, $6, 0, 0) RETURNING id`,
    [id, d.decidingBody, d.ballotType, opensAt, closesAt, shanghaiDay(opensAt)],
  );
  const counts = await freezeElectorate(em, new CollectiveRegisters(), voteId, d.village, d.decidingBody, shanghaiDay(opensAt));
  if (open) return;

  // A closed demo vote: the first electors (by id) took part; choices without names for secret ballots.
  const electors = await queryRows<{ person_id: string; household_no: string | null; seat: string | null }>(em, `SELECT person_id, household_no, seat FROM vote_elector WHERE vote_id = $1 ORDER BY person_id`, [voteId]);
  const voters = electors.slice(0, Math.floor(electors.length * (d.turnout ?? 0.8)));
  const yesVoters = Math.ceil(voters.length * (d.yesShare ?? 0.7));
  let yes = 0;
  let no = 0;
  for (const [k, v] of voters.entries()) {
    const choice = k < yesVoters ? 'yes' : 'no';
    if (choice === 'yes') yes++;
    else no++;
    await em.query(`INSERT INTO ballot_participation (vote_id, person_id, voted_on) VALUES ($1, $2, $3)`, [voteId, v.person_id, shanghaiDay(opensAt)]);
    await em.query(`INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice, voter_person_id, seat) VALUES ($1, $2, $3, $4, $5, $6)`, [
      voteId, d.ballotType, newReceiptCode(), choice, d.ballotType === 'open' ? v.person_id : null, v.seat,
    ]);
  }
  const represented = new Set(voters.map((v) => v.household_no).filter((h) => h !== null)).size;
  const tally = { ...counts, participants: voters.length, householdsRepresented: d.decidingBody === 'villagers_meeting' ? represented : 0, yes, no, abstain: 0 };
  const reps = await representativeCounts(em, voteId, d.decidingBody);
  const decision = decideMatter(d.category, d.decidingBody, { ...tally, ...reps });
  const stored = d.decidingBody === 'representatives_meeting' ? reps : null;
  // The demo history above says the vote passed; the register must agree.
  if (decision.outcome !== 'passed') throw new Error(`demo proposal "${d.title}" would not pass with the demo register`);
  await em.query(
    `UPDATE vote SET status = 'closed', participants = $2, households_represented = $3, yes_count = $4, no_count = $5, abstain_count = 0,
            outcome = $6, rule = $7, tallied_at = $8, threshold = $9, representatives = $10, representatives_yes = $11 WHERE id = $1`,
    [voteId, tally.participants, tally.householdsRepresented, yes, no, decision.outcome, JSON.stringify(decision.rule), closesAt, decision.threshold,
      stored?.representatives ?? null, stored?.representativesYes ?? null],
  );
  const name = villageName;
  const published = new Date(closesAt.getTime() + DAY);
  await em.query(
    `INSERT INTO notice (proposal_id, village_code, kind, title, body, outcome, committee_name, published_at, publicity_ends_at, is_demo)
     VALUES ($1, $2, 'resolution', $3, $4, $5, $6, $7, $8, true)`,
    [id, d.village, `关于"${d.title}"的决议公告`, `经表决，"${d.title}"${decision.outcome === 'passed' ? '获得通过' : '未获通过'}。\n\n${d.body}`,
      JSON.stringify({ outcome: decision.outcome, body: d.decidingBody, ballotType: d.ballotType, ...tally, rule: decision.rule, talliedAt: closesAt.toISOString() }),
      name, published, new Date(published.getTime() + 7 * DAY)],
  );
  if (d.state === 'closed') {
    await em.query(
      `INSERT INTO notice (proposal_id, village_code, kind, title, body, outcome, committee_name, published_at, publicity_ends_at, is_demo)
       VALUES ($1, $2, 'implementation', $3, '承包合同已签订，首年承包费已入集体账户。', NULL, $4, $5, $6, true)`,
      [id, d.village, `"${d.title}"实施结果公开（第1次）`, name, new Date(published.getTime() + 2 * DAY), new Date(published.getTime() + 9 * DAY)],
    );
  }
}
