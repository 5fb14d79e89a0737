import type { AuditResult } from './views.js';

/** Who did it, as seen by the audit log. Identity's Actor satisfies this shape. */
export interface AuditActor {
  accountId: string | null;
  roles?: readonly string[];
  divisionCode?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

export type { AuditResult } from './views.js';

export interface AuditEntry {
  actor: AuditActor | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  targetDivision?: string | null;
  result?: AuditResult;
  /** Never personal data in clear, never a secret ballot's choice. */
  details?: Record<string, unknown> | null;
  /**
   * Listed only to readers who hold `audit.read_restricted` over the target's division (stored as
   * `details.restricted = true`): a row that names a disciplinary sanction (the grant of 留党察看,
   * docs/decisions/065-party-probation-no-vote.md).
   */
  restricted?: boolean;
}
