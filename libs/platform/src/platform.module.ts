import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from './config/app-config.js';
import { Clock, SystemClock } from './clock/clock.js';
import { LOGGER } from './logging.js';
import { PiiCipher } from './pii/pii-cipher.js';
import { HealthController } from './http/health.controller.js';
import { HotStatements } from './database/hot-statements.js';
import { ProductionMarker } from './database/production-marker.js';
import { DatabaseOutageWatch } from './database/outage-log.js';
import { ReadCache } from './database/read-cache.js';
import { PoolerSettingsCheck } from './database/pooler-check.js';
import { ReportingDb } from './database/reporting-db.js';
import { JobTicks } from './jobs/job-ticks.js';

@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, log: Logger, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: log },
        { provide: Clock, useValue: clock },
        { provide: PiiCipher, useValue: new PiiCipher(config.piiEncryptionKey, config.piiHashKey) },
        HotStatements,
        ProductionMarker,
        DatabaseOutageWatch,
        ReadCache,
        PoolerSettingsCheck,
        ReportingDb,
        JobTicks,
      ],
      controllers: [HealthController],
      exports: [APP_CONFIG, LOGGER, Clock, PiiCipher, HotStatements, ReadCache, ReportingDb, JobTicks],
    };
  }
}
