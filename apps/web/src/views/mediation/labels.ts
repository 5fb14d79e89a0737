import {
  AGREEMENT_FORM_NAMES,
  CONFIRMATION_OUTCOME_NAMES,
  DEADLINE_KIND_NAMES,
  DISPUTE_TYPE_NAMES,
  EXECUTION_MODE_NAMES,
  EVENT_NAMES,
  OTHER_CHANNEL_NAMES,
  PARTY_ROLE_NAMES,
  PERFORMANCE_NAMES,
  RISK_LEVEL_NAMES,
  SOURCE_NAMES,
  STATUS_NAMES,
  unverifiedDeadlineNote,
} from '@libs/mediation/src/names';

/**
 * Names for the 人民调解 codes: the server's own (libs/mediation/src/names.ts), so the UI, the API's
 * messages, the printed documents and the Excel exports say the same. Widened to string keys for
 * lookups of codes that arrive as plain strings.
 */
export const DISPUTE_TYPES: Record<string, string> = DISPUTE_TYPE_NAMES;
export const SOURCES: Record<string, string> = SOURCE_NAMES;
export const PARTY_ROLES: Record<string, string> = PARTY_ROLE_NAMES;
export const CASE_STATUS: Record<string, string> = STATUS_NAMES;
/** The actions (buttons, forms) and the other entries of a case's history. */
export const CASE_ACTIONS: Record<string, string> = EVENT_NAMES;
export const OTHER_CHANNELS: Record<string, string> = OTHER_CHANNEL_NAMES;
export const PERFORMANCE: Record<string, string> = PERFORMANCE_NAMES;
export const RISK: Record<string, string> = RISK_LEVEL_NAMES;
export const AGREEMENT_FORM: Record<string, string> = AGREEMENT_FORM_NAMES;
export const EXECUTION_MODE: Record<string, string> = EXECUTION_MODE_NAMES;
export const CONFIRMATION_OUTCOME: Record<string, string> = CONFIRMATION_OUTCOME_NAMES;
export { unverifiedDeadlineNote };
export const DEADLINE_KIND: Record<string, string> = DEADLINE_KIND_NAMES;
