import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { BallotType, Category, Choice, Outcome, Threshold } from './names.js';
import type { ProposalState } from './proposal-lifecycle.js';
import type { VotingBody } from './quorum.js';
import { confirmedPaper } from './meetings.repository.js';
import type { ResultView } from './views.js';

export type VotePurpose = 'party_review' | 'decision';

/** A vote row as the services read it. */
export interface VoteRecord {
  id: string;
  proposalId: string;
  purpose: VotePurpose;
  body: VotingBody;
  ballotType: BallotType;
  allowChange: boolean;
  opensAt: Date;
  closesAt: Date;
  electorate: number;
  households: number;
  status: 'open' | 'closed';
  onlinePart: boolean;
  onsitePart: boolean;
}

/** What a close stores on the vote row. */
export interface Tally {
  participants: number;
  householdsRepresented: number;
  yes: number;
  no: number;
  abstain: number;
  outcome: Outcome;
  rule: unknown;
  talliedAt: Date;
  resultNotified: boolean;
  threshold: Threshold | null;
  representatives: number | null;
  representativesYes: number | null;
  /** Paper ballots spoiled or not returned (take part, not yes, no or abstain). */
  spoiled: number;
  onlineParticipants: number;
  assistedParticipants: number;
  onsiteParticipants: number;
}

const VOTE_COLUMNS = [
  'v.id',
  'v.proposal_id as proposalId',
  'v.purpose',
  'v.body',
  'v.ballot_type as ballotType',
  'v.allow_change as allowChange',
  'v.opens_at as opensAt',
  'v.closes_at as closesAt',
  'v.electorate',
  'v.households',
  'v.status',
  'v.online_part as onlinePart',
  'v.onsite_part as onsitePart',
] as const;

/** A vote is closed only when its on-site part, if it holds one, has been confirmed by a scrutineer. */
const onsiteSettled = sql<boolean>`(NOT v.onsite_part OR EXISTS (SELECT 1 FROM vote_onsite o WHERE o.vote_id = v.id AND o.state = 'confirmed'))`;

