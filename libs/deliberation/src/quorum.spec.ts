import fc from 'fast-check';
import {
  decide,
  decideRecordedPartyMeeting,
  earliestVoting,
  householdsNeeded,
  partyCountProblems,
  quorumNeed,
  partyMeetingMinimums,
  jointFraction,
  jointThreshold,
  jointThresholdReached,
  statutoryNoticeEnds,
  type VoteCounts,
  voteWindowProblem,
  type VotingBody,
} from './quorum.js';

const counts = (c: Partial<VoteCounts> & { electorate: number; participants: number; yes: number }): VoteCounts => ({
  households: 0,
  householdsRepresented: 0,
  no: c.participants - c.yes - (c.abstain ?? 0),
  abstain: 0,
  ...c,
});

/**
 * The smallest number that reaches each figure, computed differently from the rule (ceil/floor
 * instead of cross-multiplication), so that the properties compare two independent readings.
 */
const minMoreThanHalf = (n: number) => Math.floor(n / 2) + 1;
const minHalf = (n: number) => Math.ceil(n / 2);
const minTwoThirds = (n: number) => Math.ceil((2 * n) / 3);

/** Every body: the outcome agrees with the reference for arbitrary consistent counts. */
const reference = (body: VotingBody, n: number, p: number, y: number, H: number, h: number) => {
  // An empty body never meets.
  const quorum =
    n > 0 &&
    {
      villagers_meeting: p >= minMoreThanHalf(n) || (H > 0 && h >= minTwoThirds(H)),
      representatives_meeting: p >= minTwoThirds(n),
      party_meeting: p >= minHalf(n),
      members_assembly: p >= minTwoThirds(n),
      members_representatives_assembly: p >= minTwoThirds(n),
    }[body];
  const majority = {
    villagers_meeting: p > 0 && y >= minMoreThanHalf(p),
    representatives_meeting: p > 0 && y >= minMoreThanHalf(p),
    party_meeting: y >= minMoreThanHalf(n),
    members_assembly: y >= minTwoThirds(n),
    members_representatives_assembly: y >= minTwoThirds(n),
  }[body];
  return !quorum ? 'no_quorum' : majority ? 'passed' : 'rejected';
};

const BODIES: VotingBody[] = [
  'villagers_meeting',
  'representatives_meeting',
  'party_meeting',
  'members_assembly',
  'members_representatives_assembly',
];

describe('the worked examples of DOMAIN.md §1', () => {
  it('村民会议, 300 electors: 150 participants is no quorum, 151 is', () => {
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 150, yes: 150 })).outcome).toBe('no_quorum');
    expect(decide('villagers_meeting', counts({ electorate: 300, participants: 151, yes: 76 })).outcome).toBe('passed');
  });

  it('村民代表会议, 25 representatives and 5 committee members (30 组成人员): 20 present is a quorum, 19 is not', () => {
    expect(decide('representatives_meeting', counts({ electorate: 30, participants: 20, yes: 11 })).outcome).toBe('passed');
    expect(decide('representatives_meeting', counts({ electorate: 30, participants: 19, yes: 19 })).outcome).toBe('no_quorum');
  });

  it('党员大会, 30 voting members: 15 present is a quorum; 16 yes pass and 15 do not, however many attended', () => {
    expect(decide('party_meeting', counts({ electorate: 30, participants: 15, yes: 0 })).quorumMet).toBe(true);
    expect(decide('party_meeting', counts({ electorate: 30, participants: 14, yes: 14 })).outcome).toBe('no_quorum');
    for (const attended of [16, 20, 25, 30]) {
      expect(decide('party_meeting', counts({ electorate: 30, participants: attended, yes: 16 })).outcome).toBe('passed');
      expect(decide('party_meeting', counts({ electorate: 30, participants: attended, yes: 15 })).outcome).toBe('rejected');
    }
    // 15 present, all 15 yes: a quorum, and still not more than half of all 30.
    expect(decide('party_meeting', counts({ electorate: 30, participants: 15, yes: 15 })).outcome).toBe('rejected');
  });
});

