/** Typed configuration, validated once at boot. Every variable is documented in README.md. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** Empty: run an embedded PostgreSQL kept in dataDir. */
  databaseUrl: string | null;
  /**
   * DATABASE_DIRECT_URL: a connection with a real session, for what a transaction-mode pooler cannot
   * carry (named prepared statements, LISTEN, migrations). Null: the same as databaseUrl. When it
   * differs, databaseUrl is taken to be a transaction-mode pooler (decision 060).
   */
  databaseDirectUrl: string | null;
  /** DATABASE_READ_URL: a read-only replica for reports, statistics and exports; null: the primary. */
  databaseReadUrl: string | null;
  /** Connections of the replica's pool per process. */
  dbReadPoolSize: number;
  /** After the replica failed, how long reports go to the primary before the replica is tried again. */
  dbReadRetrySeconds: number;
  dataDir: string;
  embeddedPgPort: number;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  runMigrations: boolean;
  seedOnStart: boolean;
  /** Demo people with the published password; refused in production. */
  demoMode: boolean;
  /** Serve the OpenAPI docs at /api/docs (off in production unless asked for). */
  apiDocs: boolean;
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** 32-byte key (hex or base64) for AES-256-GCM of ID numbers and phones. */
  piiEncryptionKey: Buffer;
  /** Key for the HMAC lookup columns of ID numbers and phones. */
  piiHashKey: Buffer;
  loginIpLimitPerMinute: number;
  trustProxy: boolean;
  logLevel: string;
  jobsEnabled: boolean;
  webDistDir: string | null;
  /** How long the guard may serve a session from memory (0: read the database on every request). */
  sessionCacheSeconds: number;
  sessionCacheMaxEntries: number;
  /** How long a cached read (a village's proposals and notices, a proposal, a profile) may be served (0: off). */
  readCacheSeconds: number;
  readCacheMaxEntries: number;
  /** File the audit chain's head is appended to (an anchor kept outside the database); null: off. */
  auditAnchorFile: string | null;
  auditAnchorMinutes: number;
  /** Where SMS go: the log (the embedded default) or Alibaba Cloud SMS. */
  sms: SmsConfig;
}

/** The messages the outbox sends by SMS, each with an approved template of the provider's. */
export const SMS_KINDS = ['meeting_notice', 'meeting_arranged', 'voting_opened', 'closing_soon', 'result_published'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved 短信签名. */
  signName: string;
  /** Host of the SMS API (dysmsapi.aliyuncs.com). */
  endpoint: string;
  /** The approved template code (SMS_…) of each message kind. */
  templates: Record<SmsKind, string>;
}

export type SmsConfig = { provider: 'log' } | { provider: 'aliyun'; aliyun: AliyunSmsConfig };

/** The variable naming each kind's Alibaba Cloud template code. */
export const ALIYUN_TEMPLATE_VARIABLES: Record<SmsKind, string> = {
  meeting_notice: 'SMS_ALIYUN_TEMPLATE_MEETING_NOTICE',
  meeting_arranged: 'SMS_ALIYUN_TEMPLATE_MEETING_ARRANGED',
  voting_opened: 'SMS_ALIYUN_TEMPLATE_VOTING_OPENED',
  closing_soon: 'SMS_ALIYUN_TEMPLATE_CLOSING_SOON',
  result_published: 'SMS_ALIYUN_TEMPLATE_RESULT_PUBLISHED',
};

export const DEFAULT_JWT_SECRET = 'sangong-dev-secret-change-me-0123456789abcdef';
const DEFAULT_PII_KEY = '5a6e676f6e672d6465762d7069692d6b65792d3030303030303030303030';
const DEFAULT_HASH_KEY = '5a6e676f6e672d6465762d686173682d6b65792d30303030303030303030';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`配置错误 ${variable}: ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `应为整数，实际为 "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `应在 ${min} 与 ${max} 之间，实际为 ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `应为 true 或 false，实际为 "${raw}"`);
}

const devKey = (fallback: string) => Buffer.from(fallback.padEnd(64, '0').slice(0, 64), 'hex');
/** The development keys, which are in this repository: never acceptable in production, however given. */
const DEV_KEYS = [devKey(DEFAULT_PII_KEY), devKey(DEFAULT_HASH_KEY)];
/** Fewer distinct bytes than this in a 32-byte key, or characters in a JWT secret, is not a random value (random: ~30). */
const MIN_DISTINCT = 12;

