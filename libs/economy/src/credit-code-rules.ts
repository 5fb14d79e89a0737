import { checkCreditCode, type DomainError } from '#platform';
import { EconomyErrors } from './economy.errors.js';
import { ORG_LEVEL_NAMES, type OrgLevel } from './names.js';

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

/**
 * A collective economic organization's code: valid GB 32100, registered by 农业农村 (`N`), the type
 * digit of its level, and the registering county (positions 3–8) equal to the county it lies in.
 */
export function orgCreditCodeError(raw: string, level: OrgLevel, divisionCode: string): DomainError | null {
  const base = creditCodeError(raw);
  if (base) return base;
  const code = normalizeCreditCode(raw);
  if (code[0] !== 'N') return EconomyErrors.creditCodeAuthority();
  if (code[1] !== ORG_TYPE_BY_LEVEL[level]) return EconomyErrors.creditCodeTypeLevel(ORG_TYPE_BY_LEVEL[level], ORG_LEVEL_NAMES[level]);
  const county = divisionCode.slice(0, 6);
  if (code.slice(2, 8) !== county) return EconomyErrors.creditCodeDivision(county);
  return null;
}
