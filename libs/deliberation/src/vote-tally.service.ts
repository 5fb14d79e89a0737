import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { systemActor } from '#identity';
import { Clock, JobLocks, LOGGER, runExclusive } from '#platform';
import { BallotsRepository } from './ballots.repository.js';
import { Electorates } from './electorate.js';
import { decideVote } from './matter-rules.js';
import { OUTCOME_NAMES } from './names.js';
import { MeetingsRepository } from './meetings.repository.js';
import { NotificationsService } from './notifications.service.js';
import type { ProposalAction, ProposalState } from './proposal-lifecycle.js';
import { ProposalTransitions } from './proposal-transitions.js';
import { BODY_NAMES, type Outcome, type VoteCounts } from './quorum.js';
import { VotesRepository } from './votes.repository.js';

const TALLY_ACTION: Record<'party_review' | 'decision', Record<Outcome, ProposalAction>> = {
  decision: { passed: 'vote_passed', rejected: 'vote_rejected', no_quorum: 'vote_no_quorum' },
  party_review: { passed: 'party_vote_passed', rejected: 'party_vote_failed', no_quorum: 'party_vote_failed' },
};

/** Closing votes: the count, the rule, the outcome; then the shuffle of secret ballots, the result notice and reminders. */
@Injectable()
export class VoteTally {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly transitions: ProposalTransitions,
    private readonly notifications: NotificationsService,
    private readonly votes: VotesRepository,
    private readonly ballots: BallotsRepository,
    private readonly electorates: Electorates,
    private readonly meetings: MeetingsRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Closes one due vote: locks it (waiting for ballots in flight), counts, applies the rule, stores
   * counts, denominators, rule and outcome, and moves the proposal. The slower follow-up (shuffling a
   * secret vote's rows, telling the electorate) is `afterClose`, in its own transactions.
   */
  async closeVote(em: EntityManager, voteId: string, withdrawn = false): Promise<Outcome | null> {
    const now = this.clock.now();
    // A withdrawal ends the vote whatever its on-site part; otherwise a held on-site part waits for its scrutineer.
    const v = await this.votes.lockDue(em, voteId, now, withdrawn);
    if (!v) return null;
    const choices = await this.votes.choiceCounts(em, voteId);
    const part = await this.votes.participation(em, voteId);
    // The confirmed paper totals of a secret on-site ballot join the online ballots' choices.
    const paper = v.onsitePart ? await this.meetings.confirmedPaper(em, voteId) : null;
    const yes = choices.yes + (paper?.yes ?? 0);
    const no = choices.no + (paper?.no ?? 0);
    const abstain = choices.abstain + (paper?.abstain ?? 0);
    // Whoever took part without a yes, no or abstain: spoiled and unreturned paper ballots (and, when a
    // withdrawal cut an on-site part short, the signed-in electors not yet counted).
    const spoiled = part.participants - yes - no - abstain;
    const counts: VoteCounts = {
      electorate: v.electorate,
      households: v.households,
      participants: part.participants,
      householdsRepresented: v.body === 'villagers_meeting' ? part.represented : 0,
      yes,
      no,
      abstain,
      spoiled,
    };
    const online = await this.electorates.representativeCounts(em, voteId, v.body);
    const reps = { ...online, representativesYes: online.representativesYes + (paper?.representativesYes ?? 0) };
    const d = decideVote(v.purpose, v.category, v.body, { ...counts, ...reps });
    const stored = v.body === 'representatives_meeting' ? reps : null;
    await this.votes.storeTally(em, voteId, {
      participants: counts.participants,
      householdsRepresented: counts.householdsRepresented,
      yes: counts.yes,
      no: counts.no,
      abstain: counts.abstain,
      spoiled,
      onlineParticipants: part.online,
      assistedParticipants: part.assisted,
      onsiteParticipants: part.onsite,
      outcome: d.outcome,
      rule: d.rule,
      talliedAt: now,
      resultNotified: withdrawn,
      threshold: d.threshold,
      representatives: stored?.representatives ?? null,
      representativesYes: stored?.representativesYes ?? null,
    });
    const system = systemActor('vote-close');
    const expected: ProposalState = v.purpose === 'decision' ? 'voting' : 'party_voting';
    if (v.proposalStatus === expected) {
      await this.transitions.apply(
        em,
        { id: v.proposalId, villageCode: v.villageCode, status: v.proposalStatus },
        TALLY_ACTION[v.purpose][d.outcome],
        'system',
        system,
        { details: { voteId, outcome: d.outcome, ...counts } },
      );
    }
    await this.audit.record(em, {
      actor: system,
      action: 'vote.tally',
      targetType: 'vote',
      targetId: voteId,
      targetDivision: v.villageCode,
      details: { outcome: d.outcome, ...counts },
    });
    return d.outcome;
  }

  /** The scheduler's tick: closes every due vote (one process at a time), then the post-close work and reminders. */
  async closeDueVotes(): Promise<number> {
    const res = await runExclusive(this.db, JobLocks.voteClose, async (em) => {
      const due = await this.votes.dueIds(em, this.clock.now());
      let closed = 0;
      for (const id of due) if (await this.closeVote(em, id)) closed++;
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
    const pending = await this.votes.pendingAfterClose(this.db);
    let shuffled = false;
    for (const id of pending) {
      shuffled = (await this.shuffleBallots(id)) || shuffled;
      await this.notifyResult(id);
    }
    if (shuffled) await this.vacuumBallots();
  }

  private shuffleBallots(voteId: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      if (!(await this.votes.claimShuffle(em, voteId))) return false;
      await this.ballots.shuffle(em, voteId);
      return true;
    });
  }

  private async notifyResult(voteId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const v = await this.votes.claimResultNotice(em, voteId);
      if (!v) return;
      const outcome = v.outcome ? OUTCOME_NAMES[v.outcome] : null;
      await this.notifications.toElectorate(em, voteId, {
        kind: 'result_published',
        proposalId: v.proposalId,
        title: `表决结果：${v.title}`,
        body: `${BODY_NAMES[v.body]}表决结果为"${outcome}"：应到 ${v.electorate} 人，参加 ${v.participants} 人，赞成 ${v.yes}，反对 ${v.no}，弃权 ${v.abstain}。`,
      });
    });
  }

  /** Removes the dead tuples left by the close-time shuffle; best effort, outside any transaction. */
  private async vacuumBallots(): Promise<void> {
    try {
      await this.ballots.vacuum(this.db);
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'vacuum of ballot tables failed');
    }
  }

  /** Tells the electors who have not voted that a vote closes within a day (once per vote). */
  async sendReminders(em: EntityManager): Promise<number> {
    const now = this.clock.now();
    const soon = await this.votes.claimReminders(em, now, new Date(now.getTime() + 24 * 3_600_000));
    for (const v of soon) {
      await this.notifications.toElectorate(
        em,
        v.id,
        {
          kind: 'closing_soon',
          proposalId: v.proposalId,
          title: `表决即将截止：${v.title}`,
          body: `表决将于 ${v.closesAt.toISOString()} 截止，您尚未投票。`,
        },
        true,
      );
    }
    return soon.length;
  }
}
