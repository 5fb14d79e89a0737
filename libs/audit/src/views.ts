/** The audit module's answers (the web imports this file: types only, no server code). */

export type AuditResult = 'success' | 'denied' | 'failure';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  unsealed: number;
  /** How many of the anchors given were found in the chain and matched. */
  anchorsMatched: number;
  /**
   * The first row that does not fit: its hash is not what its content and predecessor give, its
   * predecessor's hash is not the one it recorded, a number is missing, or its hash is not the one an
   * anchor published (`anchor_mismatch`). `anchor_missing`: an anchor names a row beyond the chain's
   * end (rows removed from the end); `id` is then null.
   */
  firstBroken: {
    seq: string;
    id: string | null;
    reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'anchor_mismatch' | 'anchor_missing';
  } | null;
}

/** The chain's newest sealed row. */
export interface ChainHead {
  seq: string;
  hash: string;
  occurredAt: string;
}

export interface AuditHeadView {
  /** Null while nothing is sealed. */
  head: ChainHead | null;
}

export interface AuditView {
  id: string;
  seq: string | null;
  occurredAt: string;
  accountId: string | null;
  /** The acting person's name (null: nobody logged in, or the system). */
  actorName: string | null;
  actorRoles: string | null;
  actorDivision: string | null;
  actorDivisionName: string | null;
  action: string;
  actionName: string;
  targetType: string | null;
  targetTypeName: string | null;
  targetDivisionName: string | null;
  targetId: string | null;
  targetDivision: string | null;
  result: AuditResult;
  requestId: string | null;
  clientIp: string | null;
  /** What the writer recorded beside the row (an object; never personal data in clear). */
  details: Record<string, unknown> | null;
}
