import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DivisionsModule } from '#divisions';
import { APP_CONFIG, type AppConfig, Clock, type IntervalJob, JobTicks, LOGGER } from '#platform';
import { AuditCatalog } from './audit-catalog.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

@Global()
@Module({
  imports: [DivisionsModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditCatalog],
  exports: [AuditService, AuditCatalog],
})
export class AuditModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sealer: IntervalJob;
  private readonly anchorer: IntervalJob | null;

  constructor(
    audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    clock: Clock,
    @Inject(LOGGER) log: Logger,
    ticks: JobTicks,
  ) {
    // Seals within a second of commit; one process per tick (JobTicks), the advisory lock keeps ticks from overlapping.
    this.sealer = ticks.every('audit.seal', 500, () => audit.seal());
    // AUDIT_ANCHOR_FILE: the chain's head is appended there every AUDIT_ANCHOR_MINUTES when it moved.
    const file = config.auditAnchorFile;
    this.anchorer = file
      ? ticks.every('audit.anchor', config.auditAnchorMinutes * 60_000, async () => {
          const a = await audit.anchorTo(file, clock.now());
          if (a) log.info({ job: 'audit.anchor', seq: a.seq, hash: a.hash }, 'audit chain head anchored');
        })
      : null;
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.sealer.start();
    this.anchorer?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sealer.stop();
    await this.anchorer?.stop();
  }
}
