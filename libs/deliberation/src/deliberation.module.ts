import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditCatalog } from '#audit';
import { DivisionsModule } from '#divisions';
import { EconomyModule } from '#economy';
import { APP_CONFIG, type AppConfig, type IntervalJob, JobTicks } from '#platform';
import { DELIBERATION_AUDIT_NAMES } from './audit-names.js';
import { DELIBERATION_SETTINGS, loadDeliberationSettings } from './deliberation-settings.js';
import { ApprovalsService } from './approvals.service.js';
import { AuthorisationsController } from './authorisations.controller.js';
import { AuthorisationsService } from './authorisations.service.js';
import { MeetingNoticeService } from './meeting-notice.service.js';
import { DiscussionController } from './discussion.controller.js';
import { DiscussionService } from './discussion.service.js';
import { JointRequestsController } from './joint-requests.controller.js';
import { JointRequestsService } from './joint-requests.service.js';
import { NoticesController } from './notices.controller.js';
import { NoticesService } from './notices.service.js';
import { NotificationsService } from './notifications.service.js';
import { ProposalStatsController } from './proposal-stats.controller.js';
import { ProposalStatsService } from './proposal-stats.service.js';
import { ProposalTransitions } from './proposal-transitions.js';
import { ProposalsController } from './proposals.controller.js';
import { ProposalsService } from './proposals.service.js';
import { VotingController } from './voting.controller.js';
import { VotingService } from './voting.service.js';
// The proposals side's repositories (proposals, discussion, joint requests, statistics).
import { CommentsRepository } from './comments.repository.js';
import { JointRequestsRepository } from './joint-requests.repository.js';
import { ProposalStatsRepository } from './proposal-stats.repository.js';
import { ProposalsRepository } from './proposals.repository.js';
import { BallotBox } from './ballot-box.service.js';
import { BallotsRepository } from './ballots.repository.js';
import { Electorates } from './electorate.js';
import { ElectorateRepository } from './electorate.repository.js';
import { VoteResults } from './vote-results.service.js';
import { VoteTally } from './vote-tally.service.js';
import { VotesRepository } from './votes.repository.js';
import { MeetingsRepository } from './meetings.repository.js';
import { MeetingsService } from './meetings.service.js';
import { MeetingsController } from './meetings.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { AuthorisationsRepository } from './authorisations.repository.js';
import { MeetingNoticesRepository } from './meeting-notices.repository.js';
import { NoticesRepository } from './notices.repository.js';
import { ApprovalsRepository } from './approvals.repository.js';

/** 村事共议. The vote-close scheduler runs in every process; the advisory lock lets one act per tick. */
@Module({
  // The collective organization's registers seat the 成员大会 and the 成员代表大会 (economy's exported service).
  imports: [EconomyModule, DivisionsModule],
  controllers: [
    ProposalsController,
    VotingController,
    DiscussionController,
    NoticesController,
    JointRequestsController,
    ProposalStatsController,
    AuthorisationsController,
    MeetingsController,
  ],
  providers: [
    { provide: DELIBERATION_SETTINGS, useFactory: () => loadDeliberationSettings() },
    ProposalStatsService,
    AuthorisationsService,
    ApprovalsService,
    MeetingNoticeService,
    ProposalTransitions,
    NotificationsService,
    VotingService,
    BallotBox,
    VoteTally,
    VoteResults,
    Electorates,
    BallotsRepository,
    VotesRepository,
    MeetingsRepository,
    MeetingsService,
    ElectorateRepository,
    NotificationsRepository,
    AuthorisationsRepository,
    MeetingNoticesRepository,
    NoticesRepository,
    ApprovalsRepository,
    ProposalsService,
    NoticesService,
    DiscussionService,
    JointRequestsService,
    // The proposals side's repositories.
    ProposalsRepository,
    CommentsRepository,
    JointRequestsRepository,
    ProposalStatsRepository,
  ],
  exports: [ProposalsService, VotingService, NoticesService],
})
export class DeliberationModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly closer: IntervalJob;

  constructor(
    voting: VotingService,
    catalog: AuditCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    ticks: JobTicks,
  ) {
    catalog.register(DELIBERATION_AUDIT_NAMES);
    this.closer = ticks.every('vote.close', 15_000, () => voting.closeDueVotes());
  }

  onApplicationBootstrap(): void {
    if (this.config.jobsEnabled) this.closer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closer.stop();
  }
}
