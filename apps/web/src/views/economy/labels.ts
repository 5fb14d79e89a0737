import {
  ALLIANCE_KIND_NAMES,
  COMPANY_LEVEL_NAMES,
  COMPANY_STATUS_NAMES,
  IMPORT_ORDER,
  OFFICER_ROLE_NAMES,
  ORG_LEVEL_NAMES,
  ORG_STATUS_NAMES,
  reportingLabel,
  SHEET_TITLES,
  UNREPORTED_NAME,
} from '@libs/economy/src/names';

/**
 * Names for the 集体经济 codes: the server's own (libs/economy/src/names.ts), so the UI, the API's
 * messages and the Excel files say the same. Widened to string keys for lookups of codes that arrive
 * as plain strings.
 */
export const COMPANY_STATUS: Record<string, string> = COMPANY_STATUS_NAMES;
export const COMPANY_LEVEL: Record<string, string> = COMPANY_LEVEL_NAMES;
export const ORG_LEVEL: Record<string, string> = ORG_LEVEL_NAMES;
export const ORG_STATUS: Record<string, string> = ORG_STATUS_NAMES;
export const ALLIANCE_KIND: Record<string, string> = ALLIANCE_KIND_NAMES;
export const OFFICER_ROLE: Record<string, string> = OFFICER_ROLE_NAMES;
/** The tables an import may read, in the server's order, by their sheet names. */
export const IMPORT_KINDS: Record<string, string> = Object.fromEntries(IMPORT_ORDER.map((k) => [k, SHEET_TITLES[k]]));

/** Basis points to a percentage: 3550 → 35.50%. */
export const bp = (v: number) => `${(v / 100).toFixed(2)}%`;

/** The API's answers, as the server declares them. */
export type { ChangeView, ImportJobView as ImportJob, ImportRowError, Rollup, RollupRow } from '@libs/economy/src/views';
export { reportingLabel, UNREPORTED_NAME };
