import { Module } from '@nestjs/common';
import { AuditCatalog } from '#audit';
import { ECONOMY_AUDIT_NAMES } from './audit-names.js';
import { CompaniesService } from './companies.service.js';
import { EconomyController } from './economy.controller.js';
import { ExportService } from './export.service.js';
import { ImportService } from './import.service.js';
import { CollectiveRegisters } from './member-registers.js';
import { OrgsService } from './orgs.service.js';
import { EconomyStatsService } from './stats.service.js';
import { YearLocksService } from './year-locks.js';
import { CompaniesRepository } from './companies.repository.js';
import { ExportRepository } from './export.repository.js';
import { HistoryRepository } from './history.repository.js';
import { ImportJobsRepository } from './import-jobs.repository.js';
import { OrgsRepository } from './orgs.repository.js';
import { StatsRepository } from './stats.repository.js';
import { YearLocksRepository } from './year-locks.repository.js';

const REPOSITORIES = [
  OrgsRepository,
  CompaniesRepository,
  HistoryRepository,
  YearLocksRepository,
  StatsRepository,
  ExportRepository,
  ImportJobsRepository,
];

@Module({
  controllers: [EconomyController],
  providers: [
    ...REPOSITORIES,
    CollectiveRegisters,
    OrgsService,
    CompaniesService,
    YearLocksService,
    EconomyStatsService,
    ImportService,
    ExportService,
  ],
  exports: [CollectiveRegisters, OrgsService, CompaniesService, EconomyStatsService],
})
export class EconomyModule {
  constructor(catalog: AuditCatalog) {
    catalog.register(ECONOMY_AUDIT_NAMES);
  }
}
