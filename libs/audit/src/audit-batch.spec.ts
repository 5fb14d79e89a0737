import { AUDIT_ACTOR_INPUT, auditInsertSelectSql } from './audit-batch.js';

describe('auditInsertSelectSql (the audit part of a batched statement)', () => {
  const part = {
    from: 'taken',
    action: 'ballot.cast',
    targetType: 'vote',
    targetId: 'vote_id::text',
    targetDivision: 'village_code',
    details: `jsonb_build_object('proposalId', proposal_id::text)`,
    orderBy: 'idx',
  };

  it('inserts unsealed successful rows from the CTE in the order given (the chain follows id order)', () => {
    const text = auditInsertSelectSql(part).replace(/\s+/g, ' ');
    expect(text).toContain(
      'INSERT INTO audit_log (account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip, details)',
    );
    expect(text).toContain(
      "SELECT account_id, roles, division, 'ballot.cast', 'vote', vote_id::text, village_code, 'success', request_id, ip, jsonb_build_object('proposalId', proposal_id::text) FROM taken ORDER BY idx",
    );
    expect(text).not.toMatch(/seq|prev_hash|hash/);
  });

  it('takes only audit codes as the constant action and target type (nothing to inject)', () => {
    expect(() => auditInsertSelectSql({ ...part, action: "x', 'y" })).toThrow(/not an audit code/);
    expect(() => auditInsertSelectSql({ ...part, targetType: 'Vote' })).toThrow(/not an audit code/);
  });

  it('names the actor columns the statement reads, encoded as AuditService encodes them', () => {
    expect(AUDIT_ACTOR_INPUT.map((c) => c.name)).toEqual(['account_id', 'roles', 'division', 'request_id', 'ip']);
    const a = { accountId: 'acc', roles: 'resident', division: '140428101200', requestId: 'req', ip: '10.0.0.1' };
    expect(AUDIT_ACTOR_INPUT.map((c) => c.value(a))).toEqual(['acc', 'resident', '140428101200', 'req', '10.0.0.1']);
  });
});
