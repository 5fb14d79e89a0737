/**
 * Who may decide each matter, by what majority, and what approval it needs after the vote
 * (DOMAIN.md §1 "Matters with their own rule"; docs/decisions/011-matter-rules.md). Pure data and
 * pure functions; a matter's rule only ever adds to the body's own rule in quorum.ts, never relaxes it.
 *
 * The database holds the same table of allowed (category, body) pairs in the proposal_matter_body
 * CHECK (migration 1764381000000); test/e2e/matter-rules.e2e-spec.ts keeps the two in step.
 */
import {
  APPROVAL_AUTHORITY_NAMES,
  type ApprovalAuthority,
  BODY_NAMES,
  CATEGORY_NAMES,
  type Category,
  type DecidingBody,
  type Threshold,
  type VotingBody,
} from './names.js';
import { atLeastTwoThirds, countsProblem, type Decision, decide, RULES, type RuleDescription } from './quorum.js';
import type { VoteCounts } from './views.js';

// The categories, the thresholds and their names live in names.ts (shared with the web UI).
export { CATEGORIES, CATEGORY_NAMES, type Category, THRESHOLDS, type Threshold } from './names.js';

export interface Allowed {
  allowed: true;
  threshold: Threshold;
  /** The articles under which this body decides this matter. */
  source: string;
  /** A 村民会议 matter the 村民代表会议 decides only by the meeting's authorisation (村民委员会组织法 Art. 24 ¶2, Art. 25). */
  byAuthorisation: boolean;
}

export interface Refused {
  allowed: false;
  /** Why this body may not decide it, citing the article. */
  reason: string;
}

/** An approval the resolution needs after the vote before it takes effect. */
export interface Approval {
  code: ApprovalAuthority;
  authority: string;
  source: string;
}

export interface MatterRule {
  /** Who decides the matter and under which article, said once for the refusal messages. */
  competence: string;
  bodies: Record<DecidingBody, Allowed | Refused>;
  approvals: readonly Approval[];
}

const CUN = '《中华人民共和国村民委员会组织法》';
const CHENGBAO = '《中华人民共和国农村土地承包法》';
const TUDI = '《中华人民共和国土地管理法》';
const JITI = '《中华人民共和国农村集体经济组织法》';

const AUTHORISATION = `${CUN}第二十四条第二款、第二十五条`;
/** 村民委员会组织法 Art. 24 ¶3 hands the collective organization's property and members' rights to the law that rules them. */
const VILLAGE_BODIES_YIELD = `${CUN}第二十四条第三款：法律对讨论决定村集体经济组织财产和成员权益的事项另有规定的，依照其规定`;
const MRA_EXCLUDED = `${JITI}第二十八条：成员代表大会不得行使第二十六条第一款第一项、第三项、第八项、第十项、第十二项规定的职权`;
const VILLAGE_AFFAIR = `依据${CUN}第二十四条，属村民自治事项，不是集体经济组织成员大会、成员代表大会的职权`;

const allow = (threshold: Threshold, source: string, byAuthorisation = false): Allowed => ({
  allowed: true,
  threshold,
  source,
  byAuthorisation,
});
const refuse = (reason: string): Refused => ({ allowed: false, reason });
const approval = (code: ApprovalAuthority, source: string): Approval => ({ code, authority: APPROVAL_AUTHORITY_NAMES[code], source });

/** A 村民会议 matter (Art. 24 ¶1 item n) that the law on the collective organization also lets its organs decide. */
function villageMatter(item: string, economy: boolean): Pick<MatterRule, 'competence' | 'bodies'> {
  const art = `${CUN}第二十四条第一款第（${item}）项`;
  return {
    competence: economy
      ? `由村民会议（或经其授权的村民代表会议）讨论决定（${art}），或由集体经济组织成员大会、成员代表大会决定（${JITI}第二十六条）`
      : `由村民会议（或经其授权的村民代表会议）讨论决定（${art}）`,
    bodies: {
      villagers_meeting: allow('body_default', art),
      representatives_meeting: allow('body_default', `${art}、第二款`, true),
      members_assembly: economy ? allow('two_thirds_of_all_members', `${JITI}第二十六条`) : refuse(VILLAGE_AFFAIR),
      members_representatives_assembly: economy
        ? allow('two_thirds_of_all_members', `${JITI}第二十六条、第二十八条`)
        : refuse(VILLAGE_AFFAIR),
    },
  };
}

