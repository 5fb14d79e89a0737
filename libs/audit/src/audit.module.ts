import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig, IntervalJob, LOGGER } from '#platform';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sealer: IntervalJob;

  constructor(
    audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) log: Logger,
  ) {
    // Seals within a second of commit; the advisory lock keeps several processes from racing.
    this.sealer = new IntervalJob('audit.seal', 500, () => audit.seal(), log);
  }

  onApplicationBootstrap(): void {
    if (this.config.jobsEnabled) this.sealer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sealer.stop();
  }
}
