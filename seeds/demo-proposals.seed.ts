import type { DataSource, EntityManager } from 'typeorm';
import {
  type ApprovalAuthority,
  type Category,
  currentElectorateSize,
  decideRecordedPartyMeeting,
  jointThreshold,
  LIFECYCLE_ROLES,
  MATTER_RULES,
  transition,
  checkMatterBody,
  composeMeetingNotice,
  Electorates,
  ElectorateRepository,
  roleElectors,
  decideMatter,
  loadDeliberationSettings,
  needsAuthorisation,
  newReceiptCode,
  shanghaiDay,
  insertMeetingNotice,
  type DecidingBody,
  type ProposalAction,
  type ProposalState,
} from '#deliberation';
import { sql } from 'kysely';
import { dbOf } from '#platform';
import { CollectiveRegisters } from '#economy';
import { DEMO_VILLAGES } from './demo-people.seed.js';

const electorates = new Electorates(new CollectiveRegisters(), new ElectorateRepository());

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
  /** The decision vote's outcome (default passed); the register must agree, or the seed refuses to run. */
  outcome?: 'passed' | 'rejected';
  /** 村民代表会议: who took part, by seat (committee members first), and how many of them voted yes. */
  seats?: { committee: number; representative: number; yes: number };
  /** Days since the township's approval (the notice day), for a proposal still within its notice period. */
  noticeDaysAgo?: number;
  /** The 审议 as a recorded party meeting attended by the full members and, without a vote, the 预备党员. */
  partyMeetingWithProbationary?: boolean;
  /** Forced by a 1/10-of-villagers joint request that reached its threshold (村民委员会组织法 Art. 21). */
  joint?: boolean;
  /** Approvals after the vote recorded so far (the rest are outstanding). */
  approvals?: { authority: ApprovalAuthority; documentNumber: string }[];
}

const BEFORE_VOTE: ProposalAction[] = ['record_proposal', 'record_consultation', 'party_review_passed', 'approve'];

/** The steps that lead a demo proposal to its state, as the lifecycle would have taken them. */
function pathOf(d: DemoProposal): ProposalAction[] {
  const passed = (d.outcome ?? 'passed') === 'passed';
  const decided = [
    ...BEFORE_VOTE,
    'open_voting',
    passed ? 'vote_passed' : 'vote_rejected',
    'publish_resolution',
  ] satisfies ProposalAction[];
  const paths: Partial<Record<ProposalState, ProposalAction[]>> = {
    draft: [],
    pending_review: BEFORE_VOTE.slice(0, 3),
    deliberation: BEFORE_VOTE,
    voting: [...BEFORE_VOTE, 'open_voting'],
    announced: decided,
    awaiting_approval: [...decided, ...(d.approvals ?? []).map(() => 'record_approval' as const)],
    closed: [...decided, ...(passed ? (['report_implementation'] as const) : []), 'close'],
  };
  const path = paths[d.state];
  if (!path) throw new Error(`demo proposal "${d.title}": no demo path to ${d.state}`);
  return path;
}

