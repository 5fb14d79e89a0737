import { Inject, Injectable } from '@nestjs/common';
import { type KeyObject, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { type AuditActorColumns, AuditService } from '#audit';
import { isWithinAny, normalizeScopes } from '#divisions';
import { CollectiveRegisters } from '#economy';
import { systemActor } from '#identity';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  Clock,
  HotStatements,
  JobLocks,
  LOGGER,
  MicroBatcher,
  queryRows,
  runExclusive,
} from '#platform';
import { ballotChangeKey, ballotChangeMac } from './ballot-change-mac.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { freezeElectorate, representativeCounts, shanghaiDay } from './electorate.js';
import { decideVote } from './matter-rules.js';
import { type BallotType, type Category, type Choice, OUTCOME_NAMES } from './names.js';
import { NotificationsService } from './notifications.service.js';
import { canSeeProposal } from './proposal-access.js';
import type { ProposalAction, ProposalState } from './proposal-lifecycle.js';
import { ProposalTransitions } from './proposal-transitions.js';
import { BODY_NAMES, type Outcome, type VoteCounts, type VotingBody } from './quorum.js';
import type { ResultView, TurnoutView } from './views.js';

export type { BallotType, Choice } from './names.js';
export type { ResultView, TurnoutView } from './views.js';

export interface VoteRow {
  id: string;
  proposal_id: string;
  purpose: 'party_review' | 'decision';
  body: VotingBody;
  ballot_type: BallotType;
  allow_change: boolean;
  opens_at: Date;
  closes_at: Date;
  electorate: number;
  households: number;
  status: 'open' | 'closed';
}

const RECEIPT_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export function newReceiptCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return s;
}

const TALLY_ACTION: Record<'party_review' | 'decision', Record<Outcome, ProposalAction>> = {
  decision: { passed: 'vote_passed', rejected: 'vote_rejected', no_quorum: 'vote_no_quorum' },
  party_review: { passed: 'party_vote_passed', rejected: 'party_vote_failed', no_quorum: 'party_vote_failed' },
};

interface BallotItem {
  proposalId: string;
  voter: string | null;
  holder: string | null;
  receipt: string;
  /** Stored only if the vote is secret and allows changes (the statement decides; Node does not know the vote yet). */
  changeMac: Buffer | null;
  choice: Choice;
  at: Date;
  day: string;
  /** The caller's ballot.cast scopes as LIKE patterns, comma-separated. */
  scopes: string;
  actor: AuditActorColumns;
}

type BallotOutcome = { receipt: string | null } | { error: unknown };

const CAST_BATCH_SQL = `
WITH i AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[],
                       $9::uuid[], $10::text[], $11::varchar[], $12::text[], $13::text[], $14::bytea[])
         WITH ORDINALITY AS i(proposal_id, voter, holder, receipt, choice, at, day, scopes, account_id, roles, division, request_id, ip, change_mac, idx)),
open_vote AS (
  SELECT v.id, v.proposal_id, v.ballot_type, v.allow_change, v.opens_at, v.closes_at, p.village_code
    FROM vote v JOIN proposal p ON p.id = v.proposal_id
   WHERE v.proposal_id = ANY ($1::uuid[]) AND v.status = 'open'
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
  INSERT INTO audit_log (account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip, details)
  SELECT account_id, roles, division, 'ballot.cast', 'vote', vote_id::text, village_code, 'success', request_id, ip,
         jsonb_build_object('proposalId', proposal_id::text, 'ballotType', ballot_type)
           || CASE WHEN holder IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('byProxyFor', voter::text) END
    FROM taken ORDER BY idx)
SELECT idx, receipt FROM taken`;

