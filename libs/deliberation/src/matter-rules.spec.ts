import fc from 'fast-check';
import {
  checkMatterBody,
  decideMatter,
  decideVote,
  MATTER_RULES,
  type MatterCounts,
  type Threshold,
  villagersMeetingOfMembers,
} from './matter-rules.js';
import { BODY_NAMES, CATEGORIES, CATEGORY_NAMES, type Category, DECIDING_BODIES, type DecidingBody } from './names.js';
import { decide } from './quorum.js';

/**
 * The table as the statutes say it (DOMAIN.md §1; docs/decisions/011-matter-rules.md), written out
 * by hand for every category × body so that a change to MATTER_RULES shows up here. An allowed pair
 * names its threshold and an article its rule text must cite; a refused pair an article its refusal
 * must cite.
 */
type Expect = { allowed: true; threshold: Threshold; cites: string; byAuthorisation?: true } | { allowed: false; cites: string };
const body = (threshold: Threshold, cites: string, byAuthorisation?: true): Expect => ({
  allowed: true,
  threshold,
  cites,
  ...(byAuthorisation ? { byAuthorisation } : {}),
});
const no = (cites: string): Expect => ({ allowed: false, cites });

const CUN24 = '村民委员会组织法》第二十四条';
const YIELD = '村民委员会组织法》第二十四条第三款';
const ART28 = '农村集体经济组织法》第二十八条';

const villageMatter = (item: string, economy: boolean): Record<DecidingBody, Expect> => ({
  villagers_meeting: body('body_default', `${CUN24}第一款第（${item}）项`),
  representatives_meeting: body('body_default', `${CUN24}第一款第（${item}）项`, true),
  members_assembly: economy ? body('two_thirds_of_all_members', '农村集体经济组织法》第二十六条') : no(CUN24),
  members_representatives_assembly: economy ? body('two_thirds_of_all_members', ART28) : no(CUN24),
});
const landMatter = (article: string, mraCites: string): Record<DecidingBody, Expect> => ({
  villagers_meeting: body('two_thirds_of_all_members', article),
  representatives_meeting: body('two_thirds_of_all_representatives', article),
  members_assembly: body('two_thirds_of_all_members', article),
  members_representatives_assembly: no(mraCites),
});
const assemblyMatter = (item: string, mra: boolean): Record<DecidingBody, Expect> => ({
  villagers_meeting: no(YIELD),
  representatives_meeting: no(YIELD),
  members_assembly: body('two_thirds_of_all_members', `农村集体经济组织法》第二十六条第一款第（${item}）项`),
  members_representatives_assembly: mra ? body('two_thirds_of_all_members', `第二十六条第一款第（${item}）项、第二十八条`) : no(ART28),
});

const EXPECTED: Record<Category, Record<DecidingBody, Expect>> = {
  work_subsidy: villageMatter('一', false),
  collective_income: villageMatter('二', true),
  public_welfare: villageMatter('三', false),
  land_contracting: landMatter('农村土地承包法》第十九条第（三）项', ART28),
  land_adjustment: landMatter('农村土地承包法》第二十八条第二款', ART28),
  land_outsider_contracting: landMatter('农村土地承包法》第五十二条第一款', ART28),
  construction_land: landMatter('土地管理法》第六十三条第二款', '土地管理法》第六十三条第二款'),
  collective_project: villageMatter('五', true),
  homestead: assemblyMatter('八', false),
  land_compensation: assemblyMatter('十', false),
  collective_property: villageMatter('八', true),
  charter: assemblyMatter('一', false),
  internal_rules: assemblyMatter('二', true),
  membership: assemblyMatter('三', false),
  board_election: assemblyMatter('四', true),
  budget_distribution: assemblyMatter('七', true),
  share_quantification: assemblyMatter('八', false),
  investment: assemblyMatter('十一', true),
  merger_split: assemblyMatter('十二', false),
  other: villageMatter('九', true),
};

const PAIRS = CATEGORIES.flatMap((c) => DECIDING_BODIES.map((b) => [c, b] as const));