const [V1, V2, V3] = DEMO_VILLAGES;
const DEMO_PROPOSALS: DemoProposal[] = [
  {
    village: V1,
    title: '村东主路硬化工程（演示）',
    body: '拟使用集体经营收益硬化村东主路 1.2 公里，两侧修建排水沟，预算 36 万元。',
    category: 'public_welfare',
    amountFen: 36_000_000,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'voting',
  },
  {
    village: V1,
    title: '2026 年村干部误工补贴标准（演示）',
    body: '村民小组长误工补贴每人每月 300 元，共 6 人。',
    category: 'work_subsidy',
    amountFen: 2_160_000,
    decidingBody: 'representatives_meeting',
    ballotType: 'open',
    state: 'deliberation',
  },
  {
    village: V1,
    title: '集体果园对外承包方案（演示）',
    body: '集体果园 80 亩公开招标承包，期限 10 年，底价每亩每年 600 元。',
    category: 'collective_project',
    amountFen: 48_000_000,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'closed',
    turnout: 0.8,
    yesShare: 0.75,
  },
  {
    village: V1,
    title: '村文化广场照明改造（演示）',
    body: '更换广场路灯 24 盏为太阳能灯。',
    category: 'public_welfare',
    amountFen: 7_200_000,
    decidingBody: 'villagers_meeting',
    ballotType: 'open',
    state: 'draft',
  },
  {
    village: V2,
    title: '集体收益分配方案（演示）',
    body: '2025 年度集体经营收益提取 10% 公积公益金后，按份额分配。',
    category: 'budget_distribution',
    amountFen: 25_000_000,
    decidingBody: 'members_assembly',
    ballotType: 'secret',
    state: 'announced',
    turnout: 0.9,
    yesShare: 0.85,
  },
  {
    village: V2,
    title: '村委会办公楼维修（演示）',
    body: '办公楼屋面防水维修。',
    category: 'collective_property',
    amountFen: 1_500_000,
    decidingBody: 'villagers_meeting',
    ballotType: 'open',
    state: 'pending_review',
  },
  {
    village: V3,
    title: '宅基地使用方案（演示）',
    body: '村北新增宅基地 12 宗，按登记先后与困难程度安排。',
    category: 'homestead',
    amountFen: null,
    decidingBody: 'members_assembly',
    ballotType: 'secret',
    state: 'voting',
  },
  // Issue 11, one of each (seeds.e2e-spec and deliberation-seed.e2e-spec check them).
  // A land-contracting plan with a majority of attendees but under 2/3 of all members: not passed (农村土地承包法 Art. 19(3)).
  {
    village: V2,
    title: '第二轮土地承包到期后延包方案（演示）',
    body: '第二轮土地承包到期后再延长三十年，原承包地块总体顺延，个别农户间小调整。',
    category: 'land_contracting',
    amountFen: null,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'closed',
    turnout: 0.67,
    yesShare: 0.7,
    outcome: 'rejected',
  },
  // A 村民代表会议 whose quorum the committee members' attendance made (Art. 25–26).
  {
    village: V2,
    title: '2026 年护林员、保洁员误工补贴标准（演示）',
    body: '护林员 2 人、保洁员 3 人，误工补贴每人每月 400 元。',
    category: 'work_subsidy',
    amountFen: 2_400_000,
    decidingBody: 'representatives_meeting',
    ballotType: 'open',
    state: 'announced',
    seats: { committee: 2, representative: 6, yes: 5 },
  },
  // A 党员大会 审议 with the 预备党员 present, without a vote (支部工作条例 Art. 11).
  {
    village: V3,
    title: '村集体光伏电站收益使用方案（演示）',
    body: '光伏电站 2025 年收益 12 万元，用于村内道路养护和困难户救助。',
    category: 'collective_income',
    amountFen: 12_000_000,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'pending_review',
    partyMeetingWithProbationary: true,
  },
  // A 成员代表大会 of the elected 成员代表 (农村集体经济组织法 Art. 28).
  {
    village: V1,
    title: '入股县农业产业平台公司方案（演示）',
    body: '以集体经营性资金 50 万元入股县农业产业平台公司，按出资比例分红。',
    category: 'investment',
    amountFen: 50_000_000,
    decidingBody: 'members_representatives_assembly',
    ballotType: 'secret',
    state: 'announced',
    turnout: 0.9,
    yesShare: 0.85,
  },
  // A joint proposal of 1/10 of the villagers: the committee shall convene the 村民会议 (Art. 21).
  {
    village: V2,
    title: '关于修缮村南灌溉水渠的联名提议（演示）',
    body: '村南灌溉水渠多处坍塌，影响 200 余亩耕地灌溉，请村委会召集村民会议讨论修缮方案。',
    category: 'public_welfare',
    amountFen: null,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'draft',
    joint: true,
  },
  // A 成员大会 within its 10 days' notice (Art. 27).
  {
    village: V1,
    title: '出租村集体闲置厂房方案（演示）',
    body: '原砖厂闲置厂房 1200 平方米公开招租，租期 5 年，底价每年 6 万元。',
    category: 'collective_property',
    amountFen: 6_000_000,
    decidingBody: 'members_assembly',
    ballotType: 'secret',
    state: 'deliberation',
    noticeDaysAgo: 3,
  },
  // A land adjustment passed and published, waiting for its approvals (农村土地承包法 Art. 28 ¶2).
  {
    village: V3,
    title: '三组因修建乡村公路占地调整承包地方案（演示）',
    body: '乡村公路占用三组 6 户承包地共 8.5 亩，从机动地中调整补足。',
    category: 'land_adjustment',
    amountFen: null,
    decidingBody: 'villagers_meeting',
    ballotType: 'secret',
    state: 'awaiting_approval',
    turnout: 0.9,
    yesShare: 0.85,
    approvals: [{ authority: 'township_government', documentNumber: '演示镇政批〔2026〕8号' }],
  },
];

