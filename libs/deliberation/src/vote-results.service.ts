import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PersonNames } from '#identity';
import { type Actor, type Conn } from '#platform';
import { BallotsRepository } from './ballots.repository.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { canSeeProposal } from './proposal-access.js';
import { BODY_NAMES } from './quorum.js';
import type { BallotsView, ReceiptCheckView, ResultView, TurnoutView } from './views.js';
import { type VotePurpose, type VoteRecord, VotesRepository } from './votes.repository.js';

/** What a vote shows: turnout while open; after close the result, the ballots and the check of a receipt. */
@Injectable()
export class VoteResults {
  constructor(
    private readonly db: DataSource,
    private readonly votes: VotesRepository,
    private readonly ballotRows: BallotsRepository,
    private readonly names: PersonNames,
  ) {}

  /** The latest vote of a proposal the actor can see (for turnout, results, ballots). */
  private async visibleVote(actor: Actor, proposalId: string, purpose?: VotePurpose): Promise<VoteRecord> {
    const r = await this.votes.latestOf(this.db, proposalId, purpose);
    if (!r || !canSeeProposal(actor, r.villageCode, r.status)) throw DeliberationErrors.proposalNotFound();
    if (!r.vote) throw DeliberationErrors.noVoteYet();
    return r.vote;
  }

  async turnout(actor: Actor, proposalId: string): Promise<TurnoutView> {
    const v = await this.visibleVote(actor, proposalId);
    const t = await this.votes.turnout(this.db, v.id, actor.personId);
    return {
      voteId: v.id,
      purpose: v.purpose,
      body: v.body,
      bodyName: BODY_NAMES[v.body],
      ballotType: v.ballotType,
      status: v.status,
      opensAt: v.opensAt.toISOString(),
      closesAt: v.closesAt.toISOString(),
      electorate: v.electorate,
      households: v.households,
      participants: t.participants,
      mayVote: t.mayVote,
      hasVoted: t.hasVoted,
    };
  }

  /** Counts exist only after close; before that, every role is refused. */
  async results(actor: Actor, proposalId: string, purpose?: VotePurpose): Promise<ResultView> {
    const v = await this.visibleVote(actor, proposalId, purpose);
    if (v.status !== 'closed') throw DeliberationErrors.resultsSealed();
    return this.resultOf(this.db, v.id);
  }

  /** A closed vote's result. */
  async resultOf(conn: Conn, voteId: string): Promise<ResultView> {
    const r = await this.votes.result(conn, voteId);
    if (!r) throw DeliberationErrors.resultsSealed();
    return r;
  }

  /** After close: receipt codes with choices (secret) or names with choices (open, by name). */
  async ballots(actor: Actor, proposalId: string, purpose?: VotePurpose): Promise<BallotsView> {
    const v = await this.visibleVote(actor, proposalId, purpose);
    if (v.status !== 'closed') throw DeliberationErrors.resultsSealed();
    const rows = await this.ballotRows.published(this.db, v.id);
    if (v.ballotType === 'secret')
      return { ballotType: v.ballotType, items: rows.map((r) => ({ receiptCode: r.receiptCode, choice: r.choice })) };
    const names = await this.names.ofPeople(
      this.db,
      rows.flatMap((r) => (r.voterPersonId ? [r.voterPersonId] : [])),
    );
    const items = rows.flatMap((r) => {
      const voterName = r.voterPersonId ? names.get(r.voterPersonId) : undefined;
      return voterName === undefined ? [] : [{ receiptCode: r.receiptCode, choice: r.choice, voterName }];
    });
    // By name, then receipt (the receipts came ordered): code-point order, as the database's C collation.
    items.sort((a, b) => (a.voterName < b.voterName ? -1 : a.voterName > b.voterName ? 1 : 0));
    return { ballotType: v.ballotType, items };
  }

  /** Any voter checks, after close, that the ballot behind their receipt was counted as cast. */
  async checkReceipt(actor: Actor, proposalId: string, code: string): Promise<ReceiptCheckView> {
    const r = await this.ballotRows.receipt(this.db, proposalId, code.toUpperCase());
    if (r && !canSeeProposal(actor, r.villageCode, r.proposalStatus)) throw DeliberationErrors.proposalNotFound();
    if (!r) throw DeliberationErrors.receiptUnknown();
    if (r.voteStatus !== 'closed') throw DeliberationErrors.resultsSealed();
    return { counted: true, choice: r.choice, voteId: r.voteId };
  }
}
