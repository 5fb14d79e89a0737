import { createHash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32, 0);

/** The fields a row's hash covers, as text exactly as PostgreSQL renders them. */
export interface ChainRow {
  id: string;
  seq: string;
  occurred_at: string;
  account_id: string | null;
  actor_roles: string | null;
  actor_division: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_division: string | null;
  result: string;
  request_id: string | null;
  client_ip: string | null;
  details: string | null;
}

/**
 * A row's hash, by its definition: sha256(prev ‖ JSON.stringify of the fields as text). The sealer
 * computes it in SQL (audit_seal), the verifier byte by byte from binary columns (ChainCheck); the
 * tests hold both to this function.
 */
export function chainHash(prev: Buffer, row: ChainRow): Buffer {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.occurred_at,
    row.account_id,
    row.actor_roles,
    row.actor_division,
    row.action,
    row.target_type,
    row.target_id,
    row.target_division,
    row.result,
    row.request_id,
    row.client_ip,
    row.details,
  ]);
  return createHash('sha256').update(prev).update(canonical, 'utf8').digest();
}
