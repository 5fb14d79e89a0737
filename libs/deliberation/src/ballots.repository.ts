import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { AUDIT_ACTOR_INPUT, type AuditActorColumns, auditInsertSelectSql } from '#audit';
import { type Conn, dbOf, HotStatements } from '#platform';
import type { BallotType, Channel, Choice, VotingBody } from './names.js';
import type { ProposalState } from './proposal-lifecycle.js';

/** One ballot of a batch, as the batch statement takes it. */
export interface BallotRow {
  proposalId: string;
  voter: string | null;
  /** The proxy holder casting the voter's ballot (成员大会), else null. */
  holder: string | null;
  receipt: string;
  choice: Choice;
  at: Date;
  /** The 长治 calendar day of `at` (ballot_participation.voted_on). */
  day: string;
  /** The caller's ballot.cast scopes as LIKE patterns, comma-separated. */
  scopes: string;
  actor: AuditActorColumns;
  /** Stored only if the vote is secret and allows changes (the statement decides; Node does not know the vote yet). */
  changeMac: Buffer | null;
}

interface InputColumn {
  name: string;
  type: string;
  value: (b: BallotRow) => unknown;
}

/**
 * The batch statement's input: one array per column, in this order, unnested WITH ORDINALITY into rows.
 * The SQL's unnest list and the parameters are both made from this list, so a name cannot drift from
 * its position. proposal_id is first: the statement also reads `$1` to find the open votes.
 */
const BALLOT_INPUT: readonly InputColumn[] = [
  { name: 'proposal_id', type: 'uuid', value: (b) => b.proposalId },
  { name: 'voter', type: 'uuid', value: (b) => b.voter },
  { name: 'holder', type: 'uuid', value: (b) => b.holder },
  { name: 'receipt', type: 'text', value: (b) => b.receipt },
  { name: 'choice', type: 'text', value: (b) => b.choice },
  { name: 'at', type: 'timestamptz', value: (b) => b.at },
  { name: 'day', type: 'date', value: (b) => b.day },
  { name: 'scopes', type: 'text', value: (b) => b.scopes },
  ...AUDIT_ACTOR_INPUT.map((c) => ({ name: c.name, type: c.type, value: (b: BallotRow) => c.value(b.actor) })),
  { name: 'change_mac', type: 'bytea', value: (b) => b.changeMac },
];

const CAST_BATCH_SQL = `
WITH i AS (
  SELECT * FROM unnest(${BALLOT_INPUT.map((c, n) => `$${n + 1}::${c.type}[]`).join(', ')})
         WITH ORDINALITY AS i(${BALLOT_INPUT.map((c) => c.name).join(', ')}, idx)),
open_vote AS (
  SELECT v.id, v.proposal_id, v.ballot_type, v.allow_change, v.opens_at, v.closes_at, p.village_code
    FROM vote v JOIN proposal p ON p.id = v.proposal_id
   WHERE v.proposal_id = ANY ($1::uuid[]) AND v.status = 'open' AND v.online_part
     FOR SHARE OF v),
ok AS (
  SELECT DISTINCT ON (o.id, i.voter) i.*, o.id AS vote_id, o.ballot_type, o.allow_change, o.village_code, e.seat
    FROM i JOIN open_vote o ON o.proposal_id = i.proposal_id AND o.opens_at <= i.at AND o.closes_at > i.at
    -- One probe of the frozen electorate gives both membership and the seat the ballot carries.
    LEFT JOIN vote_elector e ON e.vote_id = o.id AND e.person_id = i.voter
   WHERE i.voter IS NOT NULL
     AND o.village_code LIKE ANY (string_to_array(i.scopes, ','))
     AND CASE WHEN i.holder IS NULL
              THEN e.person_id IS NOT NULL
              ELSE EXISTS (SELECT 1 FROM vote_proxy x WHERE x.vote_id = o.id AND x.grantor_person_id = i.voter AND x.proxy_person_id = i.holder) END
   ORDER BY o.id, i.voter, i.idx),
part AS (
  INSERT INTO ballot_participation (vote_id, person_id, voted_on, change_mac)
  SELECT vote_id, voter, day, CASE WHEN ballot_type = 'secret' AND allow_change THEN change_mac END
    FROM ok ON CONFLICT DO NOTHING RETURNING vote_id, person_id),
ins AS (
  INSERT INTO ballot_choice (vote_id, ballot_type, receipt_code, choice, voter_person_id, seat)
  SELECT ok.vote_id, ok.ballot_type, ok.receipt, ok.choice, CASE WHEN ok.ballot_type = 'open' THEN ok.voter END, ok.seat
    FROM part JOIN ok ON ok.vote_id = part.vote_id AND ok.voter = part.person_id
   ORDER BY random()
  RETURNING vote_id, receipt_code),
taken AS (
  SELECT ok.* FROM ins JOIN ok ON ok.vote_id = ins.vote_id AND ok.receipt = ins.receipt_code),
aud AS (
  ${auditInsertSelectSql({
    from: 'taken',
    action: 'ballot.cast',
    targetType: 'vote',
    targetId: 'vote_id::text',
    targetDivision: 'village_code',
    details: `jsonb_build_object('proposalId', proposal_id::text, 'ballotType', ballot_type)
           || CASE WHEN holder IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('byProxyFor', voter::text) END`,
    orderBy: 'idx',
  })})
SELECT idx, receipt FROM taken`;

