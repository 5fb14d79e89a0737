import { checkCreditCode, type DomainError } from '#platform';
import { EconomyErrors } from './economy.errors.js';
import { ORG_LEVEL_NAMES, type OrgLevel } from './names.js';
import predecessors from './data/predecessor-counties.json' with { type: 'json' };

export { ORG_LEVEL_NAMES, ORG_LEVELS, type OrgLevel } from './names.js';

/** GB 32100 type digit (position 2) of a collective economic organization by its level. */
export const ORG_TYPE_BY_LEVEL: Record<OrgLevel, string> = { group: '1', village: '2', township: '3' };

export const normalizeCreditCode = (raw: string): string => raw.trim().toUpperCase();

/** The GB 32100 checks shared by every registry record: length, alphabet, check character. */
export function creditCodeError(raw: string): DomainError | null {
  const r = checkCreditCode(raw);
  if (r.ok) return null;
  switch (r.problem) {
    case 'length':
      return EconomyErrors.creditCodeLength();
    case 'charset':
      return EconomyErrors.creditCodeCharset();
    case 'checksum':
      return EconomyErrors.creditCodeChecksum();
    default: {
      const unreachable: never = r.problem;
      return unreachable;
    }
  }
}

export interface PredecessorCounty {
  code: string;
  name: string;
}

const PREDECESSORS: Readonly<Record<string, readonly PredecessorCounty[]>> = predecessors.counties;

/** The counties a county was formed from (长治 2018–2019), empty for a county that was not redistricted. */
export const predecessorCounties = (county: string): readonly PredecessorCounty[] => PREDECESSORS[county] ?? [];

/**
 * The county codes positions 3–8 of an organization's credit code may carry: the county it lies in and
 * the counties it was formed from, because a credit code issued before the redistricting never changes.
 */
export const acceptedRegistrationCounties = (county: string): string[] => [county, ...predecessorCounties(county).map((p) => p.code)];

/**
 * A collective economic organization's code: valid GB 32100, registered by 农业农村 (`N`), the type
 * digit of its level, and the registering county (positions 3–8) equal to the county it lies in or
 * one of that county's predecessors.
 */
export function orgCreditCodeError(raw: string, level: OrgLevel, divisionCode: string): DomainError | null {
  const base = creditCodeError(raw);
  if (base) return base;
  const code = normalizeCreditCode(raw);
  if (code[0] !== 'N') return EconomyErrors.creditCodeAuthority();
  if (code[1] !== ORG_TYPE_BY_LEVEL[level]) return EconomyErrors.creditCodeTypeLevel(ORG_TYPE_BY_LEVEL[level], ORG_LEVEL_NAMES[level]);
  const county = divisionCode.slice(0, 6);
  if (!acceptedRegistrationCounties(county).includes(code.slice(2, 8))) {
    return EconomyErrors.creditCodeDivision(county, predecessorCounties(county));
  }
  return null;
}