describe('every matter × body: allowed with its threshold, or refused citing the article', () => {
  it('covers all 20 categories and 4 bodies', () => {
    expect(PAIRS).toHaveLength(80);
    expect(Object.keys(MATTER_RULES).sort()).toEqual([...CATEGORIES].sort());
  });

  it.each(PAIRS)('%s at %s', (category, b) => {
    const want = EXPECTED[category][b];
    const got = checkMatterBody(category, b);
    expect(got.ok).toBe(want.allowed);
    if (got.ok && want.allowed) {
      expect(got.rule.threshold).toBe(want.threshold);
      expect(got.rule.byAuthorisation).toBe(want.byAuthorisation ?? false);
      expect(got.text).toMatch(/^本事项依据《.+》第.+条.*由.+决定，需.+(同意|通过)/);
      expect(got.text).toContain(want.cites);
      expect(got.text).toContain(BODY_NAMES[b]);
      if (want.byAuthorisation) expect(got.text).toContain('须经村民会议授权');
    } else if (!got.ok && !want.allowed) {
      expect(got.message).toContain(want.cites);
      expect(got.message).toContain(`「${CATEGORY_NAMES[category]}」`);
      expect(got.message).toContain(`${BODY_NAMES[b]}不得决定`);
    }
  });

  it('every matter can be decided by at least one body', () => {
    for (const c of CATEGORIES) expect(DECIDING_BODIES.some((b) => checkMatterBody(c, b).ok)).toBe(true);
  });
});

describe('approvals after the vote', () => {
  it('adjusting contracted land: the township and the county agriculture department (农村土地承包法 Art. 28)', () => {
    expect(MATTER_RULES.land_adjustment.approvals.map((a) => a.authority)).toEqual(['乡（镇）人民政府', '县级人民政府农业农村等主管部门']);
    const r = checkMatterBody('land_adjustment', 'villagers_meeting');
    expect(r.ok && r.text).toContain(
      '须报乡（镇）人民政府和县级人民政府农业农村等主管部门批准（《中华人民共和国农村土地承包法》第二十八条第二款）',
    );
  });

  it('contracting to outsiders: the township (Art. 52)', () => {
    expect(MATTER_RULES.land_outsider_contracting.approvals.map((a) => a.authority)).toEqual(['乡（镇）人民政府']);
    const r = checkMatterBody('land_outsider_contracting', 'representatives_meeting');
    expect(r.ok && r.text).toContain('须报乡（镇）人民政府批准（《中华人民共和国农村土地承包法》第五十二条第一款）');
  });

  it('no other matter needs one', () => {
    const withApproval = CATEGORIES.filter((c) => MATTER_RULES[c].approvals.length > 0);
    expect(withApproval).toEqual(['land_adjustment', 'land_outsider_contracting']);
    expect(
      checkMatterBody('land_contracting', 'villagers_meeting').ok &&
        (checkMatterBody('land_contracting', 'villagers_meeting') as { text: string }).text,
    ).not.toContain('批准');
  });
});

const counts = (c: Partial<MatterCounts> & { electorate: number; participants: number; yes: number }): MatterCounts => ({
  households: 0,
  householdsRepresented: 0,
  no: c.participants - c.yes - (c.abstain ?? 0),
  abstain: 0,
  representatives: 0,
  representativesYes: 0,
  ...c,
});

const LAND: Category[] = ['land_contracting', 'land_adjustment', 'land_outsider_contracting', 'construction_land'];