/**
 * A land matter of 农村土地承包法 / 土地管理法: 2/3 of ALL members of the 村民会议 of the collective's members,
 * or 2/3 of ALL village representatives; and the 成员大会, which Art. 26 ¶1 item `assemblyItem` gives it.
 */
function landMatter(article: string, assemblyItem: string, mraReason: string): Pick<MatterRule, 'competence' | 'bodies'> {
  const assembly = `${JITI}第二十六条第一款第（${assemblyItem}）项`;
  return {
    competence: `须经本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上村民代表同意（${article}），或由集体经济组织成员大会决定（${assembly}）`,
    bodies: {
      villagers_meeting: allow('two_thirds_of_all_members', article),
      representatives_meeting: allow('two_thirds_of_all_representatives', article),
      members_assembly: allow('two_thirds_of_all_members', `${assembly}、${article}`),
      members_representatives_assembly: refuse(mraReason),
    },
  };
}

/** A matter of the collective organization's 成员大会 (Art. 26 ¶1 item n); `mra`: whether Art. 28 leaves it to the 成员代表大会 too. */
function assemblyMatter(item: string, mra: boolean): Pick<MatterRule, 'competence' | 'bodies'> {
  const art = `${JITI}第二十六条第一款第（${item}）项`;
  return {
    competence: mra ? `由集体经济组织成员大会或者成员代表大会决定（${art}、第二十八条）` : `须由集体经济组织成员大会决定（${art}）`,
    bodies: {
      villagers_meeting: refuse(VILLAGE_BODIES_YIELD),
      representatives_meeting: refuse(VILLAGE_BODIES_YIELD),
      members_assembly: allow('two_thirds_of_all_members', art),
      members_representatives_assembly: mra ? allow('two_thirds_of_all_members', `${art}、第二十八条`) : refuse(MRA_EXCLUDED),
    },
  };
}

const LAND_CONTRACTING_MRA = `${MRA_EXCLUDED}；${CHENGBAO}只认可村民会议成员或者村民代表的同意`;

export const MATTER_RULES: Record<Category, MatterRule> = {
  work_subsidy: { ...villageMatter('一', false), approvals: [] },
  collective_income: { ...villageMatter('二', true), approvals: [] },
  public_welfare: { ...villageMatter('三', false), approvals: [] },
  land_contracting: {
    ...landMatter(`${CHENGBAO}第十九条第（三）项`, '八', LAND_CONTRACTING_MRA),
    approvals: [],
  },
  land_adjustment: {
    ...landMatter(`${CHENGBAO}第二十八条第二款`, '八', LAND_CONTRACTING_MRA),
    approvals: [
      approval('township_government', `${CHENGBAO}第二十八条第二款`),
      approval('county_agriculture', `${CHENGBAO}第二十八条第二款`),
    ],
  },
  land_outsider_contracting: {
    ...landMatter(`${CHENGBAO}第五十二条第一款`, '八', LAND_CONTRACTING_MRA),
    approvals: [approval('township_government', `${CHENGBAO}第五十二条第一款`)],
  },
  construction_land: {
    ...landMatter(
      `${TUDI}第六十三条第二款`,
      '九',
      `${TUDI}第六十三条第二款只认可本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上村民代表的同意，成员代表不是村民代表`,
    ),
    approvals: [],
  },
  collective_project: { ...villageMatter('五', true), approvals: [] },
  homestead: { ...assemblyMatter('八', false), approvals: [] },
  land_compensation: { ...assemblyMatter('十', false), approvals: [] },
  collective_property: { ...villageMatter('八', true), approvals: [] },
  charter: { ...assemblyMatter('一', false), approvals: [] },
  internal_rules: { ...assemblyMatter('二', true), approvals: [] },
  membership: { ...assemblyMatter('三', false), approvals: [] },
  board_election: { ...assemblyMatter('四', true), approvals: [] },
  budget_distribution: { ...assemblyMatter('七', true), approvals: [] },
  share_quantification: { ...assemblyMatter('八', false), approvals: [] },
  investment: { ...assemblyMatter('十一', true), approvals: [] },
  merger_split: { ...assemblyMatter('十二', false), approvals: [] },
  other: { ...villageMatter('九', true), approvals: [] },
};

