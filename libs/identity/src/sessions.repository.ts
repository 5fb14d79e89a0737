import { Injectable } from '@nestjs/common';
import { type Grant, HotStatements } from '#platform';
import type { AccountStatus } from './views.js';

/** The guard's view of one session: the account, its person, the session's state and the live grants. */
export interface SessionState {
  accountId: string;
  status: AccountStatus;
  personId: string;
  realName: string;
  homeDivisionCode: string;
  sessionRevoked: boolean;
  sessionExpired: boolean;
  sessionExpiresAt: Date;
  grants: Grant[];
}

/** A row of SESSIONS_SQL: `idx` is the key's 1-based place in the batch (bigint, so text). */
interface SessionStateRow extends SessionState {
  idx: string;
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
 * The session read of the guard: a hot statement (named, prepared once per connection, generic plan;
 * decision 007), hand-written here with its row type, as `sql<Row>` types the others.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly hot: HotStatements) {}

  /** The sessions of `keys`, in the keys' order; null where the account and session do not match. */
  async sessions(keys: readonly { accountId: string; sessionId: string }[]): Promise<(SessionState | null)[]> {
    const rows = await this.hot.rows<SessionStateRow>(SESSIONS_SQL, [keys.map((k) => k.accountId), keys.map((k) => k.sessionId)]);
    const found: (SessionState | null)[] = keys.map(() => null);
    for (const { idx, ...row } of rows) found[Number(idx) - 1] = row;
    return found;
  }
}
