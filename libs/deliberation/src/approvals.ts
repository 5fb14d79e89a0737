/**
 * Where a resolution stands with the approvals its matter needs after the vote (农村土地承包法 Art. 28 ¶2,
 * 52 ¶1; matter-rules.ts `approvals`). Pure: the service and the database (proposal_missing_approvals)
 * apply the same rule.
 */
import type { ApprovalAuthority, ApprovalDecision, ApprovalsStatus } from './names.js';

export interface RecordedDecision {
  authority: ApprovalAuthority;
  decision: ApprovalDecision;
}

/**
 * - `not_required`: the matter needs no approval;
 * - `refused`: one of the authorities it needs refused (the resolution does not take effect, whatever the others said);
 * - `approved`: every authority it needs approved;
 * - `pending`: otherwise.
 * Decisions of authorities the matter does not name are ignored.
 */
export function approvalsStatus(needed: readonly ApprovalAuthority[], recorded: readonly RecordedDecision[]): ApprovalsStatus {
  if (!needed.length) return 'not_required';
  const relevant = recorded.filter((r) => needed.includes(r.authority));
  if (relevant.some((r) => r.decision === 'refused')) return 'refused';
  if (needed.every((a) => relevant.some((r) => r.authority === a && r.decision === 'approved'))) return 'approved';
  return 'pending';
}

/** The authorities the matter needs whose approval is not recorded yet, in the matter's order. */
export function missingApprovals(needed: readonly ApprovalAuthority[], recorded: readonly RecordedDecision[]): ApprovalAuthority[] {
  return needed.filter((a) => !recorded.some((r) => r.authority === a && r.decision === 'approved'));
}
