import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditCatalog } from '#audit';
import { APP_CONFIG, type AppConfig, type IntervalJob, JobTicks } from '#platform';
import { DeliberationModule } from '#deliberation';
import { DivisionsModule } from '#divisions';
import { OPENNESS_AUDIT_NAMES } from './audit-names.js';
import { DisclosuresController } from './disclosures.controller.js';
import { DisclosuresRepository } from './disclosures.repository.js';
import { DisclosuresService } from './disclosures.service.js';
import { OpennessNotices } from './openness-notices.js';
import { FinanceExportService } from './finance-export.service.js';
import { FinanceImportService } from './finance-import.service.js';
import { FinanceIoController } from './finance-io.controller.js';
import { FinanceIoRepository } from './finance-io.repository.js';
import { loadOpennessSettings, OPENNESS_SETTINGS } from './openness-settings.js';
import { QueriesController } from './queries.controller.js';
import { QueriesRepository } from './queries.repository.js';
import { QueriesService } from './queries.service.js';
import { RemindersRepository } from './reminders.repository.js';
import { RemindersService } from './reminders.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';
import { OversightController } from './oversight.controller.js';
import { OversightRepository } from './oversight.repository.js';
import { OversightService } from './oversight.service.js';

/**
 * 村务共管: disclosures (村务公开、财务公开) with the supervision committee's review, villagers' queries, the
 * schedule and the township's watch (issue 15; docs/decisions/050-village-affairs-openness.md).
 */
@Module({
  imports: [DivisionsModule, DeliberationModule],
  controllers: [DisclosuresController, FinanceIoController, QueriesController, OversightController, OrdersController],
  providers: [
    { provide: OPENNESS_SETTINGS, useFactory: () => loadOpennessSettings() },
    DisclosuresRepository,
    DisclosuresService,
    OpennessNotices,
    FinanceIoRepository,
    FinanceImportService,
    FinanceExportService,
    QueriesRepository,
    QueriesService,
    OversightRepository,
    OversightService,
    OrdersRepository,
    OrdersService,
    RemindersRepository,
    RemindersService,
  ],
  exports: [DisclosuresService, RemindersService],
})
export class OpennessModule implements OnApplicationBootstrap, OnApplicationShutdown {
  /** The schedule's reminders: hourly (a process that starts catches up at once; each reminder goes once). */
  private readonly reminders: IntervalJob;

  constructor(
    catalog: AuditCatalog,
    reminders: RemindersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    ticks: JobTicks,
  ) {
    catalog.register(OPENNESS_AUDIT_NAMES);
    this.reminders = ticks.every('openness.reminders', 3_600_000, () => reminders.run());
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.reminders.start();
    void this.reminders.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reminders.stop();
  }
}
