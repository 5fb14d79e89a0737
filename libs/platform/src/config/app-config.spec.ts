import { ConfigError, DEFAULT_JWT_SECRET, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.demoMode).toBe(true);
    expect(c.accessTokenTtlSeconds).toBe(900);
  });

  it('refuses to start in production with the default JWT secret, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PII_ENCRYPTION_KEY: 'a'.repeat(64), PII_HASH_KEY: 'b'.repeat(64) })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEFAULT_JWT_SECRET });
    } catch (e) {
      expect((e as ConfigError).variable).toBe('JWT_SECRET');
    }
  });

  it('requires PII keys in production and accepts a full production config', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/PII_ENCRYPTION_KEY/);
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PII_ENCRYPTION_KEY: 'a'.repeat(64), PII_HASH_KEY: 'b'.repeat(64), DATABASE_URL: 'postgres://u@h/db' });
    expect(c.demoMode).toBe(false);
    expect(c.seedOnStart).toBe(false);
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
});