const DEMO_REPORTS = [
  {
    kind: 'annual_work_report' as const,
    name: '2025 年度工作报告（演示）',
    text: '2025 年集体经济组织主要工作：果园承包、光伏项目分红。（演示）',
  },
  { kind: 'financial_report' as const, name: '2025 年度财务会计报告（演示）', text: '2025 年经营收入 38 万元，支出 11 万元。（演示）' },
  { kind: 'distribution_plan' as const, name: '2025 年度收益分配方案（演示）', text: '提取 10% 公积公益金后按份额分配。（演示）' },
];

/** The 村民会议's authorisation (a 村民自治章程 clause) a demo 村民代表会议 matter needs (Art. 24 ¶2, Art. 25). */
async function authoriseDemo(em: EntityManager, village: string, category: Category, from: Date): Promise<void> {
  const q = dbOf(em);
  const exists = await q
    .selectFrom('representatives_authorisation')
    .select('id')
    .where('village_code', '=', village)
    .where('is_demo', '=', true)
    .where(sql<boolean>`${category} = ANY(categories)`)
    .executeTakeFirst();
  if (exists) return;
  const committee = await q
    .selectFrom('account as a')
    .innerJoin('role_grant as g', 'g.person_id', 'a.person_id')
    .select('a.id')
    .where('g.division_code', '=', village)
    .where('g.role', '=', 'village_committee')
    .where('g.revoked_at', 'is', null)
    .orderBy('a.id')
    .limit(1)
    .executeTakeFirst();
  if (!committee) throw new Error(`demo authorisation for ${village}: no village committee account (seed demo people first)`);
  const to = new Date(from.getTime() + 3 * 365 * DAY);
  await q
    .insertInto('representatives_authorisation')
    .values({
      village_code: village,
      categories: [category],
      valid_from: shanghaiDay(from),
      valid_to: shanghaiDay(to),
      charter_clause:
        '村民自治章程（演示）第十八条：村民会议授权村民代表会议讨论决定误工补贴人员及标准等事项，授权期限与本届村民委员会任期相同。',
      recorded_by: committee.id,
      recorded_at: from,
      is_demo: true,
    })
    .execute();
}

/**
 * Demo proposals in several states for the demo villages (proposal.is_demo, notice.is_demo).
 * Idempotent: a proposal with the same demo title in the same village is left alone.
 */
export async function seedDemoProposals(db: DataSource, now = new Date()): Promise<number> {
  let created = 0;
  await db.transaction(async (em) => {
    for (const d of DEMO_PROPOSALS) {
      const exists = await dbOf(em)
        .selectFrom('proposal')
        .select('id')
        .where('village_code', '=', d.village)
        .where('title', '=', d.title)
        .where('is_demo', '=', true)
        .executeTakeFirst();
      if (exists) continue;
      await seedOne(em, d, now);
      created++;
    }
  });
  return created;
}