@Injectable()
export class VotingService {
  private readonly ballotBatcher = new MicroBatcher<BallotItem, BallotOutcome>((items) => this.castMany(items), {
    maxBatch: 100,
    maxInFlight: 1,
  });
  /** Derived from PII_HASH_KEY at startup; never in the database (ballot-change-mac.ts). */
  private readonly changeKey: KeyObject;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly transitions: ProposalTransitions,
    private readonly notifications: NotificationsService,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly hot: HotStatements,
    private readonly registers: CollectiveRegisters,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.changeKey = ballotChangeKey(config.piiHashKey);
  }

  /**
   * Opens a vote now and freezes its electorate (inside the caller's transaction, which also moves
   * the proposal into voting / party_voting). Tells the electorate.
   */
  async openVote(
    em: EntityManager,
    p: { id: string; villageCode: string; title: string },
    v: { purpose: 'party_review' | 'decision'; body: VotingBody; ballotType: BallotType; allowChange: boolean; closesAt: Date },
  ): Promise<{ voteId: string; electorate: number; households: number }> {
    const now = this.clock.now();
    if (!(v.closesAt.getTime() > now.getTime() + 60_000) || v.closesAt.getTime() > now.getTime() + 60 * 86_400_000) {
      throw DeliberationErrors.voteWindowInvalid();
    }
    const day = shanghaiDay(now);
    const [{ id: voteId }] = await queryRows<{ id: string }>(
      em,
      `INSERT INTO vote (proposal_id, purpose, body, ballot_type, allow_change, opens_at, closes_at, reference_date, electorate, households)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0) RETURNING id`,
      [p.id, v.purpose, v.body, v.ballotType, v.allowChange, now, v.closesAt, day],
    );
    const counts = await freezeElectorate(em, this.registers, voteId, p.villageCode, v.body, day);
    if (counts.electorate === 0) throw DeliberationErrors.electorateEmpty();
    if (v.body === 'members_representatives_assembly' && counts.electorate <= 20) {
      throw DeliberationErrors.memberRepresentativesTooFew(counts.electorate);
    }
    await this.notifications.toElectorate(em, voteId, {
      kind: 'voting_opened',
      proposalId: p.id,
      title: `${BODY_NAMES[v.body]}表决已开始：${p.title}`,
      body: `请在 ${v.closesAt.toISOString()} 前完成投票（${v.ballotType === 'secret' ? '无记名' : '记名'}投票）。`,
    });
    return { voteId, ...counts };
  }

  /**
   * One ballot. Eligibility and the window are checked, then one statement inserts participation and
   * choice together while holding a share lock on the open vote row (so a concurrent close waits for it,
   * and a ballot after close finds no open vote). The primary key of ballot_participation makes a
   * second ballot impossible whatever the timing.
   */
  async castBallot(
    actor: Actor,
    proposalId: string,
    choice: Choice,
    receiptCode?: string,
    onBehalfOf?: string,
  ): Promise<{ receiptCode: string; changed: boolean }> {
    const now = this.clock.now();
    // The ballot belongs to the voter; with a written proxy (成员大会) the holder casts the grantor's ballot.
    const voter = onBehalfOf ?? actor.personId;
    const receipt = newReceiptCode();
    const item: BallotItem = {
      proposalId,
      voter,
      holder: onBehalfOf ? actor.personId : null,
      receipt,
      changeMac: voter ? ballotChangeMac(this.changeKey, proposalId, voter, receipt) : null,
      choice,
      at: now,
      day: shanghaiDay(now),
      scopes: normalizeScopes(actor.scopesFor('ballot.cast'))
        .map((s) => `${s}%`)
        .join(','),
      actor: this.audit.actorColumns(actor),
    };
    const outcome = await this.ballotBatcher.submit(item);
    if ('error' in outcome) throw outcome.error;
    if (outcome.receipt) return { receiptCode: outcome.receipt, changed: false };
    return this.castRefusedOrChange(actor, proposalId, choice, receiptCode, now, onBehalfOf);
  }

  /**
   * The ballots of concurrent requests in one statement (MicroBatcher). If the statement fails, each
   * ballot is tried alone, so that one bad ballot (a receipt code drawn twice, say) cannot sink the
   * others; each caller then gets its own ballot's error.
   */
  private async castMany(items: BallotItem[]): Promise<BallotOutcome[]> {
    try {
      return await this.castBatch(items);
    } catch (err) {
      if (items.length === 1) return [{ error: err }];
      return Promise.all(
        items.map((i) =>
          this.castBatch([i]).then(
            (r) => r[0],
            (error: unknown) => ({ error }),
          ),
        ),
      );
    }
  }

  /**
   * One statement for a batch of ballots: for each, an open vote of its proposal inside the caller's
   * scope and window, the voter in the frozen electorate (or the proxy on record); then participation,
   * choice and audit rows. Returns the receipt of each ballot taken, null for the others (refused or a
   * change: the caller finds out which, with a precise code).
   *
   * - The share lock on each open vote row makes a concurrent close wait for the batch, and a batch
   *   that waited for a close re-reads the row and finds it closed.
   * - The primary key of ballot_participation (NOT NULL vote and person) allows one ballot per elector
   *   whatever the timing; two ballots of one voter in one batch keep only the first (DISTINCT ON).
   * - Secrecy: the rows of a batch share one transaction; participations go in voter-id order, choices
   *   in random order, audit rows ("this person voted", never how) in arrival order, so neither the
   *   transaction id nor the physical order links a voter to a choice within the batch
   *   (docs/secret-ballot.md).
   */
  private async castBatch(items: BallotItem[]): Promise<BallotOutcome[]> {
    const col = <T>(f: (i: BallotItem) => T) => items.map(f);
    const rows = await this.hot.rows<{ idx: string; receipt: string }>(CAST_BATCH_SQL, [
      col((i) => i.proposalId),
      col((i) => i.voter),
      col((i) => i.holder),
      col((i) => i.receipt),
      col((i) => i.choice),
      col((i) => i.at),
      col((i) => i.day),
      col((i) => i.scopes),
      col((i) => i.actor.accountId),
      col((i) => i.actor.roles),
      col((i) => i.actor.division),
      col((i) => i.actor.requestId),
      col((i) => i.actor.ip),
      col((i) => i.changeMac),
    ]);
    const out: BallotOutcome[] = items.map(() => ({ receipt: null }));
    for (const r of rows) out[Number(r.idx) - 1] = { receipt: r.receipt };
    return out;
  }

  /** The audit row says that this person voted (or changed their ballot), never how. */
  private recordBallot(
    em: EntityManager,
    actor: Actor,
    voteId: string,
    village: string,
    proposalId: string,
    ballotType: BallotType,
    changed: boolean,
    onBehalfOf?: string,
  ) {
    return this.audit.record(em, {
      actor,
      action: changed ? 'ballot.change' : 'ballot.cast',
      targetType: 'vote',
      targetId: voteId,
      targetDivision: village,
      details: onBehalfOf ? { proposalId, ballotType, byProxyFor: onBehalfOf } : { proposalId, ballotType },
    });
  }

  /** Why the ballot was not taken (with a precise code), or a permitted change of an earlier ballot. */
  private async castRefusedOrChange(
    actor: Actor,
    proposalId: string,
    choice: Choice,
    receiptCode: string | undefined,
    now: Date,
    onBehalfOf?: string,
  ): Promise<{ receiptCode: string; changed: boolean }> {
    const voter = onBehalfOf ?? actor.personId;
    const rows = await queryRows<{
      village_code: string;
      status: ProposalState;
      vote_id: string | null;
      ballot_type: BallotType;
      allow_change: boolean;
      opens_at: Date;
      closes_at: Date;
      elector: boolean;
      voted: boolean;
      proxy: boolean;
    }>(
      this.db,
      `SELECT p.village_code, p.status, v.id AS vote_id, v.ballot_type, v.allow_change, v.opens_at, v.closes_at,
              EXISTS (SELECT 1 FROM vote_elector e WHERE e.vote_id = v.id AND e.person_id = $2) AS elector,
              EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = $2) AS voted,
              EXISTS (SELECT 1 FROM vote_proxy x WHERE x.vote_id = v.id AND x.grantor_person_id = $2 AND x.proxy_person_id = $3) AS proxy
         FROM proposal p LEFT JOIN vote v ON v.proposal_id = p.id AND v.status = 'open'
        WHERE p.id = $1`,
      [proposalId, voter, actor.personId],
    );
    const r = rows[0];
    if (!r || !isWithinAny(r.village_code, actor.scopesFor('ballot.cast')) || !canSeeProposal(actor, r.village_code, r.status)) {
      throw DeliberationErrors.proposalNotFound();
    }
    if (!r.vote_id) {
      const decided = ['passed', 'rejected', 'no_quorum', 'announced', 'awaiting_approval', 'not_approved', 'closed'].includes(r.status);
      throw decided ? DeliberationErrors.voteClosed() : DeliberationErrors.noOpenVote();
    }
    if (now < r.opens_at) throw DeliberationErrors.voteNotYetOpen();
    if (now >= r.closes_at) throw DeliberationErrors.voteClosed();
    if (onBehalfOf && !r.proxy) throw DeliberationErrors.proxyNotHeld();
    if (!r.elector || !voter) throw DeliberationErrors.notInElectorate();
    if (!r.voted || !r.allow_change) throw DeliberationErrors.alreadyVoted();
    const voteId = r.vote_id;
    return this.db.transaction(async (em) => {
      const receipt = await this.changeChoice(em, voteId, proposalId, r.ballot_type, voter, choice, receiptCode, now);
      await this.recordBallot(em, actor, voteId, r.village_code, proposalId, r.ballot_type, true, onBehalfOf);
      return { receiptCode: receipt, changed: true };
    });
  }

  /**
   * Records a written proxy for a 成员大会 vote (农村集体经济组织法 Art. 27): the grantor is in the frozen
   * electorate; the holder is another family member of full civil capacity (18 or over) registered in
   * the same household of the village, who need not be a member. The law sets no limit on how many
   * proxies one holder carries (a household's members may all give theirs to one person); each member
   * gives at most one.
   */
  async recordProxy(
    actor: Actor,
    proposalId: string,
    grantor: string,
    holder: string,
  ): Promise<{ voteId: string; grantorPersonId: string; proxyPersonId: string }> {
    return this.db.transaction(async (em) => {
      const rows = await queryRows<{ village_code: string; status: ProposalState; vote_id: string | null; body: VotingBody | null }>(
        em,
        `SELECT p.village_code, p.status, v.id AS vote_id, v.body FROM proposal p LEFT JOIN vote v ON v.proposal_id = p.id AND v.status = 'open' WHERE p.id = $1`,
        [proposalId],
      );
      const r = rows[0];
      if (!r || !canSeeProposal(actor, r.village_code, r.status)) throw DeliberationErrors.proposalNotFound();
      if (!actor.can('proposal.write', r.village_code)) throw DeliberationErrors.transitionForbidden('open_voting');
      if (!r.vote_id || r.body !== 'members_assembly') throw DeliberationErrors.proxyNotApplicable();
      const [pair] = await queryRows<{ same_household: boolean; holder_adult: boolean }>(
        em,
        `SELECT e.household_no IS NOT NULL AND e.household_no = h.household_no AND h.home_division_code = $4 AS same_household,
                h.birth_date <= ($5::date - interval '18 years')::date AS holder_adult
           FROM vote_elector e, person h WHERE e.vote_id = $1 AND e.person_id = $2 AND h.id = $3`,
        [r.vote_id, grantor, holder, r.village_code, shanghaiDay(this.clock.now())],
      );
      if (grantor === holder || !pair?.same_household || !pair.holder_adult) throw DeliberationErrors.proxyInvalid();
      const inserted = await queryRows(
        em,
        `INSERT INTO vote_proxy (vote_id, grantor_person_id, proxy_person_id, recorded_by, recorded_on) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING vote_id`,
        [r.vote_id, grantor, holder, actor.accountId, shanghaiDay(this.clock.now())],
      );
      if (!inserted.length) throw DeliberationErrors.proxyDuplicate();
      await this.audit.record(em, {
        actor,
        action: 'vote.proxy',
        targetType: 'vote',
        targetId: r.vote_id,
        targetDivision: r.village_code,
        details: { grantor, proxy: holder },
      });
      return { voteId: r.vote_id, grantorPersonId: grantor, proxyPersonId: holder };
    });
  }

  /**
   * Changes the caller's own earlier ballot, under a share lock on the open vote (a concurrent close
   * waits; a change after close finds no open vote). An open ballot is found by its voter; a receipt,
   * if given, must be that ballot's. A secret ballot is found by its receipt, and changed only if the
   * voter's participation row holds the MAC of (proposal, voter, receipt): another voter's receipt, or
   * one that does not exist, changes nothing and gets the same answer.
   */
  private async changeChoice(
    em: EntityManager,
    voteId: string,
    proposalId: string,
    type: BallotType,
    personId: string,
    choice: Choice,
    receiptCode: string | undefined,
    now: Date,
  ): Promise<string> {
    const receipt = receiptCode?.toUpperCase() ?? null;
    const lock = `v AS (SELECT id FROM vote WHERE id = $1 AND status = 'open' AND closes_at > $2 FOR SHARE)`;
    let rows: { open: boolean; receipt_code: string | null }[];
    if (type === 'open') {
      rows = await queryRows(
        em,
        `WITH ${lock},
         u AS (UPDATE ballot_choice c SET choice = $4 FROM v
                WHERE c.vote_id = v.id AND c.voter_person_id = $3 AND ($5::text IS NULL OR c.receipt_code = $5)
               RETURNING c.receipt_code)
         SELECT EXISTS (SELECT 1 FROM v) AS open, (SELECT receipt_code FROM u) AS receipt_code`,
        [voteId, now, personId, choice, receipt],
      );
    } else {
      if (!receipt) throw DeliberationErrors.receiptRequired();
      rows = await queryRows(
        em,
        `WITH ${lock},
         u AS (UPDATE ballot_choice c SET choice = $4 FROM v
                WHERE c.vote_id = v.id AND c.receipt_code = $5 AND c.ballot_type = 'secret'
                  AND EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = $3 AND b.change_mac = $6)
               RETURNING c.receipt_code)
         SELECT EXISTS (SELECT 1 FROM v) AS open, (SELECT receipt_code FROM u) AS receipt_code`,
        [voteId, now, personId, choice, receipt, ballotChangeMac(this.changeKey, proposalId, personId, receipt)],
      );
    }
    const [r] = rows;
    if (!r.open) throw DeliberationErrors.voteClosed();
    if (!r.receipt_code) throw DeliberationErrors.receiptNotYours();
    return r.receipt_code;
  }

  /** The latest vote of a proposal the actor can see (for turnout, results, ballots). */
  private async visibleVote(
    actor: Actor,
    proposalId: string,
    purpose?: 'party_review' | 'decision',
  ): Promise<VoteRow & { village_code: string }> {
    const rows = await queryRows<VoteRow & { village_code: string; p_status: ProposalState }>(
      this.db,
      `SELECT v.*, p.village_code, p.status AS p_status FROM proposal p LEFT JOIN LATERAL (
          SELECT * FROM vote v WHERE v.proposal_id = p.id AND ($2::text IS NULL OR v.purpose = $2) ORDER BY v.opens_at DESC LIMIT 1) v ON true
        WHERE p.id = $1`,
      [proposalId, purpose ?? null],
    );
    const r = rows[0];
    if (!r || !canSeeProposal(actor, r.village_code, r.p_status)) throw DeliberationErrors.proposalNotFound();
    if (!r.id) throw DeliberationErrors.noVoteYet();
    return r;
  }

  async turnout(actor: Actor, proposalId: string): Promise<TurnoutView> {
    const v = await this.visibleVote(actor, proposalId);
    const [t] = await queryRows<{ participants: number; may_vote: boolean; has_voted: boolean }>(
      this.db,
      `SELECT (SELECT count(*)::int FROM ballot_participation WHERE vote_id = $1) AS participants,
              EXISTS (SELECT 1 FROM vote_elector WHERE vote_id = $1 AND person_id = $2) AS may_vote,
              EXISTS (SELECT 1 FROM ballot_participation WHERE vote_id = $1 AND person_id = $2) AS has_voted`,
      [v.id, actor.personId],
    );
    return {
      voteId: v.id,
      purpose: v.purpose,
      body: v.body,
      bodyName: BODY_NAMES[v.body],
      ballotType: v.ballot_type,
      status: v.status,
      opensAt: v.opens_at.toISOString(),
      closesAt: v.closes_at.toISOString(),
      electorate: v.electorate,
      households: v.households,
      participants: t.participants,
      mayVote: t.may_vote,
      hasVoted: t.has_voted,
    };
  }

  /** Counts exist only after close; before that, every role is refused. */
  async results(actor: Actor, proposalId: string, purpose?: 'party_review' | 'decision'): Promise<ResultView> {
    const v = await this.visibleVote(actor, proposalId, purpose);
    if (v.status !== 'closed') throw DeliberationErrors.resultsSealed();
    return this.resultOf(this.db.manager, v.id);
  }

  async resultOf(em: EntityManager, voteId: string): Promise<ResultView> {
    const [r] = await queryRows<ResultView>(
      em,
      `SELECT id AS "voteId", purpose, body, ballot_type AS "ballotType", electorate, households, participants,
              households_represented AS "householdsRepresented", yes_count AS yes, no_count AS no, abstain_count AS abstain,
              outcome, rule, tallied_at AS "talliedAt", threshold, representatives, representatives_yes AS "representativesYes"
         FROM vote WHERE id = $1 AND status = 'closed'`,
      [voteId],
    );
    return r;
  }

  /** After close: receipt codes with choices (secret) or names with choices (open). */
  async ballots(
    actor: Actor,
    proposalId: string,
    purpose?: 'party_review' | 'decision',
  ): Promise<{ ballotType: BallotType; items: { receiptCode: string; choice: Choice; voterName?: string }[] }> {
    const v = await this.visibleVote(actor, proposalId, purpose);
    if (v.status !== 'closed') throw DeliberationErrors.resultsSealed();
    const items =
      v.ballot_type === 'secret'
        ? await queryRows<{ receiptCode: string; choice: Choice }>(
            this.db,
            `SELECT receipt_code AS "receiptCode", choice FROM ballot_choice WHERE vote_id = $1 ORDER BY receipt_code`,
            [v.id],
          )
        : await queryRows<{ receiptCode: string; choice: Choice; voterName: string }>(
            this.db,
            `SELECT c.receipt_code AS "receiptCode", c.choice, p.real_name AS "voterName"
               FROM ballot_choice c JOIN person p ON p.id = c.voter_person_id WHERE c.vote_id = $1 ORDER BY p.real_name, c.receipt_code`,
            [v.id],
          );
    return { ballotType: v.ballot_type, items };
  }

  /** Any voter checks, after close, that the ballot behind their receipt was counted as cast. */
  async checkReceipt(actor: Actor, proposalId: string, code: string): Promise<{ counted: true; choice: Choice; voteId: string }> {
    const rows = await queryRows<{ vote_id: string; choice: Choice; status: string; village_code: string; p_status: ProposalState }>(
      this.db,
      `SELECT c.vote_id, c.choice, v.status, p.village_code, p.status AS p_status
         FROM ballot_choice c JOIN vote v ON v.id = c.vote_id JOIN proposal p ON p.id = v.proposal_id
        WHERE p.id = $1 AND c.receipt_code = $2`,
      [proposalId, code.toUpperCase()],
    );
    const r = rows[0];
    if (r && !canSeeProposal(actor, r.village_code, r.p_status)) throw DeliberationErrors.proposalNotFound();
    if (!r) throw DeliberationErrors.receiptUnknown();
    if (r.status !== 'closed') throw DeliberationErrors.resultsSealed();
    return { counted: true, choice: r.choice, voteId: r.vote_id };
  }

  /**
   * Closes one due vote: locks it (waiting for ballots in flight), counts, applies the rule, stores
   * counts, denominators, rule and outcome, and moves the proposal. The slower follow-up (shuffling a
   * secret vote's rows, telling the electorate) is `afterClose`, in its own transactions.
   */
  async closeVote(em: EntityManager, voteId: string, withdrawn = false): Promise<Outcome | null> {
    const now = this.clock.now();
    const [v] = await queryRows<VoteRow & { village_code: string; title: string; p_status: ProposalState; category: Category }>(
      em,
      `SELECT v.*, p.village_code, p.title, p.status AS p_status, p.category FROM vote v JOIN proposal p ON p.id = v.proposal_id
        WHERE v.id = $1 AND v.status = 'open' AND v.closes_at <= $2 FOR UPDATE OF v`,
      [voteId, now],
    );
    if (!v) return null;
    const choices = await queryRows<{ choice: Choice; n: number }>(
      em,
      `SELECT choice, count(*)::int AS n FROM ballot_choice WHERE vote_id = $1 GROUP BY choice`,
      [voteId],
    );
    const [part] = await queryRows<{ participants: number; represented: number }>(
      em,
      `SELECT count(*)::int AS participants, count(DISTINCT e.household_no)::int AS represented
         FROM ballot_participation b JOIN vote_elector e ON e.vote_id = b.vote_id AND e.person_id = b.person_id
        WHERE b.vote_id = $1`,
      [voteId],
    );
    const of = (c: Choice) => choices.find((x) => x.choice === c)?.n ?? 0;
    const counts: VoteCounts = {
      electorate: v.electorate,
      households: v.households,
      participants: part.participants,
      householdsRepresented: v.body === 'villagers_meeting' ? part.represented : 0,
      yes: of('yes'),
      no: of('no'),
      abstain: of('abstain'),
    };
    const reps = await representativeCounts(em, voteId, v.body);
    const d = decideVote(v.purpose, v.category, v.body, { ...counts, ...reps });
    const stored = v.body === 'representatives_meeting' ? reps : null;
    await em.query(
      `UPDATE vote SET status = 'closed', participants = $2, households_represented = $3, yes_count = $4, no_count = $5,
              abstain_count = $6, outcome = $7, rule = $8, tallied_at = $9, ballots_shuffled = (ballot_type = 'open'), result_notified = $10,
              threshold = $11, representatives = $12, representatives_yes = $13
        WHERE id = $1`,
      [
        voteId,
        counts.participants,
        counts.householdsRepresented,
        counts.yes,
        counts.no,
        counts.abstain,
        d.outcome,
        JSON.stringify(d.rule),
        now,
        withdrawn,
        d.threshold,
        stored?.representatives ?? null,
        stored?.representativesYes ?? null,
      ],
    );
    const system = systemActor('vote-close');
    const expected: ProposalState = v.purpose === 'decision' ? 'voting' : 'party_voting';
    if (v.p_status === expected) {
      await this.transitions.apply(
        em,
        { id: v.proposal_id, villageCode: v.village_code, status: v.p_status },
        TALLY_ACTION[v.purpose][d.outcome],
        'system',
        system,
        {
          details: { voteId, outcome: d.outcome, ...counts },
        },
      );
    }
    await this.audit.record(em, {
      actor: system,
      action: 'vote.tally',
      targetType: 'vote',
      targetId: voteId,
      targetDivision: v.village_code,
      details: { outcome: d.outcome, ...counts },
    });
    return d.outcome;
  }

  /** The scheduler's tick: closes every due vote (one process at a time), then the post-close work and reminders. */
  async closeDueVotes(): Promise<number> {
    const res = await runExclusive(this.db, JobLocks.voteClose, async (em) => {
      const due = await queryRows<{ id: string }>(
        em,
        `SELECT id FROM vote WHERE status = 'open' AND closes_at <= $1 ORDER BY closes_at LIMIT 100`,
        [this.clock.now()],
      );
      let closed = 0;
      for (const d of due) if (await this.closeVote(em, d.id)) closed++;
      await this.sendReminders(em);
      return closed;
    });
    if (!res.ran) return 0;
    await this.afterClose();
    return res.result;
  }

  /**
   * For every closed vote not yet done: rewrite a secret vote's participation and choice rows in
   * random physical order in one transaction (so every row carries that transaction's xmin and no
   * insert order survives; docs/secret-ballot.md), dropping the ballot-change MACs on the way, then
   * tell the electorate the result. Each step claims its flag in the same transaction, so it happens
   * once even with several processes.
   */
  async afterClose(): Promise<void> {
    const pending = await queryRows<{ id: string }>(
      this.db,
      `SELECT id FROM vote WHERE status = 'closed' AND (NOT ballots_shuffled OR NOT result_notified) ORDER BY tallied_at LIMIT 100`,
    );
    let shuffled = false;
    for (const { id } of pending) {
      shuffled = (await this.shuffleBallots(id)) || shuffled;
      await this.notifyResult(id);
    }
    if (shuffled) await this.vacuumBallots();
  }

  private async shuffleBallots(voteId: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const claimed = await queryRows(em, `UPDATE vote SET ballots_shuffled = true WHERE id = $1 AND NOT ballots_shuffled RETURNING id`, [
        voteId,
      ]);
      if (!claimed.length) return false;
      await em.query(
        `WITH d AS (DELETE FROM ballot_choice WHERE vote_id = $1 RETURNING *) INSERT INTO ballot_choice SELECT * FROM d ORDER BY random()`,
        [voteId],
      );
      // change_mac is left behind: it is needed only while the vote is open, and once receipts are
      // published it would be the one link left between a voter and a receipt (for whoever holds K).
      await em.query(
        `WITH d AS (DELETE FROM ballot_participation WHERE vote_id = $1 RETURNING vote_id, person_id, voted_on)
         INSERT INTO ballot_participation (vote_id, person_id, voted_on) SELECT * FROM d ORDER BY random()`,
        [voteId],
      );
      return true;
    });
  }

  private async notifyResult(voteId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const [v] = await queryRows<{
        proposal_id: string;
        title: string;
        body: VotingBody;
        outcome: Outcome;
        electorate: number;
        participants: number;
        yes_count: number;
        no_count: number;
        abstain_count: number;
      }>(
        em,
        `UPDATE vote v SET result_notified = true FROM proposal p WHERE v.id = $1 AND NOT v.result_notified AND p.id = v.proposal_id
         RETURNING v.proposal_id, p.title, v.body, v.outcome, v.electorate, v.participants, v.yes_count, v.no_count, v.abstain_count`,
        [voteId],
      );
      if (!v) return;
      await this.notifications.toElectorate(em, voteId, {
        kind: 'result_published',
        proposalId: v.proposal_id,
        title: `表决结果：${v.title}`,
        body: `${BODY_NAMES[v.body]}表决结果为"${OUTCOME_NAMES[v.outcome]}"：应到 ${v.electorate} 人，参加 ${v.participants} 人，赞成 ${v.yes_count}，反对 ${v.no_count}，弃权 ${v.abstain_count}。`,
      });
    });
  }

  /** Removes the dead tuples left by the close-time shuffle; best effort, outside any transaction. */
  private async vacuumBallots(): Promise<void> {
    try {
      await this.db.query('VACUUM ballot_choice');
      await this.db.query('VACUUM ballot_participation');
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'vacuum of ballot tables failed');
    }
  }

  async sendReminders(em: EntityManager): Promise<number> {
    const now = this.clock.now();
    const soon = await queryRows<{ id: string; proposal_id: string; title: string; closes_at: Date }>(
      em,
      `UPDATE vote v SET reminder_sent = true FROM proposal p
        WHERE p.id = v.proposal_id AND v.status = 'open' AND NOT v.reminder_sent AND v.closes_at > $1 AND v.closes_at <= $2
        RETURNING v.id, v.proposal_id, p.title, v.closes_at`,
      [now, new Date(now.getTime() + 24 * 3_600_000)],
    );
    for (const v of soon) {
      await this.notifications.toElectorate(
        em,
        v.id,
        {
          kind: 'closing_soon',
          proposalId: v.proposal_id,
          title: `表决即将截止：${v.title}`,
          body: `表决将于 ${v.closes_at.toISOString()} 截止，您尚未投票。`,
        },
        true,
      );
    }
    return soon.length;
  }
}
