import fc from 'fast-check';
import { decide, decideRecordedPartyMeeting, earliestVoting, jointThreshold, jointThresholdReached, type VoteCounts } from './quorum.js';

const counts = (c: Partial<VoteCounts> & { electorate: number; participants: number; yes: number }): VoteCounts => ({
  households: 0,
  householdsRepresented: 0,
  no: c.participants - c.yes - (c.abstain ?? 0),
  abstain: 0,
  ...c,
});

describe('村民会议 (Art. 22)', () => {
  it('300 electors: 150 participants is no quorum, 151 is a quorum', () => {
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 150, yes: 150 })).outcome).toBe('no_quorum');
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 151, yes: 76 })).outcome).toBe('passed');
  });

  it('passes only with more than half of participants: 151 participants need 76 yes', () => {
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 151, yes: 75 })).outcome).toBe('rejected');
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 152, yes: 76 })).outcome).toBe('rejected');
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 152, yes: 77 })).outcome).toBe('passed');
  });

  it('has a quorum when at least 2/3 of households are represented even with a minority of electors', () => {
    const base = { electorate: 300, participants: 100, yes: 60, households: 90 };
    expect(decide('villagers_meeting', counts({ ...base, householdsRepresented: 60 })).quorumMet).toBe(true);
    expect(decide('villagers_meeting', counts({ ...base, householdsRepresented: 59 })).quorumMet).toBe(false);
  });

  it('property: quorum iff 2p > n or 3h >= 2H, for every electorate and household count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            p: fc.integer({ min: 0, max: n }),
            H: fc.integer({ min: 1, max: n }),
          }),
        ).chain(({ n, p, H }) => fc.record({ n: fc.constant(n), p: fc.constant(p), H: fc.constant(H), h: fc.integer({ min: 0, max: Math.min(H, p) }) })),
        ({ n, p, H, h }) => {
          const d = decide('villagers_meeting', counts({ electorate: n, participants: p, yes: 0, households: H, householdsRepresented: h }));
          // exact rational comparison without floats: p/n > 1/2, h/H >= 2/3
          const expected = p * 2 > n || h * 3 >= H * 2;
          expect(d.quorumMet).toBe(expected);
        },
      ),
    );
  });

  it('property: at exactly half the electorate (and few households) there is never a quorum; one more always is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (k) => {
        const n = 2 * k;
        expect(decide('villagers_meeting', counts({ electorate: n, participants: k, yes: k })).quorumMet).toBe(false);
        expect(decide('villagers_meeting', counts({ electorate: n, participants: k + 1, yes: k + 1 })).quorumMet).toBe(true);
      }),
    );
  });
});

describe('村民代表会议 (Art. 26) and 党员大会', () => {
  it('30 representatives: 20 participants is a quorum, 19 is not', () => {
    expect(decide('representatives_meeting', counts({ electorate: 30, participants: 20, yes: 11 })).outcome).toBe('passed');
    expect(decide('representatives_meeting', counts({ electorate: 30, participants: 19, yes: 19 })).outcome).toBe('no_quorum');
    expect(decide('representatives_meeting', counts({ electorate: 30, participants: 20, yes: 10 })).outcome).toBe('rejected');
  });

  it('property: quorum at exactly 2/3 (inclusive), not one below; majority strictly more than half of participants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), (k) => {
        const n = 3 * k;
        const at = 2 * k;
        for (const body of ['representatives_meeting', 'party_meeting'] as const) {
          expect(decide(body, counts({ electorate: n, participants: at, yes: k + 1 })).outcome).toBe('passed');
          expect(decide(body, counts({ electorate: n, participants: at, yes: k })).outcome).toBe('rejected');
          expect(decide(body, counts({ electorate: n, participants: at - 1, yes: at - 1 })).outcome).toBe('no_quorum');
        }
      }),
    );
  });

  it('property: for any electorate size, the minimal quorum is ceil(2n/3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const min = Math.floor((2 * n + 2) / 3);
        expect(decide('representatives_meeting', counts({ electorate: n, participants: min, yes: min })).quorumMet).toBe(true);
        if (min > 0) expect(decide('representatives_meeting', counts({ electorate: n, participants: min - 1, yes: min - 1 })).quorumMet).toBe(false);
      }),
    );
  });

  it('checks a recorded party meeting by the 2/3-attend and more-than-half rule', () => {
    expect(decideRecordedPartyMeeting(30, 20, 11, 9).outcome).toBe('passed');
    expect(decideRecordedPartyMeeting(30, 19, 19, 0).outcome).toBe('no_quorum');
    expect(decideRecordedPartyMeeting(30, 20, 10, 10).outcome).toBe('rejected');
  });
});

