import { type Category, needsAuthorisation, VotingService } from '#deliberation';
import { orgBody } from '../support/economy-fixtures.js';
import type { GivenUser } from '../support/factories.js';
import { TOWNSHIP_A, TOWNSHIP_B } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

export const DAY = 86_400_000;

/** Villages handed out one per test so electorates never mix between tests of a file. */
export class Villages {
  private readonly a: string[] = [];
  private readonly b: string[] = [];
  static async load(t: TestApp): Promise<Villages> {
    const v = new Villages();
    const rows = await queryRows<{ code: string }>(
      t.db,
      `SELECT code FROM division WHERE parent_code = ANY($1) AND level = 'village' ORDER BY code`,
      [[TOWNSHIP_A, TOWNSHIP_B]],
    );
    for (const r of rows) (r.code.startsWith(TOWNSHIP_A) ? v.a : v.b).push(r.code);
    // VILLAGE_A / A2 / B are used by the shared factories' defaults elsewhere; start after them.
    v.a.splice(0, 2);
    v.b.splice(0, 1);
    return v;
  }
  inA(): string {
    const c = this.a.shift();
    if (!c) throw new Error('out of test villages in township A');
    return c;
  }
  inB(): string {
    const c = this.b.shift();
    if (!c) throw new Error('out of test villages in township B');
    return c;
  }
}

export interface Officials {
  committee: GivenUser;
  township: GivenUser;
}

export async function officials(t: TestApp, village: string): Promise<Officials> {
  const committee = await t.given.user('village_committee', village);
  const township = await t.given.user('township_staff', village.slice(0, 9), { home: village });
  return { committee, township };
}

export function ok<T = any>(res: { status: number; body: T }, status = 200): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface ProposalOpts {
  decidingBody?: 'villagers_meeting' | 'representatives_meeting' | 'members_assembly' | 'members_representatives_assembly';
  ballotType?: 'open' | 'secret';
  allowBallotChange?: boolean;
  category?: string;
  title?: string;
}

/** Files a draft as given, without the authorisation createDraft records first. */
export async function fileDraft(t: TestApp, o: Officials, village: string, opts: ProposalOpts = {}): Promise<string> {
  const body = ok(
    await t.api.post(
      '/api/v1/proposals',
      {
        villageCode: village,
        title: opts.title ?? '村东道路硬化工程',
        body: '拟使用集体收益硬化村东主路 1.2 公里，工程预算 36 万元。',
        category: opts.category ?? 'public_welfare',
        amountFen: 36_000_000,
        decidingBody: opts.decidingBody ?? 'villagers_meeting',
        ballotType: opts.ballotType ?? 'secret',
        allowBallotChange: opts.allowBallotChange ?? false,
      },
      o.committee.token,
    ),
    201,
  );
  if ((opts.decidingBody ?? 'villagers_meeting') === 'members_assembly') await attachArt46Reports(t, o, body.id);
  return body.id;
}

/**
 * Files a draft; an Art. 24 matter at a 村民代表会议 first gets the 村民会议's authorisation (a 村民自治章程
 * clause, for a year from today) that it needs (Art. 24 ¶2, Art. 25). Tests of the refusal file by hand.
 */
export async function createDraft(t: TestApp, o: Officials, village: string, opts: ProposalOpts = {}): Promise<string> {
  if (
    opts.decidingBody === 'representatives_meeting' &&
    needsAuthorisation((opts.category ?? 'public_welfare') as Category, 'representatives_meeting')
  ) {
    await authoriseRepresentatives(t, o, village, [(opts.category ?? 'public_welfare') as Category]);
  }
  return fileDraft(t, o, village, opts);
}

/** Records a 村民自治章程 clause authorising the 村民代表会议 to decide `categories`, valid for a year from today. */
export async function authoriseRepresentatives(t: TestApp, o: Officials, village: string, categories: Category[]): Promise<string> {
  const day = (offset: number) => new Date(t.clock.now().getTime() + 8 * 3_600_000 + offset).toISOString().slice(0, 10);
  const body = {
    villageCode: village,
    categories,
    validFrom: day(0),
    validTo: day(365 * DAY),
    charterClause: '村民自治章程：村民会议授权村民代表会议讨论决定上述事项。',
  };
  return ok<{ id: string }>(await t.api.post('/api/v1/representatives-authorisations', body, o.committee.token), 201).id;
}