describe('land matters at a 村民会议: at least 2/3 of ALL its members, not of attendees', () => {
  it('a majority of attendees with fewer than 2/3 of all members is not passed', () => {
    // 30 electors, 20 take part, 15 yes: 15 > 10 (half of attendees), 3·15 < 2·30.
    for (const c of LAND) {
      const d = decideMatter(c, 'villagers_meeting', counts({ electorate: 30, participants: 20, yes: 15 }));
      expect(d).toMatchObject({
        quorumMet: true,
        thresholdMet: false,
        passed: false,
        outcome: 'rejected',
        threshold: 'two_thirds_of_all_members',
      });
      expect(decide('villagers_meeting', counts({ electorate: 30, participants: 20, yes: 15 })).outcome).toBe('passed');
    }
  });

  it('property: yes at exactly 2/3 of all members and one above pass, one below does not, however many attended', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAND), fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 0, max: 30_000 }), (c, k, extra) => {
        const n = 3 * k;
        const p = Math.min(n, 2 * k + 1 + extra);
        const at = (yes: number) => decideMatter(c, 'villagers_meeting', counts({ electorate: n, participants: p, yes })).outcome;
        expect(at(2 * k - 1)).toBe('rejected');
        expect(at(2 * k)).toBe('passed');
        expect(at(2 * k + 1)).toBe('passed');
      }),
    );
  });

  it('property: at exactly half of all members yes (a clear majority of attendees) it is never passed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAND), fc.integer({ min: 2, max: 30_000 }), (c, k) => {
        const n = 2 * k;
        const d = decideMatter(c, 'villagers_meeting', counts({ electorate: n, participants: k + 1, yes: k }));
        expect(d.outcome).toBe('rejected');
        expect(d.rule.majority).toContain('以村民会议全体成员计');
      }),
    );
  });

  it('property: the households quorum (2/3 of households represented) never stands in for 2/3 of all members voting yes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAND), fc.integer({ min: 2, max: 10_000 }), fc.integer({ min: 0, max: 100 }), (c, k, h) => {
        // 3k members in `households` households, every household represented by the half of the members who take part, all yes.
        const n = 3 * k;
        const p = Math.floor(n / 2);
        const households = Math.min(p, 1 + h);
        const d = decideMatter(
          c,
          'villagers_meeting',
          counts({ electorate: n, participants: p, yes: p, households, householdsRepresented: households }),
        );
        // The meeting is held (Art. 22, by households), but yes < 2/3 of all members: not passed.
        expect(d).toMatchObject({ quorumMet: true, thresholdMet: false, passed: false, outcome: 'rejected' });
      }),
    );
  });

  it("the land matters, and only they, make the 村民会议 one of the collective organization's members; the rule text says who votes", () => {
    expect(CATEGORIES.filter(villagersMeetingOfMembers)).toEqual(LAND);
    for (const c of LAND) {
      const r = checkMatterBody(c, 'villagers_meeting');
      expect(r.ok && r.text).toContain('本集体经济组织成员的村民会议三分之二以上成员同意');
      expect(r.ok && r.text).toContain(
        '村民会议成员为本集体经济组织年满十八周岁的成员，不论是否在本村居住，不是本集体经济组织成员的村民不参加表决',
      );
      // Its attendance is counted among the members too, in the page's text and in the stored rule.
      expect(r.ok && r.text).toContain('会议还须本集体经济组织十八周岁以上成员过半数参加');
      expect(r.ok && r.text).not.toContain('本村十八周岁以上村民');
      expect(decideMatter(c, 'villagers_meeting', counts({ electorate: 3, participants: 2, yes: 2 })).rule.quorum).toBe(
        '本集体经济组织十八周岁以上成员过半数参加，或者其三分之二以上的户的代表参加',
      );
    }
    // Other matters at a 村民会议 keep the village's adult residents.
    const road = checkMatterBody('public_welfare', 'villagers_meeting');
    expect(road.ok && road.text).toContain('本村十八周岁以上村民过半数参加');
    expect(decideMatter('public_welfare', 'villagers_meeting', counts({ electorate: 3, participants: 2, yes: 2 })).rule.quorum).toBe(
      '本村十八周岁以上村民过半数参加，或者本村三分之二以上的户的代表参加',
    );
  });
});

describe('land matters at a 村民代表会议: at least 2/3 of ALL village representatives, their yes votes only', () => {
  it('property: representatives voting yes at exactly 2/3 and one above pass, one below does not, whatever the committee members vote', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAND), fc.integer({ min: 2, max: 10_000 }), fc.integer({ min: 0, max: 9 }), (c, k, committee) => {
        // The shape stage 2 feeds in: 3k representatives plus committee members, everyone present.
        const reps = 3 * k;
        const n = reps + committee;
        const at = (repsYes: number) =>
          decideMatter(
            c,
            'representatives_meeting',
            counts({ electorate: n, participants: n, yes: repsYes + committee, representatives: reps, representativesYes: repsYes }),
          ).outcome;
        // The committee members' yes votes lift the total over 2/3 of 组成人员 but do not count.
        expect(at(2 * k - 1)).toBe('rejected');
        expect(at(2 * k)).toBe('passed');
        expect(at(2 * k + 1)).toBe('passed');
      }),
    );
  });

  it('with the representatives as the whole electorate (stage 1), 2/3 of all of them are needed, not a majority of attendees', () => {
    const d = (participants: number, yes: number) =>
      decideMatter(
        'land_contracting',
        'representatives_meeting',
        counts({ electorate: 30, participants, yes, representatives: 30, representativesYes: yes }),
      );
    expect(d(30, 19).outcome).toBe('rejected');
    expect(d(20, 19).outcome).toBe('rejected');
    expect(d(20, 20).outcome).toBe('passed');
    expect(d(19, 19).outcome).toBe('no_quorum');
  });

  it('no representatives: never passed', () => {
    expect(decideMatter('land_contracting', 'representatives_meeting', counts({ electorate: 5, participants: 5, yes: 5 })).outcome).toBe(
      'rejected',
    );
  });
});

