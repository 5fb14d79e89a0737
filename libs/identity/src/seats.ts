/**
 * The make-up of a 村民代表会议 (村民委员会组织法 Art. 25): its 组成人员 are the village committee's
 * members and the village representatives; the representatives must be at least 4/5 of them and the
 * women representatives at least 1/3 of them ("以上" includes the figure). Pure; the register answers
 * with these warnings, it does not refuse (a village fixes its register, its meeting still meets).
 * Shared with the web UI: it imports only its own types (views.ts).
 */

import type { RepresentativesMeetingComposition, RepresentativesMeetingCounts } from './views.js';

export type { RepresentativesMeetingComposition, RepresentativesMeetingCounts } from './views.js';

const SOURCE = '《中华人民共和国村民委员会组织法》第二十五条';

/** 五分之四以上: 5·r ≥ 4·n. */
export const representativesShareMet = (representatives: number, members: number): boolean => 5 * representatives >= 4 * members;
/** 三分之一以上: 3·w ≥ n. */
export const womenShareMet = (women: number, members: number): boolean => 3 * women >= members;

export function representativesMeetingComposition(c: RepresentativesMeetingCounts): RepresentativesMeetingComposition {
  const members = c.committeeMembers + c.representatives;
  const warnings: string[] = [];
  if (members === 0) {
    warnings.push('尚未登记村民委员会成员和村民代表，村民代表会议没有组成人员');
  } else {
    if (!representativesShareMet(c.representatives, members)) {
      warnings.push(
        `村民代表应当占村民代表会议组成人员的五分之四以上（${SOURCE}）：现有村民代表 ${c.representatives} 人，组成人员 ${members} 人`,
      );
    }
    if (!womenShareMet(c.womenRepresentatives, members)) {
      warnings.push(
        `妇女村民代表应当占村民代表会议组成人员的三分之一以上（${SOURCE}）：现有妇女村民代表 ${c.womenRepresentatives} 人，组成人员 ${members} 人`,
      );
    }
  }
  return { ...c, members, warnings };
}