/**
 * Whether a 村民会议 deciding `category` is "本集体经济组织成员的村民会议" (农村土地承包法 Art. 19(3), Art. 28 ¶2,
 * Art. 52 ¶1; 土地管理法 Art. 63 ¶2): the matters it decides only by 2/3 of ALL its members. Its electorate is
 * then the collective organization's members aged 18 or over, wherever they live, not the village's adult
 * residents (electorate.ts; docs/decisions/064-land-matters-members-electorate.md).
 */
export function villagersMeetingOfMembers(category: Category): boolean {
  const v = MATTER_RULES[category].bodies.villagers_meeting;
  return v.allowed && v.threshold === 'two_thirds_of_all_members';
}

/** The matter's own figure in words, or null where the body's own majority already says it. */
function thresholdText(body: DecidingBody, threshold: Threshold): string | null {
  switch (threshold) {
    case 'body_default':
      return null;
    case 'two_thirds_of_all_members':
      // 成员大会 and 成员代表大会: their own rule is already 2/3 of all.
      return body === 'villagers_meeting'
        ? '本集体经济组织成员的村民会议三分之二以上成员同意（以村民会议全体成员计，不以到会人数计；村民会议成员为本集体经济组织年满十八周岁的成员，不论是否在本村居住，不是本集体经济组织成员的村民不参加表决）'
        : null;
    case 'two_thirds_of_all_representatives':
      return '三分之二以上村民代表同意（以全体村民代表计，只计村民代表的赞成票，村民委员会成员的票不计入）';
    default: {
      const unreachable: never = threshold;
      return unreachable;
    }
  }
}

/**
 * The body's attendance rule in words for a vote on `category`. The 村民会议 of the collective's members (land
 * matters) is held by Art. 22 counted among its members; its households alternative may hold the meeting but
 * never carries the decision, which needs 2/3 of all members (decision 064).
 */
export function quorumText(body: VotingBody, category: Category): string {
  return body === 'villagers_meeting' && villagersMeetingOfMembers(category)
    ? '本集体经济组织十八周岁以上成员过半数参加，或者其三分之二以上的户的代表参加'
    : RULES[body].quorum;
}

/** What a vote of `body` on `category` needs, in words, with the article of the body's own rule. */
function requirement(body: DecidingBody, category: Category, threshold: Threshold): string {
  const own = RULES[body];
  const extra = thresholdText(body, threshold);
  // The 成员代表大会 has no attendance figure of its own (quorum.ts): only its majority is a requirement.
  const ownRule = body === 'members_representatives_assembly' ? own.majority : `${quorumText(body, category)}，${own.majority}`;
  return extra ? `${extra}；会议还须${ownRule}（${own.source}）` : `${ownRule}（${own.source}）`;
}

export type MatterCheck = { ok: true; rule: Allowed; text: string; approvals: readonly Approval[] } | { ok: false; message: string };

/** Whether `body` may decide `category`; if so, the rule text shown to users ("本事项依据…需…同意"), else why not. */
export function checkMatterBody(category: Category, body: DecidingBody): MatterCheck {
  const m = MATTER_RULES[category];
  const b = m.bodies[body];
  if (!b.allowed)
    return { ok: false, message: `「${CATEGORY_NAMES[category]}」${m.competence}；${BODY_NAMES[body]}不得决定（${b.reason}）。` };
  let text = `本事项依据${b.source}由${BODY_NAMES[body]}决定，需${requirement(body, category, b.threshold)}。`;
  if (b.byAuthorisation) text += `村民代表会议须经村民会议授权方可决定本事项（${AUTHORISATION}）。`;
  if (m.approvals.length) {
    text += `表决通过后，须报${m.approvals.map((a) => a.authority).join('和')}批准（${[...new Set(m.approvals.map((a) => a.source))].join('、')}），批准前不得实施。`;
  }
  return { ok: true, rule: b, text, approvals: m.approvals };
}

