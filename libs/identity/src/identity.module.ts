import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuditCatalog } from '#audit';
import { DivisionsModule } from '#divisions';
import { AccessGuard } from './access.guard.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { AuthController, MeController } from './auth.controller.js';
import { IDENTITY_AUDIT_NAMES } from './audit-names.js';
import { AuthService } from './auth.service.js';
import { GrantsRepository } from './grants.repository.js';
import { GrantsService } from './grants.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { PeopleController } from './people.controller.js';
import { PeopleRepository } from './people.repository.js';
import { PeopleService } from './people.service.js';
import { ElectorReads } from './reads/electors.js';
import { PersonNames } from './reads/person-names.js';
import { PersonCards } from './reads/person-cards.js';
import { AttendeeCards } from './reads/attendee-cards.js';
import { RegisterImportService } from './register-import.service.js';
import { SessionCache } from './session-cache.js';
import { SessionLoader } from './session-loader.js';
import { RegisterRecords } from './reads/register-records.js';
import { RoleHolders } from './reads/role-holders.js';
import { SessionsRepository } from './sessions.repository.js';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({}), DivisionsModule],
  controllers: [AuthController, MeController, PeopleController],
  providers: [
    JwtStrategy,
    SessionCache,
    SessionLoader,
    SessionsRepository,
    AccountsRepository,
    PeopleRepository,
    GrantsRepository,
    AuthService,
    PeopleService,
    RegisterImportService,
    GrantsService,
    AccountsService,
    ElectorReads,
    PersonNames,
    PersonCards,
    AttendeeCards,
    { provide: APP_GUARD, useClass: AccessGuard },
    RoleHolders,
    RegisterRecords,
  ],
  exports: [
    AuthService,
    PeopleService,
    GrantsService,
    SessionCache,
    RoleHolders,
    RegisterRecords,
    ElectorReads,
    PersonNames,
    PersonCards,
    AttendeeCards,
  ],
})
export class IdentityModule {
  constructor(catalog: AuditCatalog) {
    catalog.register(IDENTITY_AUDIT_NAMES);
  }
}
