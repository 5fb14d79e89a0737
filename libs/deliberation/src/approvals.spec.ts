import fc from 'fast-check';
import { approvalsStatus, missingApprovals, type RecordedDecision } from './approvals.js';
import { MATTER_RULES } from './matter-rules.js';
import { APPROVAL_AUTHORITIES, APPROVAL_DECISIONS, CATEGORIES } from './names.js';

const BOTH = ['township_government', 'county_agriculture'] as const;

describe('approvalsStatus', () => {
  it('land adjustment: pending until both approve; approved with both', () => {
    expect(approvalsStatus(BOTH, [])).toBe('pending');
    expect(approvalsStatus(BOTH, [{ authority: 'township_government', decision: 'approved' }])).toBe('pending');
    expect(approvalsStatus(BOTH, [{ authority: 'county_agriculture', decision: 'approved' }])).toBe('pending');
    expect(
      approvalsStatus(BOTH, [
        { authority: 'township_government', decision: 'approved' },
        { authority: 'county_agriculture', decision: 'approved' },
      ]),
    ).toBe('approved');
    expect(missingApprovals(BOTH, [{ authority: 'township_government', decision: 'approved' }])).toEqual(['county_agriculture']);
  });

  it('one refusal is enough to end it, even after the other approved', () => {
    expect(approvalsStatus(BOTH, [{ authority: 'county_agriculture', decision: 'refused' }])).toBe('refused');
    expect(
      approvalsStatus(BOTH, [
        { authority: 'township_government', decision: 'approved' },
        { authority: 'county_agriculture', decision: 'refused' },
      ]),
    ).toBe('refused');
  });

  it('contracting to outsiders needs the township only; a county decision does not count', () => {
    const township = ['township_government'] as const;
    expect(approvalsStatus(township, [{ authority: 'county_agriculture', decision: 'approved' }])).toBe('pending');
    expect(approvalsStatus(township, [{ authority: 'county_agriculture', decision: 'refused' }])).toBe('pending');
    expect(approvalsStatus(township, [{ authority: 'township_government', decision: 'approved' }])).toBe('approved');
  });

  it('a matter without approvals is never held', () => {
    expect(approvalsStatus([], [])).toBe('not_required');
    expect(approvalsStatus([], [{ authority: 'township_government', decision: 'refused' }])).toBe('not_required');
  });

  it('matter rules: only land adjustment (township and county) and contracting to outsiders (township) need approvals', () => {
    const needing = Object.fromEntries(
      CATEGORIES.filter((c) => MATTER_RULES[c].approvals.length).map((c) => [c, MATTER_RULES[c].approvals.map((a) => a.code)]),
    );
    expect(needing).toEqual({
      land_adjustment: ['township_government', 'county_agriculture'],
      land_outsider_contracting: ['township_government'],
    });
  });

  it('property: approved exactly when every needed authority has an approval and none refused', () => {
    const decision = fc.record({ authority: fc.constantFrom(...APPROVAL_AUTHORITIES), decision: fc.constantFrom(...APPROVAL_DECISIONS) });
    fc.assert(
      fc.property(
        fc.subarray([...APPROVAL_AUTHORITIES], { minLength: 1 }),
        fc.array(decision, { maxLength: 4 }),
        (needed, recorded: RecordedDecision[]) => {
          const s = approvalsStatus(needed, recorded);
          const relevant = recorded.filter((r) => needed.includes(r.authority));
          const allApproved = needed.every((a) => relevant.some((r) => r.authority === a && r.decision === 'approved'));
          const anyRefused = relevant.some((r) => r.decision === 'refused');
          expect(s).toBe(anyRefused ? 'refused' : allApproved ? 'approved' : 'pending');
          expect(missingApprovals(needed, recorded).length === 0).toBe(allApproved);
        },
      ),
    );
  });
});