/** The counts of a vote, plus the village representatives among a 村民代表会议's 组成人员 and their yes votes. */
export interface MatterCounts extends VoteCounts {
  /** Village representatives in the frozen electorate (村民代表会议 only; 0 elsewhere). */
  representatives: number;
  /** Yes votes cast by village representatives (村民代表会议 only; 0 elsewhere). */
  representativesYes: number;
}

export interface MatterRuleDescription extends RuleDescription {
  threshold: Threshold;
  /** The matter's rule as users read it, or why the body may not decide it. */
  matter: { category: Category; name: string; text: string } | null;
}

export interface MatterDecision extends Decision {
  threshold: Threshold;
  /** The matter's own figure (true for `body_default`). */
  thresholdMet: boolean;
  /** False when the body may not decide the matter: such a vote never passes. */
  competent: boolean;
  rule: MatterRuleDescription;
}

function representativesProblem(c: MatterCounts): string | null {
  if (![c.representatives, c.representativesYes].every((n) => Number.isSafeInteger(n) && n >= 0))
    return 'representative counts must be non-negative integers';
  if (c.representatives > c.electorate) return 'more representatives than electors';
  if (c.representativesYes > c.representatives) return 'more representatives voting yes than representatives';
  if (c.representativesYes > c.yes) return 'more representatives voting yes than yes votes';
  return null;
}

function thresholdReached(threshold: Threshold, c: MatterCounts): boolean {
  switch (threshold) {
    case 'body_default':
      return true;
    case 'two_thirds_of_all_members':
      return atLeastTwoThirds(c.yes, c.electorate);
    case 'two_thirds_of_all_representatives':
      return atLeastTwoThirds(c.representativesYes, c.representatives);
    default: {
      const unreachable: never = threshold;
      return unreachable;
    }
  }
}

/**
 * Decides a vote on `category` by `body`: the body's quorum and majority (quorum.ts) AND the matter's
 * figure. A body that may not decide the matter never passes it (a proposal filed before these rules).
 * Throws RangeError on counts that do not add up, like `decide`.
 */
export function decideMatter(category: Category, body: DecidingBody, c: MatterCounts): MatterDecision {
  const problem = countsProblem(c) ?? representativesProblem(c);
  if (problem) throw new RangeError(problem);
  const base = decide(body, c);
  const fit = checkMatterBody(category, body);
  const matter = { category, name: CATEGORY_NAMES[category] };
  if (!fit.ok) {
    return {
      ...base,
      passed: false,
      outcome: base.quorumMet ? 'rejected' : 'no_quorum',
      threshold: 'body_default',
      thresholdMet: false,
      competent: false,
      rule: { ...base.rule, threshold: 'body_default', matter: { ...matter, text: fit.message } },
    };
  }
  const { threshold, source } = fit.rule;
  const thresholdMet = thresholdReached(threshold, c);
  const passed = base.passed && thresholdMet;
  return {
    quorumMet: base.quorumMet,
    passed,
    outcome: !base.quorumMet ? 'no_quorum' : passed ? 'passed' : 'rejected',
    threshold,
    thresholdMet,
    competent: true,
    rule: {
      ...base.rule,
      quorum: quorumText(body, category),
      majority: thresholdText(body, threshold) ?? base.rule.majority,
      source: `${source}；${base.rule.source}`,
      threshold,
      matter: { ...matter, text: fit.text },
    },
  };
}

/**
 * Decides any vote: a decision by its matter's rule, a party members' 审议 by the party meeting's own
 * rule (it reviews the proposal; the matter's figures are for the deciding body).
 */
export function decideVote(purpose: 'party_review' | 'decision', category: Category, body: VotingBody, c: MatterCounts): MatterDecision {
  if (purpose === 'decision' && body !== 'party_meeting') return decideMatter(category, body, c);
  const problem = representativesProblem(c);
  if (problem) throw new RangeError(problem);
  const d = decide(body, c);
  return {
    ...d,
    threshold: 'body_default',
    thresholdMet: true,
    competent: true,
    rule: { ...d.rule, threshold: 'body_default', matter: null },
  };
}
