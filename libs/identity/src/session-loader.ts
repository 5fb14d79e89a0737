import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Grant } from '#platform';

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

/** One query per request: the account, its session and its live grants, straight from the database. */
@Injectable()
export class SessionLoader {
  constructor(private readonly db: DataSource) {}

  async load(accountId: string, sessionId: string): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.db.query(
      `SELECT a.id AS "accountId", a.status, p.id AS "personId", p.real_name AS "realName",
              p.home_division_code AS "homeDivisionCode",
              (s.revoked_at IS NOT NULL) AS "sessionRevoked", (s.expires_at <= now()) AS "sessionExpired",
              COALESCE((SELECT json_agg(json_build_object('role', g.role, 'divisionCode', g.division_code) ORDER BY g.division_code, g.role)
                          FROM role_grant g WHERE g.person_id = p.id AND g.revoked_at IS NULL), '[]'::json) AS grants
         FROM account a
         JOIN person p ON p.id = a.person_id
         JOIN auth_session s ON s.id = $2 AND s.account_id = a.id
        WHERE a.id = $1`,
      [accountId, sessionId],
    );
    return rows[0] ?? null;
  }
}
