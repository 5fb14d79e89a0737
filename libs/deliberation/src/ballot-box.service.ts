import { Inject, Injectable } from '@nestjs/common';
import { type KeyObject, randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny, normalizeScopes } from '#divisions';
import { ElectorReads, type Role } from '#identity';
import { type Actor, APP_CONFIG, type AppConfig, Clock, MicroBatcher, ReadCache } from '#platform';
import { ballotChangeKey, ballotChangeMac } from './ballot-change-mac.js';
import { type BallotRow, BallotsRepository } from './ballots.repository.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { shanghaiDay } from './electorate.js';
import { ElectorateRepository } from './electorate.repository.js';
import type { BallotType, Choice } from './names.js';
import { canSeeProposal } from './proposal-access.js';
import type { ProposalState } from './proposal-lifecycle.js';
import { VotesRepository } from './votes.repository.js';

const RECEIPT_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export function newReceiptCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return s;
}

/** The role a full party member holds while under 留党察看 (no vote, electorate.ts). */
const PARTY_PROBATION = 'party_member_under_probation' satisfies Role;

/** The states after a decision vote: a ballot then finds the vote closed rather than not yet open. */
const DECIDED: readonly ProposalState[] = ['passed', 'rejected', 'no_quorum', 'announced', 'awaiting_approval', 'not_approved', 'closed'];

type BallotOutcome = { receipt: string | null } | { error: unknown };

/**
 * Casting and changing ballots, and the written proxies of a 成员大会 (docs/secret-ballot.md). Ballots
 * of concurrent requests go in one statement (MicroBatcher → BallotsRepository.castBatch); a ballot the
 * batch did not take is explained here with a precise code, or is a permitted change.
 */