describe('村民会议 (村民委员会组织法 Art. 22)', () => {
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

  it('property: electors at exactly half and one below are no quorum, one above is; households at exactly 2/3 and one above are, one below is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 30_000 }), (k, j) => {
        const n = 2 * k;
        const at = (participants: number) =>
          decide('villagers_meeting', counts({ electorate: n, participants, yes: participants })).quorumMet;
        expect(at(k - 1)).toBe(false);
        expect(at(k)).toBe(false);
        expect(at(k + 1)).toBe(true);
        // Households: H = 3j, at 2j exactly 2/3; a minority of electors takes part.
        const H = 3 * j;
        const e = 4 * H;
        const byHouseholds = (h: number) =>
          decide('villagers_meeting', counts({ electorate: e, households: H, participants: H, householdsRepresented: h, yes: 0 }))
            .quorumMet;
        expect(byHouseholds(2 * j - 1)).toBe(false);
        expect(byHouseholds(2 * j)).toBe(true);
        expect(byHouseholds(2 * j + 1)).toBe(true);
      }),
    );
  });

  it('property: yes at exactly half of the participants and one below are rejected, one above passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (k) => {
        const p = 2 * k;
        const n = p; // everyone took part: a quorum
        const at = (yes: number) => decide('villagers_meeting', counts({ electorate: n, participants: p, yes })).outcome;
        expect(at(k - 1)).toBe('rejected');
        expect(at(k)).toBe('rejected');
        expect(at(k + 1)).toBe('passed');
      }),
    );
  });
});

describe('村民代表会议 (Art. 25–26): at least 2/3 of the 组成人员 attend, more than half of attendees agree', () => {
  it('property: attendance at exactly 2/3 and one above is a quorum, one below is not; yes at exactly half of attendees is rejected, one above passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), (k) => {
        const n = 3 * k;
        const at = (participants: number, yes: number) =>
          decide('representatives_meeting', counts({ electorate: n, participants, yes })).outcome;
        expect(at(2 * k - 1, 2 * k - 1)).toBe('no_quorum');
        expect(at(2 * k, 2 * k)).toBe('passed');
        expect(at(2 * k + 1, 2 * k + 1)).toBe('passed');
        // 2k attendees: k yes is exactly half of them, rejected; k + 1 passes.
        expect(at(2 * k, k)).toBe('rejected');
        expect(at(2 * k, k - 1)).toBe('rejected');
        expect(at(2 * k, k + 1)).toBe('passed');
      }),
    );
  });

  it('property: for any size, the minimal quorum is ceil(2n/3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (n) => {
        const min = minTwoThirds(n);
        expect(decide('representatives_meeting', counts({ electorate: n, participants: min, yes: min })).quorumMet).toBe(true);
        expect(decide('representatives_meeting', counts({ electorate: n, participants: min - 1, yes: min - 1 })).quorumMet).toBe(false);
      }),
    );
  });
});