/** Where a caller's ballot stands when the batch did not take it: the reason it was refused, or a change. */
export interface BallotStanding {
  villageCode: string;
  status: ProposalState;
  /** The open vote, if any (its fields are null without one). */
  voteId: string | null;
  ballotType: BallotType | null;
  allowChange: boolean | null;
  opensAt: Date | null;
  closesAt: Date | null;
  /** Whether the vote holds an online part (null without an open vote). */
  onlinePart: boolean | null;
  /** The open vote's body (null without one). */
  body: VotingBody | null;
  elector: boolean;
  voted: boolean;
  /** How the voter took part, if they did. */
  channel: Channel | null;
  proxy: boolean;
}

/** The SQL of ballots: casting (the batch), changing, the published ballots and receipts, and the close-time shuffle. */
@Injectable()
export class BallotsRepository {
  constructor(private readonly hot: HotStatements) {}

  /**
   * One statement for a batch of ballots (the hottest path: a named prepared statement on its own
   * pool). Returns, for each ballot of `rows` (by position), its receipt if it was taken, else null.
   */
  async castBatch(rows: readonly BallotRow[]): Promise<(string | null)[]> {
    const params = BALLOT_INPUT.map((c) => rows.map(c.value));
    const taken = await this.hot.rows<{ idx: unknown; receipt: unknown }>(CAST_BATCH_SQL, params);
    const out: (string | null)[] = rows.map(() => null);
    for (const r of taken) out[Number(r.idx) - 1] = String(r.receipt);
    return out;
  }

  /** The proposal and its open vote as the caller's ballot finds them: scope, window, electorate, proxy, earlier ballot. */
  standing(conn: Conn, proposalId: string, voter: string | null, caller: string | null): Promise<BallotStanding | undefined> {
    return dbOf(conn)
      .selectFrom('proposal as p')
      .leftJoin('vote as v', (j) => j.onRef('v.proposal_id', '=', 'p.id').on('v.status', '=', 'open'))
      .select([
        'p.village_code as villageCode',
        'p.status',
        'v.id as voteId',
        'v.ballot_type as ballotType',
        'v.allow_change as allowChange',
        'v.opens_at as opensAt',
        'v.closes_at as closesAt',
        'v.online_part as onlinePart',
        'v.body',
        sql<boolean>`EXISTS (SELECT 1 FROM vote_elector e WHERE e.vote_id = v.id AND e.person_id = ${voter})`.as('elector'),
        sql<boolean>`EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = ${voter})`.as('voted'),
        sql<Channel | null>`(SELECT b.channel FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = ${voter})`.as('channel'),
        sql<boolean>`EXISTS (SELECT 1 FROM vote_proxy x WHERE x.vote_id = v.id AND x.grantor_person_id = ${voter} AND x.proxy_person_id = ${caller})`.as(
          'proxy',
        ),
      ])
      .where('p.id', '=', proposalId)
      .executeTakeFirst();
  }

