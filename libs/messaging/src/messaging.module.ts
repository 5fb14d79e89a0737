import { type DynamicModule, Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditCatalog } from '#audit';
import { APP_CONFIG, type AppConfig, type IntervalJob, JobTicks, LOGGER } from '#platform';
import { AliyunSmsProvider } from './aliyun-sms.provider.js';
import { MESSAGING_AUDIT_NAMES } from './audit-names.js';
import { LogSmsProvider } from './log-sms.provider.js';
import { loadMessagingSettings, MESSAGING_SETTINGS, type MessagingSettings } from './messaging-settings.js';
import { Inbox } from './inbox.js';
import { InboxRepository } from './inbox.repository.js';
import { NotificationsController } from './notifications.controller.js';
import { Outbox } from './outbox.js';
import { OutboxController } from './outbox.controller.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxSender } from './outbox-sender.service.js';
import { OutboxService } from './outbox.service.js';
import { SMS_PROVIDER, type SmsProvider } from './sms-provider.js';

/** The provider the configuration names (SMS_PROVIDER). */
export function smsProviderFor(config: AppConfig, log: Logger): SmsProvider {
  return config.sms.provider === 'aliyun' ? new AliyunSmsProvider(config.sms.aliyun) : new LogSmsProvider(log);
}

/**
 * Messages outside the app: the outbox (written by other modules through `Outbox`, in their
 * transactions) and its sender, a job in every process (claims are SKIP LOCKED, so they share the work).
 * Global, so deliberation reaches `Outbox` without importing this module's internals.
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  /** `smsProvider` replaces the configured one (the tests' recording or failing provider: the one boundary they cannot reach). */
  static forRoot(opts: { smsProvider?: SmsProvider } = {}): DynamicModule {
    return {
      module: MessagingModule,
      controllers: [OutboxController, NotificationsController],
      providers: [
        { provide: MESSAGING_SETTINGS, useFactory: () => loadMessagingSettings() },
        {
          provide: SMS_PROVIDER,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (config: AppConfig, log: Logger) => opts.smsProvider ?? smsProviderFor(config, log),
        },
        OutboxRepository,
        Outbox,
        OutboxSender,
        OutboxService,
        InboxRepository,
        Inbox,
      ],
      exports: [Outbox, OutboxSender, Inbox],
    };
  }

  private readonly sender: IntervalJob;

  constructor(
    sender: OutboxSender,
    catalog: AuditCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MESSAGING_SETTINGS) settings: MessagingSettings,
    @Inject(SMS_PROVIDER) provider: SmsProvider,
    @Inject(LOGGER) private readonly log: Logger,
    ticks: JobTicks,
  ) {
    catalog.register(MESSAGING_AUDIT_NAMES);
    this.sender = ticks.every('outbox.send', settings.sendEverySeconds * 1000, () => sender.sendDue());
    if (provider.name === 'log' && config.env === 'production') log.warn('SMS_PROVIDER=log: 短信只写入日志，不会真正发出');
  }

  onApplicationBootstrap(): void {
    if (this.config.jobsEnabled) this.sender.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.stop();
  }
}