/** The vote table's SQL (and proxies): opening, reading, closing and the post-close claims. */
@Injectable()
export class VotesRepository {
  async insert(
    conn: Conn,
    v: {
      proposalId: string;
      purpose: VotePurpose;
      body: VotingBody;
      ballotType: BallotType;
      allowChange: boolean;
      opensAt: Date;
      closesAt: Date;
      referenceDay: string;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('vote')
      .values({
        proposal_id: v.proposalId,
        purpose: v.purpose,
        body: v.body,
        ballot_type: v.ballotType,
        allow_change: v.allowChange,
        opens_at: v.opensAt,
        closes_at: v.closesAt,
        reference_date: v.referenceDay,
        electorate: 0,
        households: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** A proposal and its open vote, if any (for recording a proxy). */
  openVoteOf(
    conn: Conn,
    proposalId: string,
  ): Promise<{ villageCode: string; status: ProposalState; voteId: string | null; body: VotingBody | null } | undefined> {
    return dbOf(conn)
      .selectFrom('proposal as p')
      .leftJoin('vote as v', (j) => j.onRef('v.proposal_id', '=', 'p.id').on('v.status', '=', 'open'))
      .select(['p.village_code as villageCode', 'p.status', 'v.id as voteId', 'v.body'])
      .where('p.id', '=', proposalId)
      .executeTakeFirst();
  }

  /** Records a written proxy; false when the grantor has already given one. */
  async insertProxy(
    conn: Conn,
    p: { voteId: string; grantor: string; holder: string; recordedBy: string | null; day: string },
  ): Promise<boolean> {
    const r = await sql<{ vote_id: string }>`
      INSERT INTO vote_proxy (vote_id, grantor_person_id, proxy_person_id, recorded_by, recorded_on)
      VALUES (${p.voteId}, ${p.grantor}, ${p.holder}, ${p.recordedBy}, ${p.day}) ON CONFLICT DO NOTHING RETURNING vote_id`.execute(
      dbOf(conn),
    );
    return r.rows.length > 0;
  }

  /** A proposal with its latest vote (of `purpose`, if given); the vote is undefined before any. */
  async latestOf(
    conn: Conn,
    proposalId: string,
    purpose?: VotePurpose,
  ): Promise<{ villageCode: string; status: ProposalState; vote: VoteRecord | undefined } | undefined> {
    const p = await dbOf(conn)
      .selectFrom('proposal')
      .select(['village_code as villageCode', 'status'])
      .where('id', '=', proposalId)
      .executeTakeFirst();
    if (!p) return undefined;
    let q = dbOf(conn).selectFrom('vote as v').select(VOTE_COLUMNS).where('v.proposal_id', '=', proposalId);
    if (purpose) q = q.where('v.purpose', '=', purpose);
    const vote = await q.orderBy('v.opens_at', 'desc').limit(1).executeTakeFirst();
    return { ...p, vote };
  }

  /** Participants of a vote, and whether `personId` may vote and has voted. */
  turnout(conn: Conn, voteId: string, personId: string | null): Promise<{ participants: number; mayVote: boolean; hasVoted: boolean }> {
    return dbOf(conn)
      .selectNoFrom([
        sql<number>`(SELECT count(*)::int FROM ballot_participation WHERE vote_id = ${voteId})`.as('participants'),
        sql<boolean>`EXISTS (SELECT 1 FROM vote_elector WHERE vote_id = ${voteId} AND person_id = ${personId})`.as('mayVote'),
        sql<boolean>`EXISTS (SELECT 1 FROM ballot_participation WHERE vote_id = ${voteId} AND person_id = ${personId})`.as('hasVoted'),
      ])
      .executeTakeFirstOrThrow();
  }

  /** A closed vote's stored result (undefined while it is open). */
  async result(conn: Conn, voteId: string): Promise<ResultView | undefined> {
    const r = await dbOf(conn)
      .selectFrom('vote as v')
      .select([
        'v.id',
        'v.purpose',
        'v.body',
        'v.ballot_type',
        'v.electorate',
        'v.households',
        'v.participants',
        'v.households_represented',
        'v.yes_count',
        'v.no_count',
        'v.abstain_count',
        'v.spoiled_count',
        'v.outcome',
        'v.rule',
        'v.tallied_at',
        'v.threshold',
        'v.representatives',
        'v.representatives_yes',
        'v.online_participants',
        'v.assisted_participants',
        'v.onsite_participants',
      ])
      .where('v.id', '=', voteId)
      .where('v.status', '=', 'closed')
      .executeTakeFirst();
    if (!r) return undefined;
    const paper = await confirmedPaper(conn, voteId);
    // A closed vote has all its counts (the close writes them in the same statement as the status).
    return {
      voteId: r.id,
      purpose: r.purpose,
      body: r.body,
      ballotType: r.ballot_type,
      electorate: r.electorate,
      households: r.households,
      participants: r.participants ?? 0,
      householdsRepresented: r.households_represented ?? 0,
      yes: r.yes_count ?? 0,
      no: r.no_count ?? 0,
      abstain: r.abstain_count ?? 0,
      spoiled: r.spoiled_count ?? 0,
      outcome: r.outcome ?? 'no_quorum',
      rule: r.rule,
      talliedAt: (r.tallied_at ?? new Date(0)).toISOString(),
      threshold: r.threshold,
      representatives: r.representatives,
      representativesYes: r.representatives_yes,
      parts: {
        online: r.online_participants ?? 0,
        assisted: r.assisted_participants ?? 0,
        onsite: r.onsite_participants ?? 0,
        paper,
      },
    };
  }

  /** Locks a due open vote for its close (waiting for ballots in flight), with its proposal; undefined if not due or closed. */
  lockDue(
    conn: Conn,
    voteId: string,
    now: Date,
    /** A withdrawal: close whatever the on-site part's state. */
    force = false,
  ): Promise<(VoteRecord & { villageCode: string; title: string; proposalStatus: ProposalState; category: Category }) | undefined> {
    return dbOf(conn)
      .selectFrom('vote as v')
      .innerJoin('proposal as p', 'p.id', 'v.proposal_id')
      .select([...VOTE_COLUMNS, 'p.village_code as villageCode', 'p.title', 'p.status as proposalStatus', 'p.category'])
      .where('v.id', '=', voteId)
      .where('v.status', '=', 'open')
      .where('v.closes_at', '<=', now)
      .$if(!force, (q) => q.where(onsiteSettled))
      .forUpdate('v')
      .executeTakeFirst();
  }

  /** Ballots per choice. */
  async choiceCounts(conn: Conn, voteId: string): Promise<Record<Choice, number>> {
    const rows = await dbOf(conn)
      .selectFrom('ballot_choice')
      .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
      .where('vote_id', '=', voteId)
      .groupBy('choice')
      .execute();
    const out: Record<Choice, number> = { yes: 0, no: 0, abstain: 0 };
    for (const r of rows) out[r.choice] = Number(r.n);
    return out;
  }

  /** Electors who took part, by channel, and the distinct households they come from. */
  participation(
    conn: Conn,
    voteId: string,
  ): Promise<{ participants: number; represented: number; online: number; assisted: number; onsite: number }> {
    return dbOf(conn)
      .selectFrom('ballot_participation as b')
      .innerJoin('vote_elector as e', (j) => j.onRef('e.vote_id', '=', 'b.vote_id').onRef('e.person_id', '=', 'b.person_id'))
      .select([
        sql<number>`count(*)::int`.as('participants'),
        sql<number>`count(DISTINCT e.household_no)::int`.as('represented'),
        sql<number>`(count(*) FILTER (WHERE b.channel <> 'onsite'))::int`.as('online'),
        sql<number>`(count(*) FILTER (WHERE b.channel = 'assisted'))::int`.as('assisted'),
        sql<number>`(count(*) FILTER (WHERE b.channel = 'onsite'))::int`.as('onsite'),
      ])
      .where('b.vote_id', '=', voteId)
      .executeTakeFirstOrThrow();
  }

  /** Closes the vote with its counts, rule and outcome (an open ballot's rows need no shuffle). */
  async storeTally(conn: Conn, voteId: string, t: Tally): Promise<void> {
    await dbOf(conn)
      .updateTable('vote')
      .set({
        status: 'closed',
        participants: t.participants,
        households_represented: t.householdsRepresented,
        yes_count: t.yes,
        no_count: t.no,
        abstain_count: t.abstain,
        outcome: t.outcome,
        rule: JSON.stringify(t.rule),
        tallied_at: t.talliedAt,
        ballots_shuffled: sql<boolean>`(ballot_type = 'open')`,
        result_notified: t.resultNotified,
        threshold: t.threshold,
        representatives: t.representatives,
        representatives_yes: t.representativesYes,
        spoiled_count: t.spoiled,
        online_participants: t.onlineParticipants,
        assisted_participants: t.assistedParticipants,
        onsite_participants: t.onsiteParticipants,
      })
      .where('id', '=', voteId)
      .execute();
  }

  async dueIds(conn: Conn, now: Date): Promise<string[]> {
    const rows = await dbOf(conn)
      .selectFrom('vote as v')
      .select('v.id')
      .where('v.status', '=', 'open')
      .where('v.closes_at', '<=', now)
      .where(onsiteSettled)
      .orderBy('v.closes_at')
      .limit(100)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Closed votes whose shuffle or result notice is still to do. */
  async pendingAfterClose(conn: Conn): Promise<string[]> {
    const rows = await dbOf(conn)
      .selectFrom('vote')
      .select('id')
      .where('status', '=', 'closed')
      .where((eb) => eb.or([eb('ballots_shuffled', '=', false), eb('result_notified', '=', false)]))
      .orderBy('tallied_at')
      .limit(100)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Claims the shuffle of a closed vote (once, whatever the processes). */
  async claimShuffle(conn: Conn, voteId: string): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('vote')
      .set({ ballots_shuffled: true })
      .where('id', '=', voteId)
      .where('ballots_shuffled', '=', false)
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Claims the result notice of a closed vote, with what it says. */
  claimResultNotice(
    conn: Conn,
    voteId: string,
  ): Promise<
    | {
        proposalId: string;
        title: string;
        body: VotingBody;
        outcome: Outcome | null;
        electorate: number;
        participants: number | null;
        yes: number | null;
        no: number | null;
        abstain: number | null;
      }
    | undefined
  > {
    return dbOf(conn)
      .updateTable('vote as v')
      .from('proposal as p')
      .set({ result_notified: true })
      .whereRef('p.id', '=', 'v.proposal_id')
      .where('v.id', '=', voteId)
      .where('v.result_notified', '=', false)
      .returning([
        'v.proposal_id as proposalId',
        'p.title',
        'v.body',
        'v.outcome',
        'v.electorate',
        'v.participants',
        'v.yes_count as yes',
        'v.no_count as no',
        'v.abstain_count as abstain',
      ])
      .executeTakeFirst();
  }

  /** Claims the closing-soon reminder of the open votes closing within (now, until]. */
  claimReminders(conn: Conn, now: Date, until: Date): Promise<{ id: string; proposalId: string; title: string; closesAt: Date }[]> {
    return dbOf(conn)
      .updateTable('vote as v')
      .from('proposal as p')
      .set({ reminder_sent: true })
      .whereRef('p.id', '=', 'v.proposal_id')
      .where('v.status', '=', 'open')
      .where('v.reminder_sent', '=', false)
      .where('v.closes_at', '>', now)
      .where('v.closes_at', '<=', until)
      .returning(['v.id', 'v.proposal_id as proposalId', 'p.title', 'v.closes_at as closesAt'])
      .execute();
  }
}
