import type { AuditActorColumns } from './audit.service.js';

/**
 * The audit lib's part of a statement that writes its change and its audit rows together (the
 * batched ballot: one statement per batch on the hot path, decision 003 and docs/secret-ballot.md).
 * audit_log's SQL stays here: the statement's input carries each row's actor columns
 * (`AUDIT_ACTOR_INPUT`, encoded as AuditService.actorColumns encodes them), and
 * `auditInsertSelectSql` inserts one unsealed audit row per row of a CTE, in `orderBy` order. Their
 * ids follow that order, and the sealer chains committed rows in id order, as for any other writer.
 */

/** An input column of a batched statement: its name in the statement, its PostgreSQL type, its value. */
export interface AuditInputColumn {
  readonly name: 'account_id' | 'roles' | 'division' | 'request_id' | 'ip';
  readonly type: 'uuid' | 'text' | 'varchar';
  readonly value: (a: AuditActorColumns) => string | null;
}

/** The actor's columns as a batched statement takes them (one array each, in this order). */
export const AUDIT_ACTOR_INPUT: readonly AuditInputColumn[] = [
  { name: 'account_id', type: 'uuid', value: (a) => a.accountId },
  { name: 'roles', type: 'text', value: (a) => a.roles },
  { name: 'division', type: 'varchar', value: (a) => a.division },
  { name: 'request_id', type: 'text', value: (a) => a.requestId },
  { name: 'ip', type: 'text', value: (a) => a.ip },
];

export interface AuditInsertSelect {
  /** The CTE the rows come from; it has the columns of AUDIT_ACTOR_INPUT. */
  from: string;
  /** A constant action code and target type (checked: lower-case words and dots). */
  action: string;
  targetType: string;
  /** SQL expressions over `from`. */
  targetId: string;
  targetDivision: string;
  /** A jsonb expression: never personal data in clear, never a secret ballot's choice. */
  details: string;
  /** The order of the rows, hence of their ids and of their place in the chain. */
  orderBy: string;
}

const CODE = /^[a-z_]+(\.[a-z_]+)*$/;

/** `INSERT INTO audit_log … SELECT … FROM <from> ORDER BY <orderBy>`: successful actions, unsealed. */
export function auditInsertSelectSql(s: AuditInsertSelect): string {
  if (!CODE.test(s.action) || !CODE.test(s.targetType)) throw new Error(`not an audit code: ${s.action} / ${s.targetType}`);
  return `INSERT INTO audit_log (account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip, details)
  SELECT account_id, roles, division, '${s.action}', '${s.targetType}', ${s.targetId}, ${s.targetDivision}, 'success', request_id, ip,
         ${s.details}
    FROM ${s.from} ORDER BY ${s.orderBy}`;
}
