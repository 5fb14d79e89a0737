/**
 * The statutory decision rules of each body (DOMAIN.md §1 "Decision rules by body"), pure and in
 * integer arithmetic only. "过半数" is strict (2·x > n); "以上" includes the number itself:
 * "三分之二以上" is 3·x ≥ 2·n and "半数以上" is 2·x ≥ n (立法法 usage). Online, "takes part" means
 * cast a ballot (yes, no or abstain). The rules of particular matters, which may only be stricter,
 * are in matter-rules.ts.
 */
import type { DecidingBody, JointConvenes, JointKind, Outcome, VotingBody } from './names.js';
import type { VoteCounts } from './views.js';

// The bodies, the outcomes and their names live in names.ts (shared with the web UI).
export { BODY_NAMES, DECIDING_BODIES, type DecidingBody, type Outcome, type VotingBody } from './names.js';
export type { VoteCounts } from './views.js';

/**
 * The statutory notice of a meeting (DOMAIN.md §1): at least 10 days before a 村民会议 (村民委员会组织法
 * Art. 21) and before a 成员大会 (农村集体经济组织法 Art. 27). The statutes set none for the 村民代表会议,
 * the 成员代表大会 or the 党员大会; there the discussion period set on the proposal is the only wait.
 */
export const STATUTORY_NOTICE: Readonly<Partial<Record<DecidingBody, { days: number; source: string }>>> = {
  villagers_meeting: { days: 10, source: '《中华人民共和国村民委员会组织法》第二十一条' },
  members_assembly: { days: 10, source: '《中华人民共和国农村集体经济组织法》第二十七条' },
};

const DAY_MS = 86_400_000;

/** When the statutory notice issued at `noticeAt` has run (inclusive), or null where the body has none. */
export function statutoryNoticeEnds(noticeAt: Date, body: DecidingBody): Date | null {
  const rule = STATUTORY_NOTICE[body];
  return rule ? new Date(noticeAt.getTime() + rule.days * DAY_MS) : null;
}

/**
 * When the vote may open at the earliest (inclusive): the notice is issued on the township's approval
 * (deliberation_started_at); the wait is the discussion period, never less than the statutory notice.
 */
export function earliestVoting(p: {
  deliberation_started_at: Date | null;
  deliberation_days: number;
  deciding_body: DecidingBody;
}): Date | null {
  if (!p.deliberation_started_at) return null;
  const days = Math.max(p.deliberation_days, STATUTORY_NOTICE[p.deciding_body]?.days ?? 0);
  return new Date(p.deliberation_started_at.getTime() + days * DAY_MS);
}

/** Whether a vote window [opensAt, closesAt) is long enough and closes after the earliest voting time. */
export function voteWindowProblem(
  opensAt: Date,
  closesAt: Date,
  minHours: number,
  earliest: Date | null,
): 'too_short' | 'before_earliest' | null {
  if (closesAt.getTime() - opensAt.getTime() < minHours * 3_600_000) return 'too_short';
  if (earliest && closesAt.getTime() <= earliest.getTime()) return 'before_earliest';
  return null;
}

export interface RuleDescription {
  body: VotingBody;
  quorum: string;
  majority: string;
  source: string;
}

export interface Decision {
  quorumMet: boolean;
  passed: boolean;
  outcome: Outcome;
  rule: RuleDescription;
}

/** 过半数, 超过…半数: more than half, strict. */
export const moreThanHalf = (part: number, whole: number): boolean => 2 * part > whole;
/** 半数以上: at least half, inclusive; never of an empty whole. */
export const atLeastHalf = (part: number, whole: number): boolean => whole > 0 && 2 * part >= whole;
/** 三分之二以上: at least two thirds, inclusive; never of an empty whole. */
export const atLeastTwoThirds = (part: number, whole: number): boolean => whole > 0 && 3 * part >= 2 * whole;

