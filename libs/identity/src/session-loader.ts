import { Injectable } from '@nestjs/common';
import { HotStatements, MicroBatcher, type Grant } from '#platform';
import { SessionCache } from './session-cache.js';

export interface SessionRow {
  accountId: string;
  status: string;
  personId: string;
  realName: string;
  homeDivisionCode: string;
  sessionRevoked: boolean;
  sessionExpired: boolean;
  grants: Grant[];
}

interface LoadedRow extends SessionRow {
  sessionExpiresAt: Date;
}

// Every session the guard needs in this turn of the event loop, in one prepared statement.
const SESSIONS_SQL = `SELECT i.idx, a.id AS "accountId", a.status, p.id AS "personId", p.real_name AS "realName",
        p.home_division_code AS "homeDivisionCode",
        (s.revoked_at IS NOT NULL) AS "sessionRevoked", (s.expires_at <= now()) AS "sessionExpired",
        s.expires_at AS "sessionExpiresAt",
        COALESCE((SELECT json_agg(json_build_object('role', g.role, 'divisionCode', g.division_code) ORDER BY g.division_code, g.role)
                    FROM role_grant g WHERE g.person_id = p.id AND g.revoked_at IS NULL), '[]'::json) AS grants
   FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS i(account_id, session_id, idx)
   JOIN account a ON a.id = i.account_id
   JOIN person p ON p.id = a.person_id
   JOIN auth_session s ON s.id = i.session_id AND s.account_id = a.id`;

/**
 * The account, its session and its live grants: from the session cache when it holds them, else from
 * the database, the misses of concurrent requests together in one prepared query (MicroBatcher). Only
 * an active account with a live session is cached; every refusal is decided on a fresh read.
 */
@Injectable()
export class SessionLoader {
  private readonly batcher: MicroBatcher<{ accountId: string; sessionId: string }, LoadedRow | null>;

  constructor(
    private readonly hot: HotStatements,
    private readonly cache: SessionCache,
  ) {
    this.batcher = new MicroBatcher((keys) => this.loadMany(keys), { maxBatch: 100, maxInFlight: 1 });
  }

  private async loadMany(keys: { accountId: string; sessionId: string }[]): Promise<(LoadedRow | null)[]> {
    const rows = await this.hot.rows<LoadedRow & { idx: string }>(SESSIONS_SQL, [
      keys.map((k) => k.accountId),
      keys.map((k) => k.sessionId),
    ]);
    const found: (LoadedRow | null)[] = keys.map(() => null);
    for (const { idx, ...row } of rows) found[Number(idx) - 1] = row;
    return found;
  }

  async load(accountId: string, sessionId: string): Promise<SessionRow | null> {
    const now = Date.now();
    const hit = this.cache.get(sessionId, accountId, now);
    if (hit) {
      return {
        accountId: hit.accountId,
        status: 'active',
        personId: hit.personId,
        realName: hit.realName,
        homeDivisionCode: hit.homeDivisionCode,
        sessionRevoked: false,
        sessionExpired: false,
        grants: hit.grants,
      };
    }
    const epoch = this.cache.epoch();
    const row = await this.batcher.submit({ accountId, sessionId });
    if (!row) return null;
    if (row.status === 'active' && !row.sessionRevoked && !row.sessionExpired) {
      this.cache.put(
        sessionId,
        {
          accountId: row.accountId,
          personId: row.personId,
          realName: row.realName,
          homeDivisionCode: row.homeDivisionCode,
          grants: row.grants,
          sessionExpiresAt: row.sessionExpiresAt.getTime(),
        },
        epoch,
        now,
      );
    }
    return row;
  }
}
