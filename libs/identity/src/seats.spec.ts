import fc from 'fast-check';
import { representativesMeetingComposition, representativesShareMet, womenShareMet } from './seats.js';

describe('村民代表会议 composition (Art. 25)', () => {
  it('25 representatives and 5 committee members: 30 组成人员, 25/30 ≥ 4/5, no warning', () => {
    const c = representativesMeetingComposition({ committeeMembers: 5, representatives: 25, womenRepresentatives: 10 });
    expect(c.members).toBe(30);
    expect(c.warnings).toEqual([]);
  });

  it('4/5 is inclusive: 20 of 25 is enough, 19 of 24 is not', () => {
    expect(representativesShareMet(20, 25)).toBe(true);
    expect(representativesShareMet(19, 24)).toBe(false);
    const c = representativesMeetingComposition({ committeeMembers: 5, representatives: 19, womenRepresentatives: 8 });
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toContain('五分之四以上');
    expect(c.warnings[0]).toContain('现有村民代表 19 人，组成人员 24 人');
  });

  it('1/3 is inclusive: 10 women of 30 is enough, 9 is not', () => {
    expect(womenShareMet(10, 30)).toBe(true);
    expect(womenShareMet(9, 30)).toBe(false);
    const c = representativesMeetingComposition({ committeeMembers: 5, representatives: 25, womenRepresentatives: 9 });
    expect(c.warnings).toEqual([expect.stringContaining('妇女村民代表应当占村民代表会议组成人员的三分之一以上')]);
  });

  it('an empty register warns once', () => {
    expect(representativesMeetingComposition({ committeeMembers: 0, representatives: 0, womenRepresentatives: 0 }).warnings).toEqual([
      expect.stringContaining('尚未登记'),
    ]);
  });

  it('property: warnings are exactly the failed shares, in integer arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 300 }), fc.nat(), (committee, reps, w) => {
        fc.pre(committee + reps > 0);
        const women = w % (reps + 1);
        const c = representativesMeetingComposition({ committeeMembers: committee, representatives: reps, womenRepresentatives: women });
        const n = committee + reps;
        expect(c.warnings.some((x) => x.includes('五分之四'))).toBe(reps / n < 0.8 - 1e-12);
        expect(c.warnings.some((x) => x.includes('三分之一'))).toBe(women / n < 1 / 3 - 1e-12);
      }),
    );
  });

  it('property: at the boundary, one representative fewer tips 4/5 over', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (k) => {
        // 4k representatives and k committee members: exactly 4/5.
        expect(representativesShareMet(4 * k, 5 * k)).toBe(true);
        expect(representativesShareMet(4 * k - 1, 5 * k - 1)).toBe(false);
        expect(womenShareMet(k, 3 * k)).toBe(true);
        expect(womenShareMet(k - 1, 3 * k)).toBe(false);
      }),
    );
  });
});
