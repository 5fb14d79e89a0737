import { ConfigError } from '#platform';

/** How the outbox sender works; the defaults suit a village's few hundred messages an event. */
export interface MessagingSettings {
  /** The sender's tick, in seconds. */
  sendEverySeconds: number;
  /** The first retry waits this long; each later one twice the one before. */
  retryBaseSeconds: number;
  /** Tries before a message is marked failed (the first send included). */
  maxAttempts: number;
  /** A claimed message not finished within this many seconds is taken as interrupted. */
  leaseSeconds: number;
  /** Messages claimed in one go. */
  batchSize: number;
}

export const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new ConfigError(name, `应为 ${min} 到 ${max} 之间的整数，实际为 "${raw}"`);
  return Number(raw);
}

/** Read once at boot; a bad value stops the app with a message naming the variable. */
export function loadMessagingSettings(env: Record<string, string | undefined> = process.env): MessagingSettings {
  const s = {
    sendEverySeconds: int(env, 'OUTBOX_SEND_EVERY_SECONDS', 10, 1, 3600),
    retryBaseSeconds: int(env, 'OUTBOX_RETRY_BASE_SECONDS', 60, 1, 86_400),
    maxAttempts: int(env, 'OUTBOX_MAX_ATTEMPTS', 5, 1, 20),
    leaseSeconds: int(env, 'OUTBOX_LEASE_SECONDS', 300, 30, 86_400),
    batchSize: int(env, 'OUTBOX_BATCH_SIZE', 50, 1, 1000),
  };
  // A send may take the provider's whole timeout (aliyun-sms.provider.ts: 20 s); a shorter lease would
  // call a send in flight interrupted.
  if (s.leaseSeconds < 60) throw new ConfigError('OUTBOX_LEASE_SECONDS', `至少 60 秒（长于一次发送的超时），实际为 ${s.leaseSeconds}`);
  return s;
}

/**
 * When a message that has failed `attempts` times is tried next: base × 2^(attempts−1) later
 * (1, 2, 4, 8 … minutes by default), or null when it has had its tries and is failed.
 */
export function nextAttemptAt(now: Date, attempts: number, s: Pick<MessagingSettings, 'retryBaseSeconds' | 'maxAttempts'>): Date | null {
  if (attempts >= s.maxAttempts) return null;
  return new Date(now.getTime() + s.retryBaseSeconds * 1000 * 2 ** (attempts - 1));
}