/** The matter's figure, read independently of matter-rules.ts (ceil instead of cross-multiplication). */
const matterFigure = (threshold: Threshold, c: MatterCounts) =>
  threshold === 'body_default'
    ? true
    : threshold === 'two_thirds_of_all_members'
      ? c.electorate > 0 && c.yes >= Math.ceil((2 * c.electorate) / 3)
      : c.representatives > 0 && c.representativesYes >= Math.ceil((2 * c.representatives) / 3);

const arbitraryCounts = fc
  .integer({ min: 0, max: 600 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n })))
  .chain(([n, p, R]) =>
    fc.tuple(fc.constant(n), fc.constant(p), fc.constant(R), fc.integer({ min: 0, max: p }), fc.integer({ min: 0, max: n })),
  )
  .chain(([n, p, R, y, H]) =>
    fc.record({
      electorate: fc.constant(n),
      participants: fc.constant(p),
      yes: fc.constant(y),
      households: fc.constant(H),
      householdsRepresented: fc.integer({ min: 0, max: Math.min(H, p) }),
      representatives: fc.constant(R),
      representativesYes: fc.integer({ min: 0, max: Math.min(R, y) }),
    }),
  )
  .map((c) => ({ ...c, no: c.participants - c.yes, abstain: 0 }));

describe('every matter rule, for arbitrary counts', () => {
  it('property: never looser than the body default; passes exactly when the body rule and the matter figure both hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIRS), arbitraryCounts, ([category, b], c) => {
        const d = decideMatter(category, b, c);
        const base = decide(b, c);
        const want = EXPECTED[category][b];
        if (d.passed) expect(base.passed).toBe(true);
        expect(d.quorumMet).toBe(base.quorumMet);
        const passes = want.allowed && base.passed && matterFigure(want.threshold, c);
        expect(d.outcome).toBe(!base.quorumMet ? 'no_quorum' : passes ? 'passed' : 'rejected');
        expect(d.competent).toBe(want.allowed);
      }),
      { numRuns: 3000 },
    );
  });

  it('a body that may not decide the matter never passes it, even unanimously, and says why', () => {
    const d = decideMatter('charter', 'villagers_meeting', counts({ electorate: 10, participants: 10, yes: 10 }));
    expect(d).toMatchObject({ passed: false, outcome: 'rejected', competent: false });
    expect(d.rule.matter?.text).toContain('第二十六条第一款第（一）项');
  });

  it('the stored rule names the threshold and the matter, with both sources', () => {
    const d = decideMatter('land_contracting', 'villagers_meeting', counts({ electorate: 3, participants: 3, yes: 2 }));
    expect(d.rule).toMatchObject({
      body: 'villagers_meeting',
      threshold: 'two_thirds_of_all_members',
      matter: { category: 'land_contracting', name: '土地承包经营方案' },
    });
    expect(d.rule.source).toContain('农村土地承包法》第十九条第（三）项');
    expect(d.rule.source).toContain('村民委员会组织法》第二十二条');
  });

  it('refuses representative counts that do not add up', () => {
    expect(() =>
      decideMatter(
        'land_contracting',
        'representatives_meeting',
        counts({ electorate: 5, participants: 5, yes: 2, representatives: 5, representativesYes: 3 }),
      ),
    ).toThrow(RangeError);
    expect(() =>
      decideMatter(
        'land_contracting',
        'representatives_meeting',
        counts({ electorate: 5, participants: 5, yes: 5, representatives: 6, representativesYes: 4 }),
      ),
    ).toThrow(RangeError);
    expect(() =>
      decideMatter(
        'land_contracting',
        'representatives_meeting',
        counts({ electorate: 5, participants: 5, yes: 5, representatives: 3, representativesYes: 4 }),
      ),
    ).toThrow(RangeError);
  });
});

describe('decideVote', () => {
  it('a party members’ 审议 follows the party meeting’s own rule, whatever the matter', () => {
    const d = decideVote('party_review', 'land_contracting', 'party_meeting', counts({ electorate: 30, participants: 16, yes: 16 }));
    expect(d).toMatchObject({ outcome: 'passed', threshold: 'body_default', competent: true });
    expect(d.rule.matter).toBeNull();
    expect(
      decideVote('party_review', 'land_contracting', 'party_meeting', counts({ electorate: 30, participants: 20, yes: 15 })).outcome,
    ).toBe('rejected');
  });

  it('a decision follows the matter rule', () => {
    expect(
      decideVote('decision', 'land_contracting', 'villagers_meeting', counts({ electorate: 30, participants: 20, yes: 15 })).outcome,
    ).toBe('rejected');
    expect(
      decideVote('decision', 'public_welfare', 'villagers_meeting', counts({ electorate: 30, participants: 20, yes: 15 })).outcome,
    ).toBe('passed');
  });
});
