import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny, levelOfCode } from '#divisions';
import { type Actor, Clock, queryRows } from '#platform';
import { EconomyErrors, inTransaction } from './economy.errors.js';

export interface LockView {
  id: string;
  divisionCode: string;
  year: number;
  lockedAt: string;
  unlockedAt: string | null;
  unlockReason: string | null;
}

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
  ) {}

  /** Throws YEAR_LOCKED when a live lock covers `divisionCode` for `year`; holds it (FOR SHARE) until commit. */
  async assertOpen(em: EntityManager, divisionCode: string, year: number): Promise<void> {
    const rows = await queryRows(
      em,
      `SELECT 1 FROM economy_year_lock WHERE year = $2 AND unlocked_at IS NULL AND $1 LIKE division_code || '%' FOR SHARE`,
      [divisionCode, year],
    );
    if (rows.length) throw EconomyErrors.yearLocked(year);
  }

  async isLocked(em: Pick<EntityManager, 'query'>, divisionCode: string, year: number): Promise<boolean> {
    const rows = await queryRows(
      em,
      `SELECT 1 FROM economy_year_lock WHERE year = $2 AND unlocked_at IS NULL AND $1 LIKE division_code || '%'`,
      [divisionCode, year],
    );
    return rows.length > 0;
  }

  private assertDivision(actor: Actor, divisionCode: string): void {
    const level = levelOfCode(divisionCode);
    if (level !== 'township' && level !== 'county') throw EconomyErrors.lockDivisionInvalid();
    if (!isWithinAny(divisionCode, actor.scopesFor('economy.figures.confirm'))) throw EconomyErrors.divisionOutOfScope();
  }

  async confirm(actor: Actor, divisionCode: string, year: number): Promise<LockView> {
    this.assertDivision(actor, divisionCode);
    return inTransaction(this.db, async (em) => {
      const exists = await queryRows(em, `SELECT 1 FROM division WHERE code = $1`, [divisionCode]);
      if (!exists.length) throw EconomyErrors.divisionOutOfScope();
      const rows = await queryRows<LockView>(
        em,
        `INSERT INTO economy_year_lock (division_code, year, locked_at, locked_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (division_code, year) WHERE unlocked_at IS NULL DO NOTHING
         RETURNING id, division_code AS "divisionCode", year, locked_at AS "lockedAt", unlocked_at AS "unlockedAt", unlock_reason AS "unlockReason"`,
        [divisionCode, year, this.clock.now(), actor.accountId],
      );
      if (!rows.length) throw EconomyErrors.alreadyLocked();
      await this.audit.record(em, {
        actor,
        action: 'economy.year_confirm',
        targetType: 'economy_year_lock',
        targetId: rows[0].id,
        targetDivision: divisionCode,
        details: { year },
      });
      return rows[0];
    });
  }

  async unlock(actor: Actor, divisionCode: string, year: number, reason: string): Promise<LockView> {
    this.assertDivision(actor, divisionCode);
    return inTransaction(this.db, async (em) => {
      const rows = await queryRows<LockView>(
        em,
        `UPDATE economy_year_lock SET unlocked_at = $3, unlocked_by = $4, unlock_reason = $5
          WHERE division_code = $1 AND year = $2 AND unlocked_at IS NULL
        RETURNING id, division_code AS "divisionCode", year, locked_at AS "lockedAt", unlocked_at AS "unlockedAt", unlock_reason AS "unlockReason"`,
        [divisionCode, year, this.clock.now(), actor.accountId, reason],
      );
      if (!rows.length) throw EconomyErrors.notLocked();
      await this.audit.record(em, {
        actor,
        action: 'economy.year_unlock',
        targetType: 'economy_year_lock',
        targetId: rows[0].id,
        targetDivision: divisionCode,
        details: { year, reason },
      });
      return rows[0];
    });
  }

  async list(actor: Actor, year?: number): Promise<LockView[]> {
    const scopes = actor.scopesFor('economy.org.read').concat(actor.scopesFor('economy.company.read'));
    const all = await queryRows<LockView>(
      this.db,
      `SELECT id, division_code AS "divisionCode", year, locked_at AS "lockedAt", unlocked_at AS "unlockedAt", unlock_reason AS "unlockReason"
         FROM economy_year_lock WHERE ($1::int IS NULL OR year = $1) ORDER BY year DESC, division_code, locked_at`,
      [year ?? null],
    );
    // A lock is visible to whoever sees something inside it, or sits inside it.
    return all.filter((l) => scopes.some((s) => s.startsWith(l.divisionCode) || l.divisionCode.startsWith(s)));
  }
}
