/**
 * 村务共管's settings (environment, with the statutes' or practice's defaults; DOMAIN.md §1a):
 * - OPENNESS_DUE_DAYS: a period's disclosure is due this many days after the period ends (default 10);
 * - OPENNESS_ANSWER_DAYS: the committee answers a villager's query within this many days (default 10);
 * - OPENNESS_LONG_OVERDUE_DAYS: a village overdue by more than this is highlighted for the township (default 30);
 * - OPENNESS_PUBLICITY_DAYS: how long a disclosure stays up unless it says otherwise (default 30).
 */
export interface OpennessSettings {
  dueDays: number;
  answerDays: number;
  longOverdueDays: number;
  publicityDays: number;
}

export const OPENNESS_SETTINGS = Symbol('OPENNESS_SETTINGS');

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} 应为 ${min}–${max} 之间的整数（现为 ${raw}）`);
  return n;
}

export function loadOpennessSettings(env: NodeJS.ProcessEnv = process.env): OpennessSettings {
  return {
    dueDays: intSetting(env, 'OPENNESS_DUE_DAYS', 10, 0, 60),
    answerDays: intSetting(env, 'OPENNESS_ANSWER_DAYS', 10, 1, 60),
    longOverdueDays: intSetting(env, 'OPENNESS_LONG_OVERDUE_DAYS', 30, 1, 365),
    publicityDays: intSetting(env, 'OPENNESS_PUBLICITY_DAYS', 30, 1, 366),
  };
}
