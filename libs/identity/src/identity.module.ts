import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuditCatalog } from '#audit';
import { DivisionsModule } from '#divisions';
import { AccessGuard } from './access.guard.js';
import { AccountsService } from './accounts.service.js';
import { AuthController, MeController } from './auth.controller.js';
import { IDENTITY_AUDIT_NAMES } from './audit-names.js';
import { AuthService } from './auth.service.js';
import { GrantsService } from './grants.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { PeopleController } from './people.controller.js';
import { PeopleService } from './people.service.js';
import { PersonCards } from './reads/person-cards.js';
import { RegisterImportService } from './register-import.service.js';
import { SessionCache } from './session-cache.js';
import { SessionLoader } from './session-loader.js';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({}), DivisionsModule],
  controllers: [AuthController, MeController, PeopleController],
  providers: [
    JwtStrategy,
    SessionCache,
    SessionLoader,
    AuthService,
    PeopleService,
    RegisterImportService,
    GrantsService,
    AccountsService,
    PersonCards,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, PeopleService, GrantsService, SessionCache, PersonCards],
})
export class IdentityModule {
  constructor(catalog: AuditCatalog) {
    catalog.register(IDENTITY_AUDIT_NAMES);
  }
}
