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

@Module({
  controllers: [EconomyController],
  providers: [CollectiveRegisters, OrgsService, CompaniesService, YearLocksService, EconomyStatsService, ImportService, ExportService],
  exports: [CollectiveRegisters, OrgsService, CompaniesService, EconomyStatsService],
})
export class EconomyModule {
  constructor(catalog: AuditCatalog) {
    catalog.register(ECONOMY_AUDIT_NAMES);
  }
}