function key(env: Env, name: string, fallback: string, production: boolean): Buffer {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') {
    if (production) throw new ConfigError(name, '生产环境必须设置（32 字节随机值，hex 或 base64，例如 openssl rand -hex 32）');
    return devKey(fallback);
  }
  const buf = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (buf.length !== 32) throw new ConfigError(name, '应为 32 字节（64 位 hex 或 base64）');
  if (production && DEV_KEYS.some((k) => k.equals(buf))) throw new ConfigError(name, '生产环境不得使用开发用的默认密钥（它在代码仓库里）');
  if (production && new Set(buf).size < MIN_DISTINCT) throw new ConfigError(name, '不像随机生成的密钥，请用 openssl rand -hex 32 生成');
  return buf;
}

/**
 * SMS_PROVIDER: `log` (default outside production: messages are written to the log, masked, and marked
 * sent) or `aliyun` (every SMS_ALIYUN_* variable required). Production must say which, so a log-only
 * deployment is a decision, not an accident; and Alibaba settings next to the log provider are refused
 * there, since whoever set them expects real messages.
 */
function smsConfig(env: Env, production: boolean): SmsConfig {
  const raw = env.SMS_PROVIDER?.trim();
  if (production && !raw)
    throw new ConfigError('SMS_PROVIDER', '生产环境必须明确设置：aliyun（阿里云短信），或 log（短信只写入日志、不真正发出）');
  const provider = raw || 'log';
  if (provider !== 'log' && provider !== 'aliyun') throw new ConfigError('SMS_PROVIDER', `应为 log 或 aliyun，实际为 "${provider}"`);
  const aliyunVars = Object.keys(env).filter((k) => k.startsWith('SMS_ALIYUN_') && env[k]?.trim());
  if (provider === 'log') {
    if (production && aliyunVars.length)
      throw new ConfigError(
        'SMS_PROVIDER',
        `设置了 ${aliyunVars[0]} 但 SMS_PROVIDER 为 log：短信不会真正发出。要用阿里云短信请设 SMS_PROVIDER=aliyun`,
      );
    return { provider: 'log' };
  }
  const need = (name: string, check?: RegExp, what?: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new ConfigError(name, 'SMS_PROVIDER=aliyun 时必须设置');
    if (check && !check.test(v)) throw new ConfigError(name, what ?? `格式不正确："${v}"`);
    return v;
  };
  const templates = Object.fromEntries(
    SMS_KINDS.map((k) => [k, need(ALIYUN_TEMPLATE_VARIABLES[k], /^SMS_\d{3,20}$/, '应为阿里云审核通过的模板代码，如 SMS_123456789')]),
  ) as Record<SmsKind, string>;
  return {
    provider: 'aliyun',
    aliyun: {
      accessKeyId: need('SMS_ALIYUN_ACCESS_KEY_ID', /^[A-Za-z0-9]{8,64}$/, '应为阿里云 AccessKey ID（字母和数字）'),
      accessKeySecret: need('SMS_ALIYUN_ACCESS_KEY_SECRET', /^\S{16,100}$/, '应为阿里云 AccessKey Secret'),
      signName: need('SMS_ALIYUN_SIGN_NAME', /^.{2,20}$/u, '短信签名应为 2 到 20 个字'),
      endpoint: env.SMS_ALIYUN_ENDPOINT?.trim() || 'dysmsapi.aliyuncs.com',
      templates,
    },
  };
}

function postgresUrl(env: Env, name: string): string | null {
  const url = env[name]?.trim() || null;
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(name, '应以 postgres:// 开头');
  return url;
}

/** Where sessions that need a real PostgreSQL session connect: DATABASE_DIRECT_URL, else DATABASE_URL. */
export function directUrlOf(config: Pick<AppConfig, 'databaseUrl' | 'databaseDirectUrl'>): string | null {
  return config.databaseDirectUrl ?? config.databaseUrl;
}

/**
 * Whether DATABASE_URL is a transaction-mode pooler (a direct URL of its own was given): its
 * connections then carry no session settings, which PgBouncer would refuse at connect (decision 060).
 */