/** The three reports a 成员大会's members read from the notice day (农村集体经济组织法 Art. 46). */
export async function attachArt46Reports(t: TestApp, o: Officials, id: string): Promise<void> {
  const reports = [
    ['annual_work_report', '2026 年度工作报告'],
    ['financial_report', '2026 年度财务会计报告'],
    ['distribution_plan', '2026 年度收益分配方案'],
  ] as const;
  for (const [reportKind, name] of reports) {
    const text = Buffer.from(`${name}（测试）`).toString('base64');
    ok(
      await t.api.post(
        `/api/v1/proposals/${id}/attachments`,
        { name, contentBase64: text, contentType: 'text/plain', reportKind },
        o.committee.token,
      ),
      201,
    );
  }
}

const meeting = (summary: string) => ({ date: '2026-11-20', attendees: ['张书记', '李主任', '王委员'], summary });

/** 提议 → 商议 → 审议 (recorded, with the village's party members) → pending_review. */
export async function throughPartyReview(t: TestApp, o: Officials, village: string, id: string): Promise<void> {
  ok(await t.api.post(`/api/v1/proposals/${id}/proposal-meeting`, meeting('村党组织提议'), o.committee.token));
  ok(await t.api.post(`/api/v1/proposals/${id}/consultation`, meeting('两委商议同意提交党员大会'), o.committee.token));
  const [{ n }] = await queryRows<{ n: number }>(
    t.db,
    `SELECT count(*)::int AS n FROM role_grant WHERE division_code = $1 AND role = 'party_member' AND revoked_at IS NULL`,
    [village],
  );
  let members = n;
  for (; members < 3; members++) await t.given.person(village, { roles: ['party_member'] });
  ok(
    await t.api.post(
      `/api/v1/proposals/${id}/party-review`,
      { date: '2026-11-22', attendees: members, yes: members, no: 0 },
      o.committee.token,
    ),
  );
}

/** From draft to an open vote: party review, township approval, the deliberation period, open. */
export async function toVoting(t: TestApp, o: Officials, village: string, id: string, closeInMs = 3 * DAY): Promise<{ closesAt: Date }> {
  await throughPartyReview(t, o, village, id);
  const approved = ok(await t.api.post(`/api/v1/proposals/${id}/approve`, { comment: '同意' }, o.township.token));
  t.clock.advance(new Date(approved.earliestVotingAt).getTime() - t.clock.now().getTime() + 1000);
  const closesAt = new Date(t.clock.now().getTime() + closeInMs);
  ok(await t.api.post(`/api/v1/proposals/${id}/voting`, { closesAt: closesAt.toISOString() }, o.committee.token));
  return { closesAt };
}

/** Moves time past the close and runs the scheduler's tick as the job would. */
export async function closeVotes(t: TestApp, closesAt: Date): Promise<number> {
  const now = t.clock.now().getTime();
  if (now <= closesAt.getTime()) t.clock.advance(closesAt.getTime() - now + 1000);
  return t.app.get(VotingService).closeDueVotes();
}

export async function vote(t: TestApp, id: string, token: string, choice: 'yes' | 'no' | 'abstain', receiptCode?: string) {
  return t.api.post(`/api/v1/proposals/${id}/ballots`, receiptCode ? { choice, receiptCode } : { choice }, token);
}

/**
 * The village's collective organization, registered by the committee, with the given people as members:
 * the register that seats the 成员大会 (and, through its 成员代表 roster, the 成员代表大会).
 */
export async function orgWithMembers(
  t: TestApp,
  o: Officials,
  village: string,
  members: { personId: string }[],
): Promise<{ orgId: string; memberIds: string[] }> {
  const org = ok(await t.api.post('/api/v1/economy/orgs', orgBody(village), o.committee.token), 201);
  const memberIds: string[] = [];
  for (const m of members) {
    const r = ok(
      await t.api.post(
        `/api/v1/economy/orgs/${org.id}/members`,
        { personId: m.personId, shares: '1', joinedOn: '2010-01-01' },
        o.committee.token,
      ),
      201,
    );
    memberIds.push(r.id);
  }
  return { orgId: org.id, memberIds };
}

/** Records the election of these members as 成员代表 on `electedOn`. */
export async function electMemberRepresentatives(
  t: TestApp,
  o: Officials,
  orgId: string,
  memberIds: string[],
  electedOn = '2024-03-01',
): Promise<void> {
  for (const memberId of memberIds)
    ok(await t.api.post(`/api/v1/economy/orgs/${orgId}/member-representatives`, { memberId, electedOn }, o.committee.token), 201);
}
