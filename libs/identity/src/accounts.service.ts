import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors } from '#platform';
import { AccountsRepository } from './accounts.repository.js';
import { IdentityErrors } from './identity.errors.js';
import { SessionCache } from './session-cache.js';
import type { AccountStatusView } from './views.js';

@Injectable()
export class AccountsService {
  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessionCache: SessionCache,
  ) {}

  /** Disabling revokes every session: the account is refused on its very next request. */
  async setStatus(actor: Actor, accountId: string, status: 'active' | 'disabled'): Promise<AccountStatusView> {
    const a = await this.accounts.statusAndHome(accountId);
    if (!a || !isWithinAny(a.home, actor.scopesFor('identity.account.manage'))) throw IdentityErrors.accountNotFound();
    if (a.status === 'pending') throw CommonErrors.staleState();
    await this.db.transaction(async (em) => {
      const n = await this.accounts.setStatus(em, accountId, status, this.clock.now());
      if (n !== 1) throw CommonErrors.staleState();
      if (status === 'disabled') await this.accounts.revokeSessionsOf(em, accountId, 'disabled', this.clock.now());
      await this.audit.record(em, {
        actor,
        action: status === 'disabled' ? 'account.disable' : 'account.enable',
        targetType: 'account',
        targetId: accountId,
        targetDivision: a.home,
      });
    });
    this.sessionCache.invalidateAccount(accountId);
    await this.sessionCache.reachEveryProcess();
    return { id: accountId, status };
  }
}