async function seedOne(em: EntityManager, d: DemoProposal, now: Date): Promise<void> {
  const fit = checkMatterBody(d.category, d.decidingBody);
  if (!fit.ok) throw new Error(`demo proposal "${d.title}": ${fit.message}`);
  const path = pathOf(d);
  // One step a day, and the statutory notice (10 days) between the township's approval and the vote;
  // a proposal within its notice period was approved `noticeDaysAgo` days ago.
  const start = new Date(now.getTime() - (path.length + (d.noticeDaysAgo ?? 12)) * DAY);
  const approveAt = path.indexOf('approve');
  const stepAt = (k: number) => new Date(start.getTime() + (k + 1) * DAY + (approveAt >= 0 && k > approveAt ? 10 * DAY : 0));
  const approved = approveAt >= 0 ? stepAt(approveAt) : null;
  if (needsAuthorisation(d.category, d.decidingBody)) await authoriseDemo(em, d.village, d.category, start);
  const q = dbOf(em);
  const { id } = await q
    .insertInto('proposal')
    .values({
      village_code: d.village,
      title: d.title,
      body: d.body,
      category: d.category,
      amount_fen: d.amountFen,
      deciding_body: d.decidingBody,
      ballot_type: d.ballotType,
      status: d.state,
      deliberation_started_at: approved,
      created_at: start,
      updated_at: now,
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const jointRequest = d.joint ? await jointRequestFor(em, d, id, start) : null;
  const events: [string, string | null, string, Date, Record<string, unknown> | null][] = [
    jointRequest
      ? ['joint_request_reached', null, 'draft', start, { demo: true, ...jointRequest }]
      : ['create', null, 'draft', start, null],
  ];
  // Each step goes where the lifecycle takes it (a land adjustment's resolution to awaiting_approval).
  let status: ProposalState = 'draft';
  const ctx = { approvalsNeeded: MATTER_RULES[d.category].approvals.length > 0 };
  for (const [k, action] of path.entries()) {
    const step = LIFECYCLE_ROLES.map((r) => transition(status, action, r, ctx)).find((x) => x.ok);
    if (!step?.ok) throw new Error(`demo proposal "${d.title}": ${action} is not possible from ${status}`);
    const details =
      action === 'party_review_passed' && d.partyMeetingWithProbationary
        ? await partyMeetingWithProbationary(em, d.village, stepAt(k))
        : { demo: true };
    events.push([action, status, step.to, stepAt(k), details]);
    status = step.to;
  }
  if (status !== d.state) throw new Error(`demo proposal "${d.title}": its path ends in ${status}, not ${d.state}`);
  for (const [action, from, to, at, details] of events) {
    await q
      .insertInto('proposal_event')
      .values({
        proposal_id: id,
        action,
        from_status: from,
        to_status: to,
        at,
        actor_name: '演示数据',
        details: details ? JSON.stringify(details) : null,
      })
      .execute();
  }
  const { name: villageName } = await q.selectFrom('division').select('name').where('code', '=', d.village).executeTakeFirstOrThrow();
  // A 成员大会's members read the Art. 46 reports from the notice day: they are filed before approval.
  const reports = d.decidingBody === 'members_assembly' ? DEMO_REPORTS : [];
  for (const r of reports) {
    await q
      .insertInto('proposal_attachment')
      .values({
        proposal_id: id,
        name: r.name,
        content: Buffer.from(r.text),
        content_type: 'text/plain; charset=utf-8',
        size_bytes: Buffer.byteLength(r.text),
        report_kind: r.kind,
        created_at: start,
      })
      .execute();
  }
  if (approved) {
    const subject = {
      id,
      village_code: d.village,
      village_name: villageName,
      title: d.title,
      category: d.category,
      amount_fen: d.amountFen === null ? null : String(d.amountFen),
      deciding_body: d.decidingBody,
      deliberation_days: 7,
      meeting_place: '村委会会议室（演示）',
    };
    const notice = composeMeetingNotice(subject, approved, loadDeliberationSettings().voteMinWindowHours, reports);
    await insertMeetingNotice(
      em,
      id,
      d.decidingBody,
      approved,
      notice,
      (await electorates.currentIds(em, d.village, d.decidingBody, d.category, shanghaiDay(approved))).length,
    );
  }
  if (!path.includes('open_voting')) return;

  const open = d.state === 'voting';
  const opensAt = stepAt(path.indexOf('open_voting'));
  const closesAt = open ? new Date(now.getTime() + 6 * DAY) : new Date(opensAt.getTime() + DAY);
  const { id: voteId } = await q
    .insertInto('vote')
    .values({
      proposal_id: id,
      purpose: 'decision',
      body: d.decidingBody,
      ballot_type: d.ballotType,
      allow_change: false,
      opens_at: opensAt,
      closes_at: closesAt,
      reference_date: shanghaiDay(opensAt),
      electorate: 0,
      households: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const counts = await electorates.freeze(em, voteId, d.village, d.decidingBody, d.category, shanghaiDay(opensAt));
  if (open) return;

  // A closed demo vote: the first electors (by id) took part; choices without names for secret ballots.
  const electors = await q
    .selectFrom('vote_elector')
    .select(['person_id', 'household_no', 'seat'])
    .where('vote_id', '=', voteId)
    .orderBy('person_id')
    .execute();
  const seated = (seat: string, n: number) => electors.filter((e) => e.seat === seat).slice(0, n);
  const voters = d.seats
    ? [...seated('committee', d.seats.committee), ...seated('representative', d.seats.representative)]
    : electors.slice(0, Math.floor(electors.length * (d.turnout ?? 0.8)));
  const yesVoters = d.seats ? d.seats.yes : Math.ceil(voters.length * (d.yesShare ?? 0.7));
  let yes = 0;
  let no = 0;
  for (const [k, v] of voters.entries()) {
    const choice = k < yesVoters ? 'yes' : 'no';
    if (choice === 'yes') yes++;
    else no++;
    await q
      .insertInto('ballot_participation')
      .values({ vote_id: voteId, person_id: v.person_id, voted_on: shanghaiDay(opensAt) })
      .execute();
    await q
      .insertInto('ballot_choice')
      .values({
        vote_id: voteId,
        ballot_type: d.ballotType,
        receipt_code: newReceiptCode(),
        choice,
        voter_person_id: d.ballotType === 'open' ? v.person_id : null,
        seat: v.seat,
      })
      .execute();
  }
  const represented = new Set(voters.map((v) => v.household_no).filter((h) => h !== null)).size;
  const tally = {
    ...counts,
    participants: voters.length,
    householdsRepresented: d.decidingBody === 'villagers_meeting' ? represented : 0,
    yes,
    no,
    abstain: 0,
  };
  const reps = await electorates.representativeCounts(em, voteId, d.decidingBody);
  const decision = decideMatter(d.category, d.decidingBody, { ...tally, ...reps });
  const stored = d.decidingBody === 'representatives_meeting' ? reps : null;
  // The demo history above says how the vote ended; the register must agree.
  if (decision.outcome !== (d.outcome ?? 'passed'))
    throw new Error(`demo proposal "${d.title}" would end ${decision.outcome} with the demo register`);
  await q
    .updateTable('vote')
    .set({
      status: 'closed',
      participants: tally.participants,
      households_represented: tally.householdsRepresented,
      yes_count: yes,
      no_count: no,
      abstain_count: 0,
      spoiled_count: 0,
      online_participants: tally.participants,
      assisted_participants: 0,
      onsite_participants: 0,
      outcome: decision.outcome,
      rule: JSON.stringify(decision.rule),
      tallied_at: closesAt,
      threshold: decision.threshold,
      representatives: stored?.representatives ?? null,
      representatives_yes: stored?.representativesYes ?? null,
    })
    .where('id', '=', voteId)
    .execute();
  const name = villageName;
  const published = new Date(closesAt.getTime() + DAY);
  await q
    .insertInto('notice')
    .values({
      proposal_id: id,
      village_code: d.village,
      kind: 'resolution',
      title: `关于"${d.title}"的决议公告`,
      body: `${resolutionText(d, tally)}\n\n${d.body}`,
      outcome: JSON.stringify({
        outcome: decision.outcome,
        body: d.decidingBody,
        ballotType: d.ballotType,
        ...tally,
        rule: decision.rule,
        talliedAt: closesAt.toISOString(),
        threshold: decision.threshold,
        representatives: stored?.representatives ?? null,
        representativesYes: stored?.representativesYes ?? null,
      }),
      committee_name: name,
      published_at: published,
      publicity_ends_at: new Date(published.getTime() + 7 * DAY),
      is_demo: true,
    })
    .execute();
  for (const [k, a] of (d.approvals ?? []).entries()) {
    const at = stepAt(path.indexOf('publish_resolution') + 1 + k);
    await q
      .insertInto('proposal_approval')
      .values({
        proposal_id: id,
        authority: a.authority,
        decision: 'approved',
        decided_on: shanghaiDay(at),
        document_number: a.documentNumber,
        note: '同意调整（演示）',
        recorded_by_name: '演示数据（乡镇干部）',
        recorded_at: at,
        is_demo: true,
      })
      .execute();
  }
  if (d.state === 'closed') {
    await q
      .insertInto('notice')
      .values({
        proposal_id: id,
        village_code: d.village,
        kind: 'implementation',
        title: `"${d.title}"实施结果公开（第1次）`,
        body: '承包合同已签订，首年承包费已入集体账户。',
        outcome: null,
        committee_name: name,
        published_at: new Date(published.getTime() + 2 * DAY),
        publicity_ends_at: new Date(published.getTime() + 9 * DAY),
        is_demo: true,
      })
      .execute();
  }
}

/** What the resolution says: passed, or why not (the matter's own figure, e.g. 2/3 of ALL members). */
function resolutionText(d: DemoProposal, tally: { electorate: number; participants: number; yes: number }): string {
  if ((d.outcome ?? 'passed') === 'passed') {
    const needed = MATTER_RULES[d.category].approvals;
    const pending = needed.length
      ? `本决议须报${needed.map((a) => a.authority).join('和')}批准（${[...new Set(needed.map((a) => a.source))].join('、')}），目前待批准，尚未生效；批准前不得实施。`
      : '';
    return `经表决，"${d.title}"获得通过。${pending}`;
  }
  const twoThirds = Math.ceil((2 * tally.electorate) / 3);
  return `经表决，"${d.title}"未获通过：参加表决 ${tally.participants} 人，赞成 ${tally.yes} 票，虽超过参加人数的一半，但未达到村民会议全体成员 ${tally.electorate} 人的三分之二（至少 ${twoThirds} 票）。依据《中华人民共和国农村土地承包法》第十九条第（三）项，土地承包方案应当经本集体经济组织成员的村民会议三分之二以上成员同意。`;
}

/** The 审议 as a recorded 党员大会: every full member present and the 预备党员 attending without a vote. */
async function partyMeetingWithProbationary(em: EntityManager, village: string, at: Date): Promise<Record<string, unknown>> {
  const day = shanghaiDay(at);
  const members = await currentElectorateSize(em, village, 'party_meeting', day);
  const { n: probationary } = await dbOf(em)
    .selectFrom('role_grant')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('division_code', '=', village)
    .where('role', '=', 'probationary_party_member')
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  const no = members >= 3 ? 1 : 0;
  const d = decideRecordedPartyMeeting(members, members, members - no, no);
  if (!d.passed) throw new Error(`demo party meeting of ${village}: ${members} voting members cannot pass it`);
  return {
    demo: true,
    meeting: '党员大会审议',
    date: day,
    attendees: members,
    yes: members - no,
    no,
    members,
    probationaryPresent: probationary,
    summary: `应到有表决权的党员 ${members} 名，实到 ${members} 名；预备党员 ${probationary} 名列席，有发言权，无表决权，不计入应到人数和票数。（演示）`,
    outcome: d.outcome,
    rule: d.rule,
  };
}

/** A 1/10-of-villagers joint request that reached its threshold and forced the proposal `proposalId`. */
async function jointRequestFor(em: EntityManager, d: DemoProposal, proposalId: string, at: Date): Promise<Record<string, unknown>> {
  const day = shanghaiDay(at);
  // The base of a 1/10-of-villagers request is the village's adult residents, whatever the matter (Art. 21).
  const electors = (await roleElectors(em, d.village, 'villagers_meeting', day)).map((e) => e.personId);
  const base = electors.length;
  const threshold = jointThreshold('residents', base, 'villagers_meeting');
  const signers = [...electors].sort().slice(0, threshold);
  const q = dbOf(em);
  const { id } = await q
    .insertInto('joint_request')
    .values({
      village_code: d.village,
      kind: 'residents',
      convenes: 'villagers_meeting',
      title: d.title,
      body: d.body,
      base,
      threshold,
      created_by: signers[0],
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const p of signers) await q.insertInto('joint_signature').values({ request_id: id, person_id: p, signed_on: day }).execute();
  await q.updateTable('proposal').set({ origin: 'joint', joint_request_id: id }).where('id', '=', proposalId).execute();
  await q.updateTable('joint_request').set({ status: 'reached', reached_at: at, proposal_id: proposalId }).where('id', '=', id).execute();
  return { jointRequestId: id, signatures: signers.length, base, kind: 'residents' };
}