export const RULES: Record<VotingBody, RuleDescription> = {
  villagers_meeting: {
    body: 'villagers_meeting',
    quorum: '本村十八周岁以上村民过半数参加，或者本村三分之二以上的户的代表参加',
    majority: '经到会人员的过半数通过',
    source: '《中华人民共和国村民委员会组织法》第二十二条',
  },
  representatives_meeting: {
    body: 'representatives_meeting',
    quorum: '三分之二以上的组成人员（村民委员会成员和村民代表）参加',
    majority: '经到会人员的过半数同意',
    source: '《中华人民共和国村民委员会组织法》第二十五条、第二十六条',
  },
  party_meeting: {
    body: 'party_meeting',
    quorum: '半数以上有表决权的党员到会',
    majority: '赞成人数超过应到会有表决权的党员的半数（以应到会人数计，不以实到人数计）',
    source: '《中国共产党支部工作条例（试行）》第十一条',
  },
  members_assembly: {
    body: 'members_assembly',
    quorum: '三分之二以上具有完全民事行为能力的成员参加',
    majority: '经成员大会全体成员三分之二以上同意（以全体成员计，不以到会人数计）',
    source: '《中华人民共和国农村集体经济组织法》第二十七条',
  },
  members_representatives_assembly: {
    body: 'members_representatives_assembly',
    quorum: '法律未另设到会人数；须全体成员代表三分之二以上同意，故不足三分之二的成员代表参加即不能作出决定',
    majority: '经全体成员代表三分之二以上同意（以全体成员代表计，不以到会人数计）',
    source: '《中华人民共和国农村集体经济组织法》第二十八条',
  },
};

/** Whether the meeting could be held (its 法定人数). n = the frozen electorate. */
export function quorumMet(body: VotingBody, c: VoteCounts): boolean {
  switch (body) {
    case 'villagers_meeting':
      // Art. 22: more than half of the adult villagers, or at least 2/3 of the households.
      return (c.electorate > 0 && moreThanHalf(c.participants, c.electorate)) || atLeastTwoThirds(c.householdsRepresented, c.households);
    case 'representatives_meeting':
      // Art. 26: at least 2/3 of the 组成人员.
      return atLeastTwoThirds(c.participants, c.electorate);
    case 'party_meeting':
      // 支部工作条例 Art. 11: 半数以上 of the members with a vote, inclusive.
      return atLeastHalf(c.participants, c.electorate);
    case 'members_assembly':
      // Art. 27: at least 2/3 of the members take part.
      return atLeastTwoThirds(c.participants, c.electorate);
    case 'members_representatives_assembly':
      // Art. 28 sets no attendance figure; 2/3 of ALL must agree, so fewer than 2/3 present can decide nothing.
      return atLeastTwoThirds(c.participants, c.electorate);
    default: {
      const unreachable: never = body;
      return unreachable;
    }
  }
}

/** Whether enough voted yes, by the body's own rule (a matter's rule may add a stricter one). */
export function majorityMet(body: VotingBody, c: VoteCounts): boolean {
  switch (body) {
    case 'villagers_meeting':
    case 'representatives_meeting':
      // Of attendees.
      return c.participants > 0 && moreThanHalf(c.yes, c.participants);
    case 'party_meeting':
      // Of ALL members with a vote, however many attended.
      return c.electorate > 0 && moreThanHalf(c.yes, c.electorate);
    case 'members_assembly':
    case 'members_representatives_assembly':
      // Of ALL members (member representatives), not of those present.
      return atLeastTwoThirds(c.yes, c.electorate);
    default: {
      const unreachable: never = body;
      return unreachable;
    }
  }
}

/** Checks that the counts are internally consistent; a tally that fails this is never decided. */
export function countsProblem(c: VoteCounts): string | null {
  const spoiled = c.spoiled ?? 0;
  const all = [c.electorate, c.households, c.participants, c.householdsRepresented, c.yes, c.no, c.abstain, spoiled];
  if (!all.every((n) => Number.isSafeInteger(n) && n >= 0)) return 'counts must be non-negative integers';
  // A spoiled or unreturned paper ballot takes part without being yes, no or abstain.
  if (c.yes + c.no + c.abstain + spoiled !== c.participants) return 'choices do not add up to participants';
  if (c.participants > c.electorate) return 'more participants than electors';
  if (c.householdsRepresented > c.households) return 'more households represented than households';
  return null;
}

export function decide(body: VotingBody, c: VoteCounts): Decision {
  const problem = countsProblem(c);
  if (problem) throw new RangeError(problem);
  const q = quorumMet(body, c);
  const passed = q && majorityMet(body, c);
  return { quorumMet: q, passed, outcome: !q ? 'no_quorum' : passed ? 'passed' : 'rejected', rule: RULES[body] };
}

/**
 * A party meeting recorded on paper (审议): the same rule as the online vote. `members` is the number
 * of members with a vote (应到会有表决权的党员), the denominator of both figures.
 */