@Injectable()
export class BallotBox {
  private readonly batcher = new MicroBatcher<BallotRow, BallotOutcome>((rows) => this.castMany(rows), {
    maxBatch: 100,
    maxInFlight: 1,
  });
  /** Derived from PII_HASH_KEY at startup; never in the database (ballot-change-mac.ts). */
  private readonly changeKey: KeyObject;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly ballots: BallotsRepository,
    private readonly votes: VotesRepository,
    private readonly electors: ElectorateRepository,
    private readonly people: ElectorReads,
    private readonly reads: ReadCache,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.changeKey = ballotChangeKey(config.piiHashKey);
  }

  /**
   * One ballot. Eligibility and the window are checked, then one statement inserts participation and
   * choice together while holding a share lock on the open vote row (so a concurrent close waits for it,
   * and a ballot after close finds no open vote). The primary key of ballot_participation makes a
   * second ballot impossible whatever the timing.
   */
  async cast(
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
    const outcome = await this.batcher.submit({
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
    });
    if ('error' in outcome) throw outcome.error;
    if (outcome.receipt) {
      // The ballot route keeps the read cache (@KeepsReadCache); the voter's own "needs my vote" must not
      // wait for the database's notification to leave this process's cache (decision 066).
      if (voter) this.reads.invalidate(`voter:${voter}`);
      return { receiptCode: outcome.receipt, changed: false };
    }
    return this.refusedOrChange(actor, proposalId, choice, receiptCode, now, onBehalfOf);
  }

  /**
   * The ballots of concurrent requests in one statement. If the statement fails, each ballot is tried
   * alone, so that one bad ballot (a receipt code drawn twice, say) cannot sink the others; each caller
   * then gets its own ballot's error.
   *
   * The statement (BallotsRepository.castBatch): for each ballot, an open vote of its proposal inside the
   * caller's scope and window, the voter in the frozen electorate (or the proxy on record); then
   * participation, choice and audit rows. A ballot not taken (refused or a change) gets null.
   * - The share lock on each open vote row makes a concurrent close wait for the batch, and a batch
   *   that waited for a close re-reads the row and finds it closed.
   * - The primary key of ballot_participation (NOT NULL vote and person) allows one ballot per elector
   *   whatever the timing; two ballots of one voter in one batch keep only the first (DISTINCT ON).
   * - Secrecy: the rows of a batch share one transaction; participations go in voter-id order, choices
   *   in random order, audit rows ("this person voted", never how) in arrival order, so neither the
   *   transaction id nor the physical order links a voter to a choice within the batch
   *   (docs/secret-ballot.md).
   */
  private async castMany(rows: BallotRow[]): Promise<BallotOutcome[]> {
    const batch = (b: BallotRow[]) => this.ballots.castBatch(b).then((receipts) => receipts.map((receipt) => ({ receipt })));
    try {
      return await batch(rows);
    } catch (err) {
      if (rows.length === 1) return [{ error: err }];
      return Promise.all(
        rows.map((r) =>
          batch([r]).then(
            (o) => o[0],
            (error: unknown) => ({ error }),
          ),
        ),
      );
    }
  }

  /** Why the ballot was not taken (with a precise code), or a permitted change of an earlier ballot. */
  private async refusedOrChange(
    actor: Actor,
    proposalId: string,
    choice: Choice,
    receiptCode: string | undefined,
    now: Date,
    onBehalfOf?: string,
  ): Promise<{ receiptCode: string; changed: boolean }> {
    const voter = onBehalfOf ?? actor.personId;
    const r = await this.ballots.standing(this.db, proposalId, voter, actor.personId);
    if (!r || !isWithinAny(r.villageCode, actor.scopesFor('ballot.cast')) || !canSeeProposal(actor, r.villageCode, r.status)) {
      throw DeliberationErrors.proposalNotFound();
    }
    if (!r.voteId || !r.ballotType || !r.opensAt || !r.closesAt) {
      throw DECIDED.includes(r.status) ? DeliberationErrors.voteClosed() : DeliberationErrors.noOpenVote();
    }
    if (now < r.opensAt) throw DeliberationErrors.voteNotYetOpen();
    if (now >= r.closesAt) throw DeliberationErrors.voteClosed();
    if (r.onlinePart === false) throw DeliberationErrors.onlinePartNotHeld();
    if (onBehalfOf && !r.proxy) throw DeliberationErrors.proxyNotHeld();
    if (!r.elector || !voter) {
      // A member under 留党察看 when the 党员大会's roll was frozen is told why (党章 Art. 40), with a code of its own.
      if (voter && r.body === 'party_meeting' && (await this.people.heldAt(this.db, voter, PARTY_PROBATION, r.villageCode, r.opensAt))) {
        throw DeliberationErrors.partyProbationNoVote();
      }
      throw DeliberationErrors.notInElectorate();
    }
    // Signed in at the meeting: that is the elector's one participation, and its choice is the tellers' to record.
    if (r.channel === 'onsite') throw DeliberationErrors.signedInOnSite();
    // Only a ballot cast online by the voter (or their proxy) may be changed online; an assisted one was cast in person.
    if (!r.voted || !r.allowChange || r.channel !== 'online') throw DeliberationErrors.alreadyVoted();
    const { voteId, ballotType, villageCode } = { voteId: r.voteId, ballotType: r.ballotType, villageCode: r.villageCode };
    return this.db.transaction(async (em) => {
      const receipt = await this.changeChoice(em, voteId, proposalId, ballotType, voter, choice, receiptCode, now);
      await this.recordBallot(em, actor, voteId, villageCode, proposalId, ballotType, onBehalfOf);
      return { receiptCode: receipt, changed: true };
    });
  }

  /** The audit row of a change says that this person changed their ballot, never how. */
  private recordBallot(
    em: EntityManager,
    actor: Actor,
    voteId: string,
    village: string,
    proposalId: string,
    ballotType: BallotType,
    onBehalfOf?: string,
  ) {
    return this.audit.record(em, {
      actor,
      action: 'ballot.change',
      targetType: 'vote',
      targetId: voteId,
      targetDivision: village,
      details: onBehalfOf ? { proposalId, ballotType, byProxyFor: onBehalfOf } : { proposalId, ballotType },
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
    let r: { open: boolean; receipt: string | null };
    if (type === 'open') {
      r = await this.ballots.changeOpen(em, { voteId, now, personId, choice, receipt });
    } else {
      if (!receipt) throw DeliberationErrors.receiptRequired();
      const mac = ballotChangeMac(this.changeKey, proposalId, personId, receipt);
      r = await this.ballots.changeSecret(em, { voteId, now, personId, choice, receipt, mac });
    }
    if (!r.open) throw DeliberationErrors.voteClosed();
    if (!r.receipt) throw DeliberationErrors.receiptNotYours();
    return r.receipt;
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
      const r = await this.votes.openVoteOf(em, proposalId);
      if (!r || !canSeeProposal(actor, r.villageCode, r.status)) throw DeliberationErrors.proposalNotFound();
      if (!actor.can('proposal.write', r.villageCode)) throw DeliberationErrors.transitionForbidden('open_voting');
      if (!r.voteId || r.body !== 'members_assembly') throw DeliberationErrors.proxyNotApplicable();
      const voteId = r.voteId;
      const day = shanghaiDay(this.clock.now());
      const elector = await this.electors.elector(em, voteId, grantor);
      const h = elector ? await this.people.householdFacts(em, holder, day) : undefined;
      const sameHousehold =
        !!elector && !!h && elector.householdNo !== null && elector.householdNo === h.householdNo && h.homeDivisionCode === r.villageCode;
      if (grantor === holder || !sameHousehold || !h?.adult) throw DeliberationErrors.proxyInvalid();
      const inserted = await this.votes.insertProxy(em, { voteId, grantor, holder, recordedBy: actor.accountId, day });
      if (!inserted) throw DeliberationErrors.proxyDuplicate();
      await this.audit.record(em, {
        actor,
        action: 'vote.proxy',
        targetType: 'vote',
        targetId: voteId,
        targetDivision: r.villageCode,
        details: { grantor, proxy: holder },
      });
      return { voteId, grantorPersonId: grantor, proxyPersonId: holder };
    });
  }
}
