import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { AuditModule } from '#audit';
import { DeliberationModule } from '#deliberation';
import { DivisionsModule } from '#divisions';
import { EconomyModule } from '#economy';
import { IdentityModule } from '#identity';
import { MediationModule } from '#mediation';
import { MessagingModule, type SmsProvider } from '#messaging';
import { OpennessModule } from '#openness';
import { type AppConfig, Clock, isPooled, PlatformModule } from '#platform';
import { createDataSource } from './data-source.js';

/** Composition only: which modules make up the product. */
@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig & { databaseUrl: string },
    log: Logger,
    clock?: Clock,
    opts: { smsProvider?: SmsProvider } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, log, clock),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => createDataSource(config.databaseUrl, { ...config, pooled: isPooled(config) }, log).initialize(),
        }),
        DivisionsModule,
        AuditModule,
        IdentityModule,
        MessagingModule.forRoot({ smsProvider: opts.smsProvider }),
        DeliberationModule,
        MediationModule,
        OpennessModule,
        EconomyModule,
      ],
    };
  }
}
