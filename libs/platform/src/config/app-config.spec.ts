import { randomBytes } from 'node:crypto';
import { type AppConfig, ConfigError, DEFAULT_JWT_SECRET, directUrlOf, isPooled, loadConfig } from './app-config.js';

const randomKey = () => randomBytes(32).toString('hex');
const randomSecret = () => randomBytes(36).toString('base64');

/** A complete production configuration with fresh random secrets, plus `more`. */
function production(more: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://u@h/db',
    JWT_SECRET: randomSecret(),
    PII_ENCRYPTION_KEY: randomKey(),
    PII_HASH_KEY: randomKey(),
    SMS_PROVIDER: 'log',
    ...more,
  });
}

/** The variable a ConfigError names, and its message; fails the test when nothing is refused. */
function refusal(load: () => unknown): { variable: string; message: string } {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return { variable: e.variable, message: e.message };
    throw e;
  }
  throw new Error('expected a ConfigError, the configuration was accepted');
}

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.demoMode).toBe(true);
    expect(c.accessTokenTtlSeconds).toBe(900);
  });

  it('requires PII keys in production and accepts a full production config', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: randomSecret() })).toThrow(/PII_ENCRYPTION_KEY/);
    const c = production();
    expect(c.demoMode).toBe(false);
    expect(c.seedOnStart).toBe(false);
    expect(c.apiDocs).toBe(false);
  });
  it('names the variable on a bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ RUN_MIGRATIONS: 'maybe' })).toThrow(/RUN_MIGRATIONS/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('audit anchors are off unless a file is named; their interval is bounded', () => {
    expect(loadConfig({})).toMatchObject({ auditAnchorFile: null, auditAnchorMinutes: 60 });
    expect(loadConfig({ AUDIT_ANCHOR_FILE: ' /srv/anchors.jsonl ', AUDIT_ANCHOR_MINUTES: '15' })).toMatchObject({
      auditAnchorFile: '/srv/anchors.jsonl',
      auditAnchorMinutes: 15,
    });
    expect(() => loadConfig({ AUDIT_ANCHOR_MINUTES: '0' })).toThrow(/AUDIT_ANCHOR_MINUTES/);
    expect(() => loadConfig({ AUDIT_ANCHOR_MINUTES: '1441' })).toThrow(/AUDIT_ANCHOR_MINUTES/);
  });

  describe('production refuses unsafe settings, naming the variable', () => {
    const devPiiKey = loadConfig({}).piiEncryptionKey;
    const devHashKey = loadConfig({}).piiHashKey;
    const shared = randomKey();
    const cases: [string, Record<string, string | undefined>, string][] = [
      ['demo mode', { DEMO_MODE: 'true' }, 'DEMO_MODE'],
      ['demo mode, spelled 1', { DEMO_MODE: '1' }, 'DEMO_MODE'],
      ['the dev PII key given explicitly (hex)', { PII_ENCRYPTION_KEY: devPiiKey.toString('hex') }, 'PII_ENCRYPTION_KEY'],
      ['the dev PII key given explicitly (base64)', { PII_ENCRYPTION_KEY: devPiiKey.toString('base64') }, 'PII_ENCRYPTION_KEY'],
      ['the dev hash key given explicitly', { PII_HASH_KEY: devHashKey.toString('hex') }, 'PII_HASH_KEY'],
      ['the dev hash key as the PII key', { PII_ENCRYPTION_KEY: devHashKey.toString('hex') }, 'PII_ENCRYPTION_KEY'],
      ['one key for both', { PII_ENCRYPTION_KEY: shared, PII_HASH_KEY: shared }, 'PII_HASH_KEY'],
      [
        'one key for both, once in hex and once in base64',
        { PII_ENCRYPTION_KEY: shared, PII_HASH_KEY: Buffer.from(shared, 'hex').toString('base64') },
        'PII_HASH_KEY',
      ],
      ['a key that is not random', { PII_ENCRYPTION_KEY: 'a'.repeat(64) }, 'PII_ENCRYPTION_KEY'],
      ['the dev JWT secret given explicitly', { JWT_SECRET: DEFAULT_JWT_SECRET }, 'JWT_SECRET'],
      ['no JWT secret', { JWT_SECRET: undefined }, 'JWT_SECRET'],
      ['a JWT secret that is not random', { JWT_SECRET: 'x'.repeat(40) }, 'JWT_SECRET'],
      ['no PII hash key', { PII_HASH_KEY: undefined }, 'PII_HASH_KEY'],
    ];

    it.each(cases)('%s', (_label, more, variable) => {
      const r = refusal(() => production(more));
      expect(r.variable).toBe(variable);
      expect(r.message).toContain(variable);
    });

    it('the same settings are accepted outside production (development runs on the dev defaults)', () => {
      expect(loadConfig({ DEMO_MODE: 'true', JWT_SECRET: DEFAULT_JWT_SECRET }).demoMode).toBe(true);
      expect(loadConfig({ NODE_ENV: 'test', PII_ENCRYPTION_KEY: devPiiKey.toString('hex') }).piiEncryptionKey.equals(devPiiKey)).toBe(true);
    });
  });

  it('API docs: on by default outside production, off in production unless API_DOCS=true', () => {
    expect(loadConfig({}).apiDocs).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
    expect(production().apiDocs).toBe(false);
    expect(production({ API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(refusal(() => loadConfig({ API_DOCS: 'sometimes' })).variable).toBe('API_DOCS');
  });
});

describe('database addresses: the pooler, the direct connection, the read replica (decision 060)', () => {
  const pooler = 'postgres://app@pgbouncer:6432/sangong';
  const primary = 'postgres://app@db-primary:5432/sangong';
  const replica = 'postgres://app@db-replica:5432/sangong';

  it('one DATABASE_URL: everything goes there, nothing is treated as pooled, no replica', () => {
    const c = loadConfig({ DATABASE_URL: primary });
    expect(c).toMatchObject({
      databaseUrl: primary,
      databaseDirectUrl: null,
      databaseReadUrl: null,
      dbReadPoolSize: 5,
      dbReadRetrySeconds: 5,
    });
    expect(directUrlOf(c)).toBe(primary);
    expect(isPooled(c)).toBe(false);
  });

  it('DATABASE_URL at the pooler with DATABASE_DIRECT_URL beside it: sessions go direct, the main pool is pooled', () => {
    const c = loadConfig({ DATABASE_URL: pooler, DATABASE_DIRECT_URL: ` ${primary} ` });
    expect(c.databaseDirectUrl).toBe(primary);
    expect(directUrlOf(c)).toBe(primary);
    expect(isPooled(c)).toBe(true);
  });

  it('a DATABASE_DIRECT_URL equal to DATABASE_URL is the same as none (not pooled)', () => {
    const c = loadConfig({ DATABASE_URL: primary, DATABASE_DIRECT_URL: primary });
    expect(c.databaseDirectUrl).toBeNull();
    expect(isPooled(c)).toBe(false);
  });

  it('DATABASE_READ_URL and its pool settings', () => {
    const c = loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica, DB_READ_POOL_SIZE: '3', DB_READ_RETRY_SECONDS: '30' });
    expect(c).toMatchObject({ databaseReadUrl: replica, dbReadPoolSize: 3, dbReadRetrySeconds: 30 });
    expect(isPooled(c)).toBe(false);
  });

  it('refuses a bad address or setting, naming the variable', () => {
    expect(refusal(() => loadConfig({ DATABASE_URL: primary, DATABASE_DIRECT_URL: 'mysql://x' })).variable).toBe('DATABASE_DIRECT_URL');
    expect(refusal(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'db-replica:5432' })).variable).toBe('DATABASE_READ_URL');
    expect(refusal(() => loadConfig({ DATABASE_URL: primary, DB_READ_POOL_SIZE: '0' })).variable).toBe('DB_READ_POOL_SIZE');
    expect(refusal(() => loadConfig({ DATABASE_URL: primary, DB_READ_RETRY_SECONDS: 'soon' })).variable).toBe('DB_READ_RETRY_SECONDS');
  });

  it('without DATABASE_URL (the embedded server) a direct or replica address would name another database: refused', () => {
    expect(refusal(() => loadConfig({ DATABASE_DIRECT_URL: primary }))).toMatchObject({ variable: 'DATABASE_DIRECT_URL' });
    const r = refusal(() => loadConfig({ DATABASE_READ_URL: replica }));
    expect(r.variable).toBe('DATABASE_READ_URL');
    expect(r.message).toContain('DATABASE_URL');
  });
});

