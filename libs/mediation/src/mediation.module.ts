import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditCatalog } from '#audit';
import { DivisionsModule } from '#divisions';
import { APP_CONFIG, type AppConfig, type IntervalJob, JobTicks } from '#platform';
import { MEDIATION_AUDIT_NAMES } from './audit-names.js';
import { AgreementsRepository } from './agreements.repository.js';
import { CaseFactsService } from './case-facts.service.js';
import { CaseIntakeService } from './case-intake.service.js';
import { CaseRecordsRepository } from './case-records.repository.js';
import { CaseReadsService } from './case-reads.service.js';
import { CaseWorkflowService } from './case-workflow.service.js';
import { CasesRepository } from './cases.repository.js';
import { MediationController } from './mediation.controller.js';
import { loadMediationSettings, MEDIATION_SETTINGS } from './mediation-settings.js';
import { OverdueJobService } from './overdue-job.service.js';
import { PartiesRepository } from './parties.repository.js';
import { StatsRepository } from './stats.repository.js';
import { StatsService } from './stats.service.js';

const DAY_MS = 86_400_000;

@Module({
  imports: [DivisionsModule],
  controllers: [MediationController],
  providers: [
    { provide: MEDIATION_SETTINGS, useFactory: () => loadMediationSettings() },
    CasesRepository,
    PartiesRepository,
    CaseRecordsRepository,
    AgreementsRepository,
    StatsRepository,
    CaseFactsService,
    CaseIntakeService,
    CaseWorkflowService,
    CaseReadsService,
    StatsService,
    OverdueJobService,
  ],
  exports: [CaseIntakeService, CaseWorkflowService, CaseReadsService, StatsService, OverdueJobService],
})
export class MediationModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly overdue: IntervalJob;

  constructor(
    job: OverdueJobService,
    catalog: AuditCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    ticks: JobTicks,
  ) {
    catalog.register(MEDIATION_AUDIT_NAMES);
    this.overdue = ticks.every('mediation.overdue', DAY_MS, () => job.markOverdue());
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.overdue.start();
    // A process that starts after a long stop catches up at once rather than a day later.
    void this.overdue.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.overdue.stop();
  }
}
