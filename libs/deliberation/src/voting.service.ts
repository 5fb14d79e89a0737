import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { Electorates, shanghaiDay } from './electorate.js';
import { MATTER_RULES, villagersMeetingOfMembers } from './matter-rules.js';
import { type BallotType, CATEGORY_NAMES, type Category } from './names.js';
import { MeetingsRepository } from './meetings.repository.js';
import { NotificationsService } from './notifications.service.js';
import { BODY_NAMES, type Outcome, type VotingBody } from './quorum.js';
import { VoteResults } from './vote-results.service.js';
import { VoteTally } from './vote-tally.service.js';
import type { ResultView } from './views.js';
import { VotesRepository } from './votes.repository.js';

export type { BallotType, Choice } from './names.js';
export type { ResultView, TurnoutView } from './views.js';
export { newReceiptCode } from './ballot-box.service.js';

/**
 * A proposal's votes as the rest of the lib sees them: opening one (with its frozen electorate), and
 * the close and result, which VoteTally and VoteResults do. Ballots are BallotBox's.
 */
@Injectable()
export class VotingService {
  constructor(
    private readonly clock: Clock,
    private readonly votes: VotesRepository,
    private readonly electorates: Electorates,
    private readonly notifications: NotificationsService,
    private readonly tally: VoteTally,
    private readonly results: VoteResults,
    private readonly meetings: MeetingsRepository,
  ) {}

  /**
   * Opens a vote now and freezes its electorate (inside the caller's transaction, which also moves
   * the proposal into voting / party_voting). Tells the electorate. A 村民会议 on a land matter is
   * seated from the collective organization's member register; with no adult member it is refused.
   */
  async openVote(
    em: EntityManager,
    p: { id: string; villageCode: string; title: string; category: Category },
    v: { purpose: 'party_review' | 'decision'; body: VotingBody; ballotType: BallotType; allowChange: boolean; closesAt: Date },
  ): Promise<{ voteId: string; electorate: number; households: number }> {
    const now = this.clock.now();
    if (!(v.closesAt.getTime() > now.getTime() + 60_000) || v.closesAt.getTime() > now.getTime() + 60 * 86_400_000) {
      throw DeliberationErrors.voteWindowInvalid();
    }
    const day = shanghaiDay(now);
    const voteId = await this.votes.insert(em, {
      proposalId: p.id,
      purpose: v.purpose,
      body: v.body,
      ballotType: v.ballotType,
      allowChange: v.allowChange,
      opensAt: now,
      closesAt: v.closesAt,
      referenceDay: day,
    });
    // A decision vote takes its parts (on site, online) from the meeting arranged for it, if any.
    if (v.purpose === 'decision') {
      const parts = await this.meetings.parts(em, p.id);
      if (parts) await this.meetings.setVoteParts(em, voteId, parts);
    }
    const counts = await this.electorates.freeze(em, voteId, p.villageCode, v.body, p.category, day);
    // A land matter's 村民会议 is its organization's adult members (decision 064): no register, no vote.
    const land = MATTER_RULES[p.category].bodies.villagers_meeting;
    if (counts.electorate === 0 && v.body === 'villagers_meeting' && villagersMeetingOfMembers(p.category) && land.allowed) {
      throw DeliberationErrors.landElectorateEmpty(CATEGORY_NAMES[p.category], land.source, day);
    }
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

  /** Closes one due vote in the caller's transaction (VoteTally.closeVote). */
  closeVote(em: EntityManager, voteId: string, withdrawn = false): Promise<Outcome | null> {
    return this.tally.closeVote(em, voteId, withdrawn);
  }

  /** The scheduler's tick (VoteTally.closeDueVotes). */
  closeDueVotes(): Promise<number> {
    return this.tally.closeDueVotes();
  }

  /** The post-close work (VoteTally.afterClose). */
  afterClose(): Promise<void> {
    return this.tally.afterClose();
  }

  /** A closed vote's result. */
  resultOf(em: EntityManager, voteId: string): Promise<ResultView> {
    return this.results.resultOf(em, voteId);
  }
}