export function isPooled(config: Pick<AppConfig, 'databaseUrl' | 'databaseDirectUrl'>): boolean {
  return config.databaseDirectUrl !== null && config.databaseDirectUrl !== config.databaseUrl;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    throw new ConfigError('NODE_ENV', `应为 development、test 或 production，实际为 "${nodeEnv}"`);
  }
  const production = nodeEnv === 'production';
  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const databaseDirectUrl = postgresUrl(env, 'DATABASE_DIRECT_URL');
  const databaseReadUrl = postgresUrl(env, 'DATABASE_READ_URL');
  // Without DATABASE_URL the app runs its own embedded server: a second address would name another database.
  for (const [name, url] of [
    ['DATABASE_DIRECT_URL', databaseDirectUrl],
    ['DATABASE_READ_URL', databaseReadUrl],
  ] as const) {
    if (url && !databaseUrl) throw new ConfigError(name, '须同时设置 DATABASE_URL（未设置时使用嵌入式数据库）');
  }
  const jwtSecret = env.JWT_SECRET?.trim() || DEFAULT_JWT_SECRET;
  if (production && jwtSecret === DEFAULT_JWT_SECRET) {
    throw new ConfigError(
      'JWT_SECRET',
      env.JWT_SECRET?.trim() ? '生产环境不得使用开发用的默认密钥（它在代码仓库里）' : '生产环境必须设置（32 个以上随机字符）',
    );
  }
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', '至少 32 个字符');
  if (production && new Set(jwtSecret).size < MIN_DISTINCT)
    throw new ConfigError('JWT_SECRET', '不像随机生成的密钥，请用 openssl rand -base64 48 生成');
  const demoMode = bool(env, 'DEMO_MODE', !production);
  if (production && demoMode) {
    throw new ConfigError('DEMO_MODE', '生产环境不得开启演示模式（演示账号的密码公开在 README 里）');
  }
  const piiEncryptionKey = key(env, 'PII_ENCRYPTION_KEY', DEFAULT_PII_KEY, production);
  const piiHashKey = key(env, 'PII_HASH_KEY', DEFAULT_HASH_KEY, production);
  if (production && piiEncryptionKey.equals(piiHashKey)) {
    throw new ConfigError('PII_HASH_KEY', '不得与 PII_ENCRYPTION_KEY 相同（两把密钥用途不同，须各自随机生成）');
  }
  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    databaseDirectUrl: databaseDirectUrl === databaseUrl ? null : databaseDirectUrl,
    databaseReadUrl,
    dbReadPoolSize: int(env, 'DB_READ_POOL_SIZE', 5, 1, 100),
    dbReadRetrySeconds: int(env, 'DB_READ_RETRY_SECONDS', 5, 1, 3600),
    dataDir: env.DATA_DIR?.trim() || '.data',
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 5433, 1024, 65535),
    dbPoolSize: int(env, 'DB_POOL_SIZE', 20, 1, 500),
    dbStatementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 15000, 100, 600000),
    runMigrations: bool(env, 'RUN_MIGRATIONS', true),
    seedOnStart: bool(env, 'SEED_ON_START', demoMode),
    demoMode,
    apiDocs: bool(env, 'API_DOCS', !production),
    jwtSecret,
    jwtIssuer: env.JWT_ISSUER?.trim() || 'sangong',
    jwtAudience: env.JWT_AUDIENCE?.trim() || 'sangong-web',
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 14, 1, 90),
    piiEncryptionKey,
    piiHashKey,
    loginIpLimitPerMinute: int(env, 'LOGIN_IP_LIMIT_PER_MINUTE', 30, 1, 100000),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    jobsEnabled: bool(env, 'JOBS_ENABLED', true),
    webDistDir: env.WEB_DIST_DIR?.trim() || null,
    sessionCacheSeconds: int(env, 'SESSION_CACHE_SECONDS', 60, 0, 3600),
    sessionCacheMaxEntries: int(env, 'SESSION_CACHE_MAX_ENTRIES', 100000, 1, 10000000),
    readCacheSeconds: int(env, 'READ_CACHE_SECONDS', 5, 0, 60),
    readCacheMaxEntries: int(env, 'READ_CACHE_MAX_ENTRIES', 20000, 1, 1000000),
    auditAnchorFile: env.AUDIT_ANCHOR_FILE?.trim() || null,
    auditAnchorMinutes: int(env, 'AUDIT_ANCHOR_MINUTES', 60, 1, 1440),
    sms: smsConfig(env, production),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