describe('党员大会 (支部工作条例（试行）Art. 11): 半数以上 attend; yes more than half of ALL voting members', () => {
  it('property: attendance at exactly half and one above is a quorum, one below is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (k) => {
        const n = 2 * k;
        const q = (participants: number) => decide('party_meeting', counts({ electorate: n, participants, yes: 0 })).quorumMet;
        expect(q(k - 1)).toBe(false);
        expect(q(k)).toBe(true);
        expect(q(k + 1)).toBe(true);
        // Odd membership: k + 1 of 2k + 1 is at least half, k is not.
        const odd = (participants: number) => decide('party_meeting', counts({ electorate: 2 * k + 1, participants, yes: 0 })).quorumMet;
        expect(odd(k)).toBe(false);
        expect(odd(k + 1)).toBe(true);
      }),
    );
  });

  it('property: yes at exactly half of all members and one below are rejected, one above passes, whatever the attendance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (k, extra) => {
        const n = 2 * k;
        const p = Math.min(n, k + 1 + extra);
        const at = (yes: number) => decide('party_meeting', counts({ electorate: n, participants: p, yes })).outcome;
        expect(at(k - 1)).toBe('rejected');
        expect(at(k)).toBe('rejected');
        expect(at(k + 1)).toBe('passed');
      }),
    );
  });

  it('checks a recorded party meeting by the same rule', () => {
    expect(decideRecordedPartyMeeting(30, 15, 15, 0).outcome).toBe('rejected');
    expect(decideRecordedPartyMeeting(30, 16, 16, 0).outcome).toBe('passed');
    expect(decideRecordedPartyMeeting(30, 14, 14, 0).outcome).toBe('no_quorum');
    // More than half of attendees is not enough: 11 of 20 present is a majority of them, not of all 30.
    expect(decideRecordedPartyMeeting(30, 20, 11, 9).outcome).toBe('rejected');
    expect(decideRecordedPartyMeeting(30, 20, 10, 10).rule.source).toContain('支部工作条例（试行）》第十一条');
  });

  it('the minimums shown on the form are the rule: the fewest attendees and yes votes that pass, one fewer does not', () => {
    for (let m = 1; m <= 300; m++) {
      const min = partyMeetingMinimums(m);
      expect(decideRecordedPartyMeeting(m, Math.max(min.attend, min.yes), min.yes, 0).outcome).toBe('passed');
      expect(decideRecordedPartyMeeting(m, min.attend - 1, 0, 0).outcome).toBe('no_quorum');
      expect(decideRecordedPartyMeeting(m, m, min.yes - 1, 0).outcome).toBe('rejected');
    }
    expect(partyMeetingMinimums(5)).toEqual({ attend: 3, yes: 3 });
    expect(partyMeetingMinimums(30)).toEqual({ attend: 15, yes: 16 });
  });

  it('names the figure that is out of range: 20 attending of 5 voting members is the attendance, not the votes', () => {
    expect(partyCountProblems(5, 20, 18, 2)).toEqual([
      { field: 'attendees', message: '到会人数 20 超过本村有表决权的党员人数 5（预备党员、受留党察看处分的党员不计）' },
    ]);
    expect(partyCountProblems(5, 3, 4, 0)).toEqual([{ field: 'yes', message: '赞成 4 票超过到会人数 3' }]);
    expect(partyCountProblems(5, 3, 0, 4).map((p) => p.field)).toEqual(['no']);
    expect(partyCountProblems(5, 3, 2, 2)).toEqual([
      { field: 'yes', message: '赞成 2 票与反对 2 票合计 4，超过到会人数 3' },
      { field: 'no', message: '赞成 2 票与反对 2 票合计 4，超过到会人数 3' },
    ]);
    expect(partyCountProblems(0, 0, 0, 0).map((p) => p.field)).toEqual(['attendees']);
  });

  it('property: no problem exactly when the counts can be decided (yes + no ≤ attendees ≤ members, members > 0)', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(60), fc.nat(60), fc.nat(60), (members, attendees, yes, no) => {
        const problems = partyCountProblems(members, attendees, yes, no);
        const consistent = members > 0 && attendees <= members && yes + no <= attendees;
        expect(problems.length === 0).toBe(consistent);
        if (consistent) expect(() => decideRecordedPartyMeeting(members, attendees, yes, no)).not.toThrow();
      }),
    );
  });
});

describe('成员大会 (Art. 27) and 成员代表大会 (Art. 28): at least 2/3 of ALL members', () => {
  it('90 members: 60 yes of 60 participants passes, 59 does not', () => {
    expect(decide('members_assembly', counts({ electorate: 90, participants: 60, yes: 60 })).outcome).toBe('passed');
    expect(decide('members_assembly', counts({ electorate: 90, participants: 60, yes: 59, abstain: 1 })).outcome).toBe('rejected');
    expect(decide('members_assembly', counts({ electorate: 90, participants: 59, yes: 59 })).outcome).toBe('no_quorum');
  });

  it('property: participation at exactly 2/3 and one above is a quorum, one below is not; yes at exactly 2/3 of all and one above pass, one below does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 0, max: 1000 }), (k, extra) => {
        const n = 3 * k;
        for (const body of ['members_assembly', 'members_representatives_assembly'] as const) {
          const at = (participants: number, yes: number) => decide(body, counts({ electorate: n, participants, yes })).outcome;
          expect(at(2 * k - 1, 2 * k - 1)).toBe('no_quorum');
          expect(at(2 * k, 2 * k)).toBe('passed');
          const p = Math.min(n, 2 * k + 1 + extra);
          expect(at(p, 2 * k + 1)).toBe('passed');
          expect(at(p, 2 * k)).toBe('passed');
          // One fewer fails even though it is well over 2/3 of those present when p is small.
          expect(at(p, 2 * k - 1)).toBe('rejected');
        }
      }),
    );
  });

  it('names the rule it applied: all members, not attendees', () => {
    expect(decide('members_assembly', counts({ electorate: 3, participants: 2, yes: 2 })).rule.majority).toContain('全体成员');
    expect(decide('members_representatives_assembly', counts({ electorate: 21, participants: 14, yes: 14 })).rule.source).toContain(
      '第二十八条',
    );
  });
});

