import { ConfigError } from '#platform';

/** Deadlines that local practice may vary; the defaults are the statutory or customary figures. */
export interface MediationSettings {
  /** Mediation concludes within this many days of acceptance (司法部《人民调解工作若干规定》Art. 33: one month). */
  mediationDays: number;
  /** 司法确认 may be applied for within this many days of the agreement taking effect (人民调解法 Art. 33). */
  confirmationDays: number;
  /** The follow-up visit (回访) is due this many days after the agreement takes effect. */
  followUpDays: number;
  /** A deadline within this many days counts as "due soon". */
  dueSoonDays: number;
}

export const MEDIATION_SETTINGS = Symbol('MEDIATION_SETTINGS');

function days(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new ConfigError(name, `应为 1 到 ${max} 之间的整数（天），实际为 "${raw}"`);
  return Number(raw);
}

/** Read once at boot; a bad value stops the app with a message naming the variable. */
export function loadMediationSettings(env: Record<string, string | undefined> = process.env): MediationSettings {
  return {
    mediationDays: days(env, 'MEDIATION_DEADLINE_DAYS', 30, 365),
    confirmationDays: days(env, 'MEDIATION_CONFIRMATION_DAYS', 30, 365),
    followUpDays: days(env, 'MEDIATION_FOLLOW_UP_DAYS', 15, 365),
    dueSoonDays: days(env, 'MEDIATION_DUE_SOON_DAYS', 7, 60),
  };
}
