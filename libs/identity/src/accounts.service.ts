import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, CommonErrors, execute, queryRows } from '#platform';
import { IdentityErrors } from './identity.errors.js';
import { SessionCache } from './session-cache.js';

@Injectable()
export class AccountsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessionCache: SessionCache,
  ) {}

  /** Disabling revokes every session: the account is refused on its very next request. */
  async setStatus(actor: Actor, accountId: string, status: 'active' | 'disabled'): Promise<{ id: string; status: string }> {
    const [a] = await queryRows<{ home: string; status: string }>(
      this.db,
      `SELECT p.home_division_code AS home, a.status FROM account a JOIN person p ON p.id = a.person_id WHERE a.id = $1`,
      [accountId],
    );
    if (!a || !isWithinAny(a.home, actor.scopesFor('identity.account.manage'))) throw IdentityErrors.accountNotFound();
    if (a.status === 'pending') throw CommonErrors.staleState();
    await this.db.transaction(async (em) => {
      const n = await execute(em, `UPDATE account SET status = $2, updated_at = $3 WHERE id = $1 AND status <> 'pending'`, [
        accountId,
        status,
        this.clock.now(),
      ]);
      if (n !== 1) throw CommonErrors.staleState();
      if (status === 'disabled') {
        await em.query(`UPDATE auth_session SET revoked_at = $2, revoke_reason = 'disabled' WHERE account_id = $1 AND revoked_at IS NULL`, [
          accountId,
          this.clock.now(),
        ]);
      }
      await this.audit.record(em, {
        actor,
        action: status === 'disabled' ? 'account.disable' : 'account.enable',
        targetType: 'account',
        targetId: accountId,
        targetDivision: a.home,
      });
    });
    this.sessionCache.invalidateAccount(accountId);
    return { id: accountId, status };
  }
}
