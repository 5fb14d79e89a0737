import { ConfigError } from '#platform';

/** Figures of 村事共议 that local practice may set; the defaults are DOMAIN.md's. */
export interface DeliberationSettings {
  /** A vote window lasts at least this many hours (a vote of one minute is no meeting). */
  voteMinWindowHours: number;
  /** A joint request that reached its threshold and is not convened after this many days is overdue for the township. */
  jointOverdueDays: number;
}

export const DELIBERATION_SETTINGS = Symbol('DELIBERATION_SETTINGS');

function whole(env: Record<string, string | undefined>, name: string, fallback: number, max: number, unit: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new ConfigError(name, `应为 1 到 ${max} 之间的整数（${unit}），实际为 "${raw}"`);
  return Number(raw);
}

/** Read once at boot; a bad value stops the app with a message naming the variable. */
export function loadDeliberationSettings(env: Record<string, string | undefined> = process.env): DeliberationSettings {
  return {
    voteMinWindowHours: whole(env, 'VOTE_MIN_WINDOW_HOURS', 24, 24 * 30, '小时'),
    jointOverdueDays: whole(env, 'JOINT_REQUEST_OVERDUE_DAYS', 30, 365, '天'),
  };
}
