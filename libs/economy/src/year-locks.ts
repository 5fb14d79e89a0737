import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny, levelOfCode } from '#divisions';
import { type Actor, Clock, type Conn } from '#platform';
import { EconomyErrors, inTransaction } from './economy.errors.js';
import { type LockView, YearLocksRepository } from './year-locks.repository.js';

export type { LockView } from './year-locks.repository.js';
/**
 * A year's figures are locked for every record inside a division whose township (or, for county
 * companies and whole-county confirmation, county) has confirmed that year. Unlocking is an explicit,
 * audited action; the lock row stays as history.
 */
@Injectable()
export class YearLocksService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repo: YearLocksRepository,
  ) {}

  /** Throws YEAR_LOCKED when a live lock covers `divisionCode` for `year`; holds it (FOR SHARE) until commit. */
  async assertOpen(em: EntityManager, divisionCode: string, year: number): Promise<void> {
    if (await this.repo.covered(em, divisionCode, year, true)) throw EconomyErrors.yearLocked(year);
  }

  isLocked(conn: Conn, divisionCode: string, year: number): Promise<boolean> {
    return this.repo.covered(conn, divisionCode, year, false);
  }

  private assertDivision(actor: Actor, divisionCode: string): void {
    const level = levelOfCode(divisionCode);
    if (level !== 'township' && level !== 'county') throw EconomyErrors.lockDivisionInvalid();
    if (!isWithinAny(divisionCode, actor.scopesFor('economy.figures.confirm'))) throw EconomyErrors.divisionOutOfScope();
  }

  async confirm(actor: Actor, divisionCode: string, year: number): Promise<LockView> {
    this.assertDivision(actor, divisionCode);
    return inTransaction(this.db, async (em) => {
      if (!(await this.repo.divisionExists(em, divisionCode))) throw EconomyErrors.divisionOutOfScope();
      const lock = await this.repo.lock(em, divisionCode, year, this.clock.now(), actor.accountId);
      if (!lock) throw EconomyErrors.alreadyLocked();
      await this.audit.record(em, {
        actor,
        action: 'economy.year_confirm',
        targetType: 'economy_year_lock',
        targetId: lock.id,
        targetDivision: divisionCode,
        details: { year },
      });
      return lock;
    });
  }

  async unlock(actor: Actor, divisionCode: string, year: number, reason: string): Promise<LockView> {
    this.assertDivision(actor, divisionCode);
    return inTransaction(this.db, async (em) => {
      const lock = await this.repo.unlock(em, divisionCode, year, this.clock.now(), actor.accountId, reason);
      if (!lock) throw EconomyErrors.notLocked();
      await this.audit.record(em, {
        actor,
        action: 'economy.year_unlock',
        targetType: 'economy_year_lock',
        targetId: lock.id,
        targetDivision: divisionCode,
        details: { year, reason },
      });
      return lock;
    });
  }

  async list(actor: Actor, year?: number): Promise<LockView[]> {
    const scopes = actor.scopesFor('economy.org.read').concat(actor.scopesFor('economy.company.read'));
    const all = await this.repo.list(this.db, year);
    // A lock is visible to whoever sees something inside it, or sits inside it.
    return all.filter((l) => scopes.some((s) => s.startsWith(l.divisionCode) || l.divisionCode.startsWith(s)));
  }
}
