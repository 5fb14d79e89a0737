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
];

const key = (s: string, a: string, r: string) => `${s}|${a}|${r}`;
const legal = new Map(LEGAL.map(([s, a, r, to]) => [key(s, a, r), to]));

describe('proposal lifecycle: every (state, action, role)', () => {
  const all = PROPOSAL_STATES.flatMap((s) => PROPOSAL_ACTIONS.flatMap((a) => LIFECYCLE_ROLES.map((r) => [s, a, r] as const)));

  it('covers 13 states × 19 actions × 5 roles', () => {
    expect(all).toHaveLength(PROPOSAL_STATES.length * PROPOSAL_ACTIONS.length * LIFECYCLE_ROLES.length);
    expect(all.length).toBe(13 * 19 * 5);
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

  it('closed and withdrawn are terminal; every other state is not', () => {
    expect(PROPOSAL_STATES.filter(isTerminal)).toEqual(['closed', 'withdrawn']);
  });

  it('every state is reachable from draft and every state can reach a terminal state', () => {
    const next = (s: ProposalState) =>
      PROPOSAL_ACTIONS.flatMap((a) => LIFECYCLE_ROLES.map((r) => transition(s, a, r))).flatMap((t) => (t.ok ? [t.to] : []));
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