  /**
   * Changes an open ballot, found by its voter (and its receipt, if given), under a share lock on the
   * open vote. `open`: whether the vote was still open; `receipt`: the ballot changed, if any.
   */
  async changeOpen(
    conn: Conn,
    c: { voteId: string; now: Date; personId: string; choice: Choice; receipt: string | null },
  ): Promise<{ open: boolean; receipt: string | null }> {
    const { rows } = await sql<{ open: boolean; receipt_code: string | null }>`
      WITH v AS (SELECT id FROM vote WHERE id = ${c.voteId} AND status = 'open' AND closes_at > ${c.now} FOR SHARE),
      u AS (UPDATE ballot_choice c SET choice = ${c.choice} FROM v
             WHERE c.vote_id = v.id AND c.voter_person_id = ${c.personId} AND (${c.receipt}::text IS NULL OR c.receipt_code = ${c.receipt})
            RETURNING c.receipt_code)
      SELECT EXISTS (SELECT 1 FROM v) AS open, (SELECT receipt_code FROM u) AS receipt_code`.execute(dbOf(conn));
    return { open: rows[0].open, receipt: rows[0].receipt_code };
  }

  /**
   * Changes a secret ballot, found by its receipt, only if the voter's participation row holds `mac`
   * (the MAC of proposal, voter and receipt): another's receipt or none changes nothing.
   */
  async changeSecret(
    conn: Conn,
    c: { voteId: string; now: Date; personId: string; choice: Choice; receipt: string; mac: Buffer },
  ): Promise<{ open: boolean; receipt: string | null }> {
    const { rows } = await sql<{ open: boolean; receipt_code: string | null }>`
      WITH v AS (SELECT id FROM vote WHERE id = ${c.voteId} AND status = 'open' AND closes_at > ${c.now} FOR SHARE),
      u AS (UPDATE ballot_choice c SET choice = ${c.choice} FROM v
             WHERE c.vote_id = v.id AND c.receipt_code = ${c.receipt} AND c.ballot_type = 'secret'
               AND EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = ${c.personId} AND b.change_mac = ${c.mac})
            RETURNING c.receipt_code)
      SELECT EXISTS (SELECT 1 FROM v) AS open, (SELECT receipt_code FROM u) AS receipt_code`.execute(dbOf(conn));
    return { open: rows[0].open, receipt: rows[0].receipt_code };
  }

  /** A closed vote's ballots: receipt and choice, with the voter of an open ballot (null for a secret one). */
  published(conn: Conn, voteId: string): Promise<{ receiptCode: string; choice: Choice; voterPersonId: string | null }[]> {
    return dbOf(conn)
      .selectFrom('ballot_choice')
      .select(['receipt_code as receiptCode', 'choice', 'voter_person_id as voterPersonId'])
      .where('vote_id', '=', voteId)
      .orderBy('receipt_code')
      .execute();
  }

  /** The ballot behind a receipt of a proposal's votes, with where its vote and proposal stand. */
  receipt(
    conn: Conn,
    proposalId: string,
    code: string,
  ): Promise<
    { voteId: string; choice: Choice; voteStatus: 'open' | 'closed'; villageCode: string; proposalStatus: ProposalState } | undefined
  > {
    return dbOf(conn)
      .selectFrom('ballot_choice as c')
      .innerJoin('vote as v', 'v.id', 'c.vote_id')
      .innerJoin('proposal as p', 'p.id', 'v.proposal_id')
      .select(['c.vote_id as voteId', 'c.choice', 'v.status as voteStatus', 'p.village_code as villageCode', 'p.status as proposalStatus'])
      .where('p.id', '=', proposalId)
      .where('c.receipt_code', '=', code)
      .executeTakeFirst();
  }

  /**
   * Rewrites a closed vote's participation and choice rows in random physical order in the caller's
   * transaction (every row then carries its xmin; docs/secret-ballot.md), leaving the change MACs behind.
   */
  async shuffle(conn: Conn, voteId: string): Promise<void> {
    const db = dbOf(conn);
    await sql`WITH d AS (DELETE FROM ballot_choice WHERE vote_id = ${voteId} RETURNING *) INSERT INTO ballot_choice SELECT * FROM d ORDER BY random()`.execute(
      db,
    );
    // change_mac is left behind: it is needed only while the vote is open, and once receipts are
    // published it would be the one link left between a voter and a receipt (for whoever holds K).
    await sql`WITH d AS (DELETE FROM ballot_participation WHERE vote_id = ${voteId} RETURNING vote_id, person_id, voted_on, channel, assisted_by)
              INSERT INTO ballot_participation (vote_id, person_id, voted_on, channel, assisted_by) SELECT * FROM d ORDER BY random()`.execute(
      db,
    );
  }

  /** Removes the dead tuples left by the shuffle (outside any transaction). */
  async vacuum(conn: Conn): Promise<void> {
    await sql`VACUUM ballot_choice`.execute(dbOf(conn));
    await sql`VACUUM ballot_participation`.execute(dbOf(conn));
  }
}