describe('SMS provider configuration', () => {
  const aliyun = {
    SMS_PROVIDER: 'aliyun',
    SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI5tExampleKeyId01',
    SMS_ALIYUN_ACCESS_KEY_SECRET: 'ExampleSecret0123456789abcdef',
    SMS_ALIYUN_SIGN_NAME: '长治三共',
    SMS_ALIYUN_TEMPLATE_MEETING_NOTICE: 'SMS_100000001',
    SMS_ALIYUN_TEMPLATE_MEETING_ARRANGED: 'SMS_100000005',
    SMS_ALIYUN_TEMPLATE_VOTING_OPENED: 'SMS_100000002',
    SMS_ALIYUN_TEMPLATE_CLOSING_SOON: 'SMS_100000003',
    SMS_ALIYUN_TEMPLATE_RESULT_PUBLISHED: 'SMS_100000004',
  };

  it('the log provider is the default outside production; production must name one', () => {
    expect(loadConfig({}).sms).toEqual({ provider: 'log' });
    expect(refusal(() => production({ SMS_PROVIDER: undefined }))).toMatchObject({ variable: 'SMS_PROVIDER' });
    expect(production().sms).toEqual({ provider: 'log' });
  });

  it('aliyun with every setting: one template per message kind, the default endpoint', () => {
    const c = production(aliyun).sms;
    expect(c).toEqual({
      provider: 'aliyun',
      aliyun: {
        accessKeyId: 'LTAI5tExampleKeyId01',
        accessKeySecret: 'ExampleSecret0123456789abcdef',
        signName: '长治三共',
        endpoint: 'dysmsapi.aliyuncs.com',
        templates: {
          meeting_notice: 'SMS_100000001',
          meeting_arranged: 'SMS_100000005',
          voting_opened: 'SMS_100000002',
          closing_soon: 'SMS_100000003',
          result_published: 'SMS_100000004',
        },
      },
    });
  });

  it('refuses an unusable combination, naming the variable, in every environment', () => {
    expect(refusal(() => loadConfig({ SMS_PROVIDER: 'tencent' })).variable).toBe('SMS_PROVIDER');
    expect(refusal(() => loadConfig({ ...aliyun, SMS_ALIYUN_ACCESS_KEY_SECRET: '' })).variable).toBe('SMS_ALIYUN_ACCESS_KEY_SECRET');
    expect(refusal(() => loadConfig({ ...aliyun, SMS_ALIYUN_TEMPLATE_CLOSING_SOON: undefined })).variable).toBe(
      'SMS_ALIYUN_TEMPLATE_CLOSING_SOON',
    );
    expect(refusal(() => loadConfig({ ...aliyun, SMS_ALIYUN_TEMPLATE_RESULT_PUBLISHED: '结果模板' })).message).toContain('模板代码');
  });

  it('production refuses Alibaba settings next to the log provider (nothing would be sent)', () => {
    const { SMS_PROVIDER: _, ...settings } = aliyun;
    const r = refusal(() => production({ ...settings, SMS_PROVIDER: 'log' }));
    expect(r.variable).toBe('SMS_PROVIDER');
    expect(r.message).toContain('不会真正发出');
    expect(loadConfig({ ...settings, SMS_PROVIDER: 'log' }).sms.provider).toBe('log');
  });
});
