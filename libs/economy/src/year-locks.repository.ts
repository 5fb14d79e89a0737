import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { LockView } from './views.js';

export type { LockView } from './views.js';

interface LockRow {
  id: string;
  divisionCode: string;
  year: number;
  lockedAt: Date;
  unlockedAt: Date | null;
  unlockReason: string | null;
}

const viewOf = (r: LockRow): LockView => ({
  id: r.id,
  divisionCode: r.divisionCode,
  year: r.year,
  lockedAt: r.lockedAt.toISOString(),
  unlockedAt: r.unlockedAt ? r.unlockedAt.toISOString() : null,
  unlockReason: r.unlockReason,
});

/** economy_year_lock: a live lock covers every division under its own (`$code LIKE division_code || '%'`). */
@Injectable()
export class YearLocksRepository {
  /** Whether a live lock covers `divisionCode` for `year`; `share` holds the lock row (FOR SHARE) until commit. */
  async covered(conn: Conn, divisionCode: string, year: number, share: boolean): Promise<boolean> {
    const { rows } = share
      ? await sql<{ one: number }>`SELECT 1 AS one FROM economy_year_lock
          WHERE year = ${year} AND unlocked_at IS NULL AND ${divisionCode} LIKE division_code || '%' FOR SHARE`.execute(dbOf(conn))
      : await sql<{ one: number }>`SELECT 1 AS one FROM economy_year_lock
          WHERE year = ${year} AND unlocked_at IS NULL AND ${divisionCode} LIKE division_code || '%'`.execute(dbOf(conn));
    return rows.length > 0;
  }

  async divisionExists(conn: Conn, code: string): Promise<boolean> {
    return (await dbOf(conn).selectFrom('division').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
  }

  /** The new live lock; undefined when one is already live (ON CONFLICT … DO NOTHING). */
  async lock(conn: Conn, divisionCode: string, year: number, at: Date, accountId: string | null): Promise<LockView | undefined> {
    const { rows } = await sql<LockRow>`INSERT INTO economy_year_lock (division_code, year, locked_at, locked_by)
      VALUES (${divisionCode}, ${year}, ${at}, ${accountId})
      ON CONFLICT (division_code, year) WHERE unlocked_at IS NULL DO NOTHING
      RETURNING id, division_code AS "divisionCode", year, locked_at AS "lockedAt", unlocked_at AS "unlockedAt", unlock_reason AS "unlockReason"`.execute(
      dbOf(conn),
    );
    return rows[0] && viewOf(rows[0]);
  }

  /** Ends the live lock (UPDATE … WHERE unlocked_at IS NULL); undefined when none is live. */
  async unlock(
    conn: Conn,
    divisionCode: string,
    year: number,
    at: Date,
    accountId: string | null,
    reason: string,
  ): Promise<LockView | undefined> {
    const { rows } =
      await sql<LockRow>`UPDATE economy_year_lock SET unlocked_at = ${at}, unlocked_by = ${accountId}, unlock_reason = ${reason}
       WHERE division_code = ${divisionCode} AND year = ${year} AND unlocked_at IS NULL
      RETURNING id, division_code AS "divisionCode", year, locked_at AS "lockedAt", unlocked_at AS "unlockedAt", unlock_reason AS "unlockReason"`.execute(
        dbOf(conn),
      );
    return rows[0] && viewOf(rows[0]);
  }

  async list(conn: Conn, year?: number): Promise<LockView[]> {
    let q = dbOf(conn)
      .selectFrom('economy_year_lock')
      .select([
        'id',
        'division_code as divisionCode',
        'year',
        'locked_at as lockedAt',
        'unlocked_at as unlockedAt',
        'unlock_reason as unlockReason',
      ]);
    if (year !== undefined) q = q.where('year', '=', year);
    const rows = await q.orderBy('year', 'desc').orderBy('division_code').orderBy('locked_at').execute();
    return rows.map(viewOf);
  }
}
