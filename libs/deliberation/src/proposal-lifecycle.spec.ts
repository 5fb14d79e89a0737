import {
  availableActions,
  isTerminal,
  LIFECYCLE_ROLES,
  PROPOSAL_ACTIONS,
  PROPOSAL_STATES,
  type ProposalAction,
  type ProposalState,
  transition,
} from './proposal-lifecycle.js';

/**
 * The legal (state, action, role) → state triples, written out by hand from issue 3 so the table in
 * proposal-lifecycle.ts is checked against an independent statement of the process.
 */
const LEGAL: [ProposalState, ProposalAction, string, ProposalState][] = [
  ['draft', 'edit', 'committee', 'draft'],
  ['draft', 'record_proposal', 'committee', 'proposed'],
  ['draft', 'record_merged_meeting', 'committee', 'consulted'],
  ['proposed', 'record_consultation', 'committee', 'consulted'],
  ['consulted', 'party_review_passed', 'committee', 'pending_review'],
  ['consulted', 'party_review_failed', 'committee', 'draft'],
  ['consulted', 'open_party_vote', 'committee', 'party_voting'],
  ['party_voting', 'party_vote_passed', 'system', 'pending_review'],
  ['party_voting', 'party_vote_failed', 'system', 'draft'],
  ['pending_review', 'approve', 'township', 'deliberation'],
  ['pending_review', 'return', 'township', 'draft'],
  ['deliberation', 'open_voting', 'committee', 'voting'],
  ['voting', 'vote_passed', 'system', 'passed'],
  ['voting', 'vote_rejected', 'system', 'rejected'],
  ['voting', 'vote_no_quorum', 'system', 'no_quorum'],
  ['passed', 'publish_resolution', 'committee', 'announced'],
  ['rejected', 'publish_resolution', 'committee', 'announced'],
  ['no_quorum', 'publish_resolution', 'committee', 'announced'],
  ['announced', 'report_implementation', 'committee', 'announced'],
  ['announced', 'close', 'committee', 'closed'],
  ['draft', 'withdraw', 'committee', 'withdrawn'],
  ['proposed', 'withdraw', 'committee', 'withdrawn'],
  ['consulted', 'withdraw', 'committee', 'withdrawn'],
  ['party_voting', 'withdraw', 'committee', 'withdrawn'],
  ['pending_review', 'withdraw', 'committee', 'withdrawn'],
  ['deliberation', 'withdraw', 'committee', 'withdrawn'],
  // Approvals after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1; decision 015).
  ['awaiting_approval', 'record_approval', 'township', 'awaiting_approval'],
  ['awaiting_approval', 'approvals_complete', 'system', 'announced'],
  ['awaiting_approval', 'approval_refused', 'township', 'not_approved'],
];

const key = (s: string, a: string, r: string) => `${s}|${a}|${r}`;
const legal = new Map(LEGAL.map(([s, a, r, to]) => [key(s, a, r), to]));

