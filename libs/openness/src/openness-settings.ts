/**
 * 村务共管's settings (environment, with the statutes' or practice's defaults; DOMAIN.md §1a):
 * - OPENNESS_DUE_DAYS: a period's disclosure is due this many days after the period ends (default 10);
 * - OPENNESS_ANSWER_DAYS: the committee answers a villager's query within this many days (default 10);
 * - OPENNESS_LONG_OVERDUE_DAYS: a village overdue by more than this is highlighted for the township (default 30);
 * - OPENNESS_PUBLICITY_DAYS: how long a disclosure stays up unless it says otherwise (default 30);
 * - OPENNESS_SCHEDULE_FROM: the first quarter the schedule counts (the 1st of January, April, July or October;
 *   default 2026-01-01): periods before it were published on paper boards, not here (schedule.ts).
 */
export interface OpennessSettings {
  dueDays: number;
  answerDays: number;
  longOverdueDays: number;
  publicityDays: number;
  scheduleFrom: string;
}

export const OPENNESS_SETTINGS = Symbol('OPENNESS_SETTINGS');

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} 应为 ${min}–${max} 之间的整数（现为 ${raw}）`);
  return n;
}

function quarterStartSetting(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d{4})-(01|04|07|10)-01$/.exec(raw);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100)
    throw new Error(`${name} 应为某季度的第一天，如 2026-01-01、2026-04-01（现为 ${raw}）`);
  return raw;
}

export function loadOpennessSettings(env: NodeJS.ProcessEnv = process.env): OpennessSettings {
  return {
    dueDays: intSetting(env, 'OPENNESS_DUE_DAYS', 10, 0, 60),
    answerDays: intSetting(env, 'OPENNESS_ANSWER_DAYS', 10, 1, 60),
    longOverdueDays: intSetting(env, 'OPENNESS_LONG_OVERDUE_DAYS', 30, 1, 365),
    publicityDays: intSetting(env, 'OPENNESS_PUBLICITY_DAYS', 30, 1, 366),
    scheduleFrom: quarterStartSetting(env, 'OPENNESS_SCHEDULE_FROM', '2026-01-01'),
  };
}
