import { ConfigError } from '#platform';
import { loadMessagingSettings, nextAttemptAt } from './messaging-settings.js';

const MIN = 60_000;
const t0 = new Date('2026-12-01T00:00:00Z');

describe('the retry schedule', () => {
  const s = loadMessagingSettings({});
  it('defaults: 1 min × 2^(n−1) after the n-th failure, 5 tries in all', () => {
    expect(s).toMatchObject({ retryBaseSeconds: 60, maxAttempts: 5 });
    const waits = [1, 2, 3, 4].map((n) => nextAttemptAt(t0, n, s)!.getTime() - t0.getTime());
    expect(waits).toEqual([1 * MIN, 2 * MIN, 4 * MIN, 8 * MIN]);
    expect(nextAttemptAt(t0, 5, s)).toBeNull();
    expect(nextAttemptAt(t0, 6, s)).toBeNull();
  });
  it('follows the settings', () => {
    const custom = loadMessagingSettings({ OUTBOX_RETRY_BASE_SECONDS: '10', OUTBOX_MAX_ATTEMPTS: '2' });
    expect(nextAttemptAt(t0, 1, custom)!.getTime() - t0.getTime()).toBe(10_000);
    expect(nextAttemptAt(t0, 2, custom)).toBeNull();
  });
  it('refuses a bad value, naming the variable', () => {
    expect(() => loadMessagingSettings({ OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
    expect(() => loadMessagingSettings({ OUTBOX_MAX_ATTEMPTS: 'x' })).toThrow(/OUTBOX_MAX_ATTEMPTS/);
    expect(() => loadMessagingSettings({ OUTBOX_LEASE_SECONDS: '45' })).toThrow(/OUTBOX_LEASE_SECONDS/);
  });
});

describe('the provider the configuration selects', () => {
  it('log by default, the Alibaba adapter for aliyun', async () => {
    const { loadConfig } = await import('#platform');
    const { smsProviderFor } = await import('./messaging.module.js');
    const { createLogger } = await import('#platform');
    const log = createLogger('silent');
    expect(smsProviderFor(loadConfig({}), log).name).toBe('log');
    const aliyun = loadConfig({
      SMS_PROVIDER: 'aliyun',
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI5tExampleKeyId01',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'ExampleSecret0123456789abcdef',
      SMS_ALIYUN_SIGN_NAME: '长治三共',
      SMS_ALIYUN_TEMPLATE_MEETING_NOTICE: 'SMS_100000001',
      SMS_ALIYUN_TEMPLATE_MEETING_ARRANGED: 'SMS_100000005',
      SMS_ALIYUN_TEMPLATE_VOTING_OPENED: 'SMS_100000002',
      SMS_ALIYUN_TEMPLATE_CLOSING_SOON: 'SMS_100000003',
      SMS_ALIYUN_TEMPLATE_RESULT_PUBLISHED: 'SMS_100000004',
    });
    const p = smsProviderFor(aliyun, log);
    expect(p.name).toBe('aliyun');
    expect(p.templateFor('meeting_notice')).toBe('SMS_100000001');
  });
});