describe('proposal lifecycle: every (state, action, role)', () => {
  const all = PROPOSAL_STATES.flatMap((s) => PROPOSAL_ACTIONS.flatMap((a) => LIFECYCLE_ROLES.map((r) => [s, a, r] as const)));

  it('covers 15 states × 22 actions × 5 roles', () => {
    expect(all).toHaveLength(PROPOSAL_STATES.length * PROPOSAL_ACTIONS.length * LIFECYCLE_ROLES.length);
    expect(all.length).toBe(15 * 22 * 5);
  });

  it.each(all)('%s + %s by %s', (s, a, r) => {
    const res = transition(s, a, r);
    const expected = legal.get(key(s, a, r));
    if (expected) {
      expect(res).toEqual({ ok: true, from: s, to: expected });
    } else {
      expect(res.ok).toBe(false);
      // The reason tells a wrong state apart from a wrong role.
      const legalInStateForSomeone = LIFECYCLE_ROLES.some((other) => legal.has(key(s, a, other)));
      expect(res).toEqual({ ok: false, reason: legalInStateForSomeone ? 'role_not_allowed' : 'illegal_in_state' });
    }
  });

  it('withdrawal is possible exactly before voting opens', () => {
    const withdrawable = PROPOSAL_STATES.filter((s) => transition(s, 'withdraw', 'committee').ok);
    expect(withdrawable).toEqual(['draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'deliberation']);
  });

  it('closed, withdrawn and not_approved are terminal; every other state is not', () => {
    expect(PROPOSAL_STATES.filter(isTerminal)).toEqual(['closed', 'withdrawn', 'not_approved']);
  });

  it('every state is reachable from draft and every state can reach a terminal state', () => {
    const next = (s: ProposalState) =>
      [false, true]
        .flatMap((approvalsNeeded) => PROPOSAL_ACTIONS.flatMap((a) => LIFECYCLE_ROLES.map((r) => transition(s, a, r, { approvalsNeeded }))))
        .flatMap((t) => (t.ok ? [t.to] : []));
    const reach = (start: ProposalState) => {
      const seen = new Set<ProposalState>([start]);
      const queue = [start];
      while (queue.length) {
        for (const n of next(queue.shift()!)) {
          if (!seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
        }
      }
      return seen;
    };
    expect([...reach('draft')].sort()).toEqual([...PROPOSAL_STATES].sort());
    for (const s of PROPOSAL_STATES) expect([...reach(s)].some(isTerminal)).toBe(true);
  });

  it('residents and the supervision committee move nothing; only the system closes a vote', () => {
    for (const s of PROPOSAL_STATES) {
      expect(availableActions(s, 'resident')).toEqual([]);
      expect(availableActions(s, 'supervision')).toEqual([]);
    }
    expect(availableActions('voting', 'committee')).toEqual([]);
    expect(availableActions('voting', 'system')).toEqual(['vote_passed', 'vote_rejected', 'vote_no_quorum']);
  });
});

describe('approvals after the vote (decision 015)', () => {
  it('a passed resolution that needs approvals is published as awaiting them; without the need, announced', () => {
    expect(transition('passed', 'publish_resolution', 'committee', { approvalsNeeded: true })).toEqual({
      ok: true,
      from: 'passed',
      to: 'awaiting_approval',
    });
    expect(transition('passed', 'publish_resolution', 'committee', { approvalsNeeded: false })).toEqual({
      ok: true,
      from: 'passed',
      to: 'announced',
    });
    expect(transition('passed', 'publish_resolution', 'committee')).toEqual({ ok: true, from: 'passed', to: 'announced' });
  });

  it('a resolution that did not pass needs no approval, whatever its matter', () => {
    for (const s of ['rejected', 'no_quorum'] as const) {
      expect(transition(s, 'publish_resolution', 'committee', { approvalsNeeded: true })).toEqual({ ok: true, from: s, to: 'announced' });
    }
  });

  it('the context changes no destination other than publishing a passed resolution', () => {
    for (const s of PROPOSAL_STATES) {
      for (const a of PROPOSAL_ACTIONS) {
        for (const r of LIFECYCLE_ROLES) {
          if (s === 'passed' && a === 'publish_resolution') continue;
          expect(transition(s, a, r, { approvalsNeeded: true })).toEqual(transition(s, a, r, { approvalsNeeded: false }));
        }
      }
    }
  });

  it('while awaiting approval, nothing carries the resolution out: no implementation report, no close, no withdrawal', () => {
    expect(availableActions('awaiting_approval', 'committee')).toEqual([]);
    expect(availableActions('awaiting_approval', 'township')).toEqual(['record_approval', 'approval_refused']);
    expect(transition('awaiting_approval', 'report_implementation', 'committee')).toEqual({ ok: false, reason: 'illegal_in_state' });
    expect(transition('awaiting_approval', 'close', 'committee')).toEqual({ ok: false, reason: 'illegal_in_state' });
  });

  it('a refusal is final: nothing is possible after not_approved', () => {
    for (const r of LIFECYCLE_ROLES) expect(availableActions('not_approved', r)).toEqual([]);
  });

  it('once every approval is in, the resolution is announced and may be carried out and closed', () => {
    const t = transition('awaiting_approval', 'approvals_complete', 'system');
    expect(t).toEqual({ ok: true, from: 'awaiting_approval', to: 'announced' });
    expect(availableActions('announced', 'committee')).toEqual(['report_implementation', 'close']);
    expect(transition('awaiting_approval', 'approvals_complete', 'township')).toEqual({ ok: false, reason: 'role_not_allowed' });
  });
});