export function decideRecordedPartyMeeting(members: number, attendees: number, yes: number, no: number): Decision {
  return decide('party_meeting', {
    electorate: members,
    households: 0,
    participants: attendees,
    householdsRepresented: 0,
    yes,
    no,
    abstain: attendees - yes - no,
  });
}

/** A figure of the recorded 党员大会 that cannot be, with the field it belongs to and why (Chinese). */
export interface PartyCountProblem {
  field: 'attendees' | 'yes' | 'no';
  message: string;
}

/**
 * Why the counts of a recorded 党员大会 cannot be true, figure by figure: `members` is the number of
 * members with a vote in the register (预备党员 and members under 留党察看 excluded, electorate.ts). Empty when they can.
 */
export function partyCountProblems(members: number, attendees: number, yes: number, no: number): PartyCountProblem[] {
  const out: PartyCountProblem[] = [];
  if (members === 0) {
    out.push({ field: 'attendees', message: '本村名册中没有有表决权的党员（预备党员、受留党察看处分的党员不计），请先在名册中登记党员' });
  } else if (attendees > members) {
    out.push({
      field: 'attendees',
      message: `到会人数 ${attendees} 超过本村有表决权的党员人数 ${members}（预备党员、受留党察看处分的党员不计）`,
    });
  }
  if (yes > attendees) out.push({ field: 'yes', message: `赞成 ${yes} 票超过到会人数 ${attendees}` });
  if (no > attendees) out.push({ field: 'no', message: `反对 ${no} 票超过到会人数 ${attendees}` });
  if (yes <= attendees && no <= attendees && yes + no > attendees) {
    const both = `赞成 ${yes} 票与反对 ${no} 票合计 ${yes + no}，超过到会人数 ${attendees}`;
    out.push({ field: 'yes', message: both }, { field: 'no', message: both });
  }
  return out;
}

/** The fewest attendees (半数以上, 2x ≥ n) and yes votes (超过全体半数, 2x > n) of a 党员大会 of `members`. */
export const partyMeetingMinimums = (members: number): { attend: number; yes: number } => ({
  attend: Math.ceil(members / 2),
  yes: Math.floor(members / 2) + 1,
});

/**
 * 联名提议 (村民委员会组织法 Art. 21, 26), "以上" inclusive, in integer arithmetic: 1/10 of the adult
 * villagers (10·x ≥ n) or 1/3 of the village representatives (3·x ≥ n) force a 村民会议; 1/5 of the
 * representatives (5·x ≥ n) force a 村民代表会议. Villagers cannot force a 村民代表会议 (null).
 */
export function jointFraction(kind: JointKind, convenes: JointConvenes = 'villagers_meeting'): number | null {
  if (kind === 'residents') return convenes === 'villagers_meeting' ? 10 : null;
  return convenes === 'villagers_meeting' ? 3 : 5;
}

export function jointThresholdReached(
  kind: JointKind,
  signers: number,
  base: number,
  convenes: JointConvenes = 'villagers_meeting',
): boolean {
  const d = jointFraction(kind, convenes);
  if (d === null || base <= 0) return false;
  return d * signers >= base;
}

/** The smallest number of signatures that reaches the threshold (⌈n / d⌉, at least 1). */
export function jointThreshold(kind: JointKind, base: number, convenes: JointConvenes = 'villagers_meeting'): number {
  const d = jointFraction(kind, convenes);
  if (d === null) throw new RangeError(`${kind} cannot convene ${convenes}`);
  if (base <= 0) return 1;
  return Math.floor((base + d - 1) / d);
}

/**
 * The fewest participants that meet the body's quorum (法定人数) out of `electorate`, by head count: the
 * chair's "还差 N 人". quorumMet holds at exactly this number and fails one below (quorum.spec.ts).
 * 村民会议 may also meet its quorum by households: `householdsNeeded`.
 */
export function quorumNeed(body: VotingBody, electorate: number): number {
  switch (body) {
    case 'villagers_meeting':
      return Math.floor(electorate / 2) + 1; // more than half
    case 'representatives_meeting':
    case 'members_assembly':
    case 'members_representatives_assembly':
      return Math.max(1, Math.ceil((2 * electorate) / 3)); // at least two thirds
    case 'party_meeting':
      return Math.max(1, Math.ceil(electorate / 2)); // at least half
    default: {
      const unreachable: never = body;
      return unreachable;
    }
  }
}

/** 村民会议: the fewest households represented that meet the quorum by households (at least 2/3 of them). */
export const householdsNeeded = (households: number): number => Math.max(1, Math.ceil((2 * households) / 3));