describe('every body against an independent reference', () => {
  it('property: the outcome agrees with the ceil/floor reading of the rule for arbitrary counts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BODIES),
        fc
          .integer({ min: 0, max: 3000 })
          .chain((n) =>
            fc
              .tuple(fc.constant(n), fc.integer({ min: 0, max: n }))
              .chain(([n, p]) =>
                fc
                  .tuple(fc.constant(n), fc.constant(p), fc.integer({ min: 0, max: p }), fc.integer({ min: 0, max: n }))
                  .chain(([n, p, y, H]) =>
                    fc.tuple(fc.constant(n), fc.constant(p), fc.constant(y), fc.constant(H), fc.integer({ min: 0, max: Math.min(H, p) })),
                  ),
              ),
          ),
        (body, [n, p, y, H, h]) => {
          const c = counts({ electorate: n, participants: p, yes: y, households: H, householdsRepresented: h });
          expect(decide(body, c).outcome).toBe(reference(body, n, p, y, H, h));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('consistency and 联名提议 thresholds', () => {
  it('refuses counts that do not add up', () => {
    expect(() =>
      decide('villagers_meeting', { electorate: 10, households: 0, participants: 5, householdsRepresented: 0, yes: 3, no: 1, abstain: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      decide('villagers_meeting', { electorate: 4, households: 0, participants: 5, householdsRepresented: 0, yes: 5, no: 0, abstain: 0 }),
    ).toThrow(RangeError);
  });

  it('an empty electorate never has a quorum', () => {
    for (const body of BODIES) {
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
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('residents' as const, 'representatives' as const),
        (base, kind) => {
          const t = jointThreshold(kind, base);
          expect(jointThresholdReached(kind, t, base)).toBe(true);
          expect(jointThresholdReached(kind, t - 1, base)).toBe(false);
        },
      ),
    );
  });

  it('1/5 of representatives force a 村民代表会议 (Art. 26), inclusive: exactly 1/5, one below, one above', () => {
    expect(jointThreshold('representatives', 25, 'representatives_meeting')).toBe(5);
    expect(jointThresholdReached('representatives', 4, 25, 'representatives_meeting')).toBe(false);
    expect(jointThresholdReached('representatives', 5, 25, 'representatives_meeting')).toBe(true);
    expect(jointThreshold('representatives', 26, 'representatives_meeting')).toBe(6);
    expect(jointThresholdReached('representatives', 5, 26, 'representatives_meeting')).toBe(false);
    expect(jointThreshold('representatives', 24, 'representatives_meeting')).toBe(5);
    expect(jointThresholdReached('representatives', 4, 24, 'representatives_meeting')).toBe(false);
    // 1/5 is fewer than 1/3 of the same representatives.
    expect(jointThreshold('representatives', 30, 'representatives_meeting')).toBe(6);
    expect(jointThreshold('representatives', 30, 'villagers_meeting')).toBe(10);
  });

  it('villagers cannot force a 村民代表会议', () => {
    expect(jointFraction('residents', 'representatives_meeting')).toBeNull();
    expect(jointThresholdReached('residents', 1000, 10, 'representatives_meeting')).toBe(false);
    expect(() => jointThreshold('residents', 10, 'representatives_meeting')).toThrow(RangeError);
  });

  it('for every form, the threshold is the least x with d·x ≥ n (integer arithmetic, no rounding of fractions)', () => {
    const forms = [
      ['residents', 'villagers_meeting', 10],
      ['representatives', 'villagers_meeting', 3],
      ['representatives', 'representatives_meeting', 5],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom(...forms),
        fc.integer({ min: 0, max: 10_000_000 }),
        (base, [kind, convenes, d], signers) => {
          expect(jointThresholdReached(kind, signers, base, convenes)).toBe(d * signers >= base);
          const t = jointThreshold(kind, base, convenes);
          expect(d * t >= base && d * (t - 1) < base).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('an empty base reaches nothing', () => {
    expect(jointThresholdReached('representatives', 3, 0, 'representatives_meeting')).toBe(false);
    expect(jointThresholdReached('residents', 0, 0)).toBe(false);
  });
});

describe('notice before a vote (DOMAIN.md §1: 10 days before a 村民会议 and a 成员大会)', () => {
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

  it('a 成员大会 likewise waits 10 days (农村集体经济组织法 Art. 27): 3 days of discussion are not enough', () => {
    expect(at('members_assembly', 3)).toBe(10 * DAY);
    expect(at('members_assembly', 9)).toBe(10 * DAY);
    expect(at('members_assembly', 10)).toBe(10 * DAY);
    expect(at('members_assembly', 11)).toBe(11 * DAY);
    expect(statutoryNoticeEnds(approved, 'members_assembly')!.getTime() - approved.getTime()).toBe(10 * DAY);
    expect(statutoryNoticeEnds(approved, 'villagers_meeting')!.getTime() - approved.getTime()).toBe(10 * DAY);
  });

  it('the statutes set no notice period for the 村民代表会议 or the 成员代表大会: the discussion period set on the proposal', () => {
    expect(at('representatives_meeting', 7)).toBe(7 * DAY);
    expect(at('representatives_meeting', 1)).toBe(1 * DAY);
    expect(at('members_representatives_assembly', 12)).toBe(12 * DAY);
    expect(statutoryNoticeEnds(approved, 'representatives_meeting')).toBeNull();
    expect(statutoryNoticeEnds(approved, 'members_representatives_assembly')).toBeNull();
  });

  it('a vote window lasts at least the minimum, exactly the minimum included, and closes after the earliest time', () => {
    const H = 3_600_000;
    const open = new Date(approved.getTime() + 10 * DAY);
    expect(voteWindowProblem(open, new Date(open.getTime() + 24 * H - 1), 24, null)).toBe('too_short');
    expect(voteWindowProblem(open, new Date(open.getTime() + 24 * H), 24, null)).toBeNull();
    expect(voteWindowProblem(open, new Date(open.getTime() + 2 * H), 1, new Date(open.getTime() + 2 * H))).toBe('before_earliest');
    expect(voteWindowProblem(open, new Date(open.getTime() + 2 * H), 1, open)).toBeNull();
  });

  it('there is no earliest time before approval', () => {
    expect(earliestVoting({ deliberation_started_at: null, deliberation_days: 7, deciding_body: 'villagers_meeting' })).toBeNull();
  });
});

describe("the chair's 还差 N 人 (quorumNeed): the quorum holds at exactly that many participants and fails one below", () => {
  it('for every body and electorate (head count; 村民会议 also by households)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BODIES), fc.integer({ min: 1, max: 5000 }), (body, n) => {
        const need = quorumNeed(body, n);
        const at = (p: number) => decide(body, counts({ electorate: n, participants: p, yes: 0, abstain: p })).quorumMet;
        expect(need).toBeLessThanOrEqual(n);
        expect(at(need)).toBe(true);
        if (need > 0) expect(at(need - 1)).toBe(false);
      }),
    );
  });

  it('the worked examples: 300 villagers need 151; 30 组成人员 need 20; 30 party members need 15', () => {
    expect(quorumNeed('villagers_meeting', 300)).toBe(151);
    expect(quorumNeed('representatives_meeting', 30)).toBe(20);
    expect(quorumNeed('party_meeting', 30)).toBe(15);
  });

  it('村民会议 by households: at least 2/3 of the households', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (H) => {
        const h = householdsNeeded(H);
        const at = (x: number) =>
          decide(
            'villagers_meeting',
            counts({ electorate: 10 * H, participants: x, yes: 0, abstain: x, households: H, householdsRepresented: x }),
          ).quorumMet;
        // an electorate of 10 per household: h participants are far from half, so only the household route can meet it
        expect(at(h)).toBe(true);
        expect(at(h - 1)).toBe(false);
      }),
    );
  });
});

describe('spoiled and unreturned paper ballots (issue 14): they take part, and are never yes', () => {
  it('村民会议 of 300: 151 taking part with one spoiled ballot meets the quorum; 76 yes of 151 pass, 75 do not', () => {
    const c = (yes: number) => ({
      electorate: 300,
      households: 0,
      participants: 151,
      householdsRepresented: 0,
      yes,
      no: 150 - yes,
      abstain: 0,
      spoiled: 1,
    });
    expect(decide('villagers_meeting', c(76))).toMatchObject({ quorumMet: true, outcome: 'passed' });
    expect(decide('villagers_meeting', c(75))).toMatchObject({ quorumMet: true, outcome: 'rejected' });
    // Without the spoiled ballot 150 take part: no quorum (more than half of 300 is 151).
    expect(decide('villagers_meeting', { ...c(76), participants: 150, no: 74, spoiled: 0 }).outcome).toBe('no_quorum');
  });

  it('成员大会 of 30: 20 taking part (2 spoiled) is the quorum; 20 yes would be needed, so 18 reject', () => {
    expect(
      decide('members_assembly', {
        electorate: 30,
        households: 0,
        participants: 20,
        householdsRepresented: 0,
        yes: 18,
        no: 0,
        abstain: 0,
        spoiled: 2,
      }),
    ).toMatchObject({
      quorumMet: true,
      outcome: 'rejected',
    });
  });

  it('the counts must add up with the spoiled ballots', () => {
    expect(() =>
      decide('villagers_meeting', {
        electorate: 300,
        households: 0,
        participants: 151,
        householdsRepresented: 0,
        yes: 76,
        no: 74,
        abstain: 0,
      }),
    ).toThrow('choices do not add up');
  });
});