describe('成员大会 (Art. 27) and 成员代表大会 (Art. 28): at least 2/3 of ALL members', () => {
  it('90 members: 60 yes of 60 participants passes, 59 does not', () => {
    expect(decide('members_assembly', counts({ electorate: 90, participants: 60, yes: 60 })).outcome).toBe('passed');
    expect(decide('members_assembly', counts({ electorate: 90, participants: 60, yes: 59, abstain: 1 })).outcome).toBe('rejected');
    expect(decide('members_assembly', counts({ electorate: 90, participants: 59, yes: 59 })).outcome).toBe('no_quorum');
  });

  it('property: yes counts against all members, never against participants', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 0, max: 1000 }), (k, extra) => {
        const n = 3 * k;
        const p = Math.min(n, 2 * k + extra);
        for (const body of ['members_assembly', 'members_representatives_assembly'] as const) {
          // 2k yes of n = exactly 2/3 of all members: passes
          expect(decide(body, counts({ electorate: n, participants: p, yes: 2 * k })).outcome).toBe('passed');
          // one fewer fails even though it is well over 2/3 of participants when p = 2k
          expect(decide(body, counts({ electorate: n, participants: p, yes: 2 * k - 1 })).outcome).toBe('rejected');
        }
      }),
    );
  });

  it('property: the outcome agrees with an exact rational reference for arbitrary counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))).chain(([n, p]) =>
          fc.tuple(fc.constant(n), fc.constant(p), fc.integer({ min: 0, max: p })),
        ),
        ([n, p, y]) => {
          const d = decide('members_assembly', counts({ electorate: n, participants: p, yes: y }));
          const q = 3 * p >= 2 * n;
          expect(d.outcome).toBe(!q ? 'no_quorum' : 3 * y >= 2 * n ? 'passed' : 'rejected');
        },
      ),
    );
  });
});

describe('consistency and 联名提议 thresholds', () => {
  it('refuses counts that do not add up', () => {
    expect(() => decide('villagers_meeting', { electorate: 10, households: 0, participants: 5, householdsRepresented: 0, yes: 3, no: 1, abstain: 0 })).toThrow(RangeError);
    expect(() => decide('villagers_meeting', { electorate: 4, households: 0, participants: 5, householdsRepresented: 0, yes: 5, no: 0, abstain: 0 })).toThrow(RangeError);
  });

  it('an empty electorate never has a quorum', () => {
    for (const body of ['villagers_meeting', 'representatives_meeting', 'members_assembly', 'party_meeting'] as const) {
      expect(decide(body, counts({ electorate: 0, participants: 0, yes: 0 })).outcome).toBe('no_quorum');
    }
  });

  it('1/10 of adult residents and 1/3 of representatives, inclusive', () => {
    expect(jointThreshold('residents', 300)).toBe(30);
    expect(jointThresholdReached('residents', 29, 300)).toBe(false);
    expect(jointThresholdReached('residents', 30, 300)).toBe(true);
    expect(jointThreshold('residents', 301)).toBe(31);
    expect(jointThreshold('representatives', 30)).toBe(10);
    expect(jointThresholdReached('representatives', 9, 30)).toBe(false);
    expect(jointThresholdReached('representatives', 10, 30)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom('residents' as const, 'representatives' as const), (base, kind) => {
        const t = jointThreshold(kind, base);
        expect(jointThresholdReached(kind, t, base)).toBe(true);
        expect(jointThresholdReached(kind, t - 1, base)).toBe(false);
      }),
    );
  });
});

describe('notice before a vote (DOMAIN.md §1: 10 days before a 村民会议)', () => {
  const DAY = 86_400_000;
  const approved = new Date('2026-11-01T02:00:00.000Z');
  const at = (deciding_body: Parameters<typeof earliestVoting>[0]['deciding_body'], deliberation_days: number) =>
    earliestVoting({ deliberation_started_at: approved, deliberation_days, deciding_body })!.getTime() - approved.getTime();

  it('a 村民会议 opens exactly 10 days after approval at the earliest, whatever shorter discussion was set', () => {
    expect(at('villagers_meeting', 7)).toBe(10 * DAY);
    expect(at('villagers_meeting', 9)).toBe(10 * DAY);
    expect(at('villagers_meeting', 10)).toBe(10 * DAY);
    expect(at('villagers_meeting', 11)).toBe(11 * DAY);
  });

  it('other bodies follow the discussion period set on the proposal', () => {
    expect(at('representatives_meeting', 7)).toBe(7 * DAY);
    expect(at('members_assembly', 3)).toBe(3 * DAY);
    expect(at('members_representatives_assembly', 12)).toBe(12 * DAY);
  });

  it('there is no earliest time before approval', () => {
    expect(earliestVoting({ deliberation_started_at: null, deliberation_days: 7, deciding_body: 'villagers_meeting' })).toBeNull();
  });
});
