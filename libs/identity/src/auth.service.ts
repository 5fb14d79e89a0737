import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditActor } from '#audit';
import { APP_CONFIG, type Actor, type AppConfig, Clock, PiiCipher, type RequestMeta } from '#platform';
import { AccountsRepository, type PersonSecrets } from './accounts.repository.js';
import { IdentityErrors } from './identity.errors.js';
import { SessionCache } from './session-cache.js';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './password-policy.js';
import { type PersonFacts, warmUpPasswordStrength } from './password-strength.js';
import type { TokenPair } from './views.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

@Injectable()
export class AuthService implements OnModuleInit {
  /** The HS256 key as a KeyObject, so jsonwebtoken does not try (and fail) to parse it as PEM on each sign. */
  private readonly signingKey: KeyObject;

  constructor(
    private readonly db: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly pii: PiiCipher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessionCache: SessionCache,
  ) {
    this.signingKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  onModuleInit(): void {
    warmUpPasswordStrength();
  }

  private factsOf(p: PersonSecrets, loginPhone?: string): PersonFacts {
    return {
      realName: p.real_name,
      birthDate: p.birth_date,
      idNumber: this.pii.decrypt(p.id_number_enc),
      phone: loginPhone ?? (p.phone_enc ? this.pii.decrypt(p.phone_enc) : null),
    };
  }

  async login(phone: string, password: string, meta: RequestMeta): Promise<TokenPair> {
    await this.throttleIp(meta);
    const phoneHash = this.pii.hash('phone', phone);
    const acct = await this.accounts.loginAccount(phoneHash);
    const now = this.clock.now();
    const actor = (accountId: string | null, division?: string): AuditActor => ({
      accountId,
      divisionCode: division ?? null,
      requestId: meta.requestId,
      ip: meta.ip,
    });
    if (!acct) {
      await verifyPassword(await dummyPasswordHash(), password);
      await this.audit.recordAlone({ actor: actor(null), action: 'auth.login', result: 'failure', details: { reason: 'unknown_phone' } });
      throw IdentityErrors.loginFailed();
    }
    if (acct.locked_until && acct.locked_until > now) {
      await this.audit.recordAlone({
        actor: actor(acct.id, acct.home_division_code),
        action: 'auth.login',
        targetType: 'account',
        targetId: acct.id,
        result: 'denied',
        details: { reason: 'locked' },
      });
      throw IdentityErrors.accountLocked(acct.locked_until);
    }
    // A pending account has no password yet: it answers exactly like a wrong password (same argon2
    // work, same failure count and lock), so a login attempt does not tell who is still to activate.
    const storedHash = acct.status === 'pending' ? null : acct.password_hash;
    let ok = false;
    if (storedHash) ok = await verifyPassword(storedHash, password);
    else await verifyPassword(await dummyPasswordHash(), password);
    if (!ok) {
      const lockedUntil = await this.recordFailure(acct.id, now);
      const reason = storedHash ? 'bad_password' : 'not_activated';
      await this.audit.recordAlone({
        actor: actor(acct.id, acct.home_division_code),
        action: 'auth.login',
        targetType: 'account',
        targetId: acct.id,
        result: 'failure',
        details: { reason, locked: !!lockedUntil },
      });
      if (lockedUntil) throw IdentityErrors.accountLocked(lockedUntil);
      throw IdentityErrors.loginFailed();
    }
    if (acct.status === 'disabled') {
      await this.audit.recordAlone({
        actor: actor(acct.id, acct.home_division_code),
        action: 'auth.login',
        targetType: 'account',
        targetId: acct.id,
        result: 'denied',
        details: { reason: 'disabled' },
      });
      throw IdentityErrors.accountDisabled();
    }
    return this.db.transaction(async (em) => {
      await this.accounts.markLoggedIn(em, acct.id, now);
      const pair = await this.openSession(em, acct.id, now);
      await this.audit.record(em, {
        actor: actor(acct.id, acct.home_division_code),
        action: 'auth.login',
        targetType: 'account',
        targetId: acct.id,
      });
      return pair;
    });
  }

  /** Counts a failure atomically; five within the window lock the account. Returns the lock end if locked now. */
  private async recordFailure(accountId: string, now: Date): Promise<Date | null> {
    const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
    const lockUntil = new Date(now.getTime() + LOCKOUT_DURATION_MS);
    return this.accounts.recordLoginFailure(accountId, windowStart, now, lockUntil, LOCKOUT_THRESHOLD);
  }

  /** Per-IP limit on login attempts, counted in the database so it holds across processes. */
  private async throttleIp(meta: RequestMeta): Promise<void> {
    if ((await this.accounts.countLoginAttempt(meta.ip)) > this.config.loginIpLimitPerMinute) {
      await this.audit.recordAlone({
        actor: { accountId: null, requestId: meta.requestId, ip: meta.ip },
        action: 'auth.login',
        result: 'denied',
        details: { reason: 'ip_rate_limited' },
      });
      throw IdentityErrors.loginRateLimited();
    }
  }

  private async openSession(em: EntityManager, accountId: string, now: Date): Promise<TokenPair> {
    const expires = new Date(now.getTime() + this.config.refreshTokenTtlDays * 86_400_000);
    const sessionId = await this.accounts.openSession(em, accountId, now, expires);
    return this.issue(em, accountId, sessionId, now, expires);
  }

  private async issue(em: EntityManager, accountId: string, sessionId: string, now: Date, sessionExpires: Date): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.accounts.addRefreshToken(em, sessionId, sha256(refreshToken), now, sessionExpires);
    const accessToken = await this.jwt.signAsync(
      { sid: sessionId },
      {
        subject: accountId,
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
        expiresIn: this.config.accessTokenTtlSeconds,
        algorithm: 'HS256',
        privateKey: this.signingKey,
      },
    );
    return {
      accessToken,
      accessTokenExpiresAt: new Date(now.getTime() + this.config.accessTokenTtlSeconds * 1000).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: sessionExpires.toISOString(),
      tokenType: 'Bearer',
    };
  }

  /**
   * Rotates a refresh token. A token already rotated is a theft signal: the whole session
   * (the token family) is revoked and both holders must log in again.
   */
  async refresh(token: string, meta: RequestMeta): Promise<TokenPair> {
    const now = this.clock.now();
    const outcome = await this.db.transaction(async (em) => {
      const t = await this.accounts.refreshTokenForRotation(em, sha256(token));
      if (!t) return { error: IdentityErrors.refreshInvalid() };
      const actor: AuditActor = { accountId: t.account_id, requestId: meta.requestId, ip: meta.ip };
      if (t.rotated_at) {
        if (!t.revoked_at) {
          await this.accounts.revokeSession(em, t.session_id, now, 'reuse_detected');
        }
        await this.audit.record(em, {
          actor,
          action: 'auth.refresh_reuse',
          targetType: 'session',
          targetId: t.session_id,
          result: 'denied',
        });
        return { error: IdentityErrors.refreshReused(), revokedSession: t.session_id };
      }
      if (t.revoked_at || t.expires_at <= now) return { error: IdentityErrors.refreshInvalid() };
      if (t.status !== 'active') return { error: IdentityErrors.accountDisabled() };
      await this.accounts.rotateRefreshToken(em, t.id, now);
      const pair = await this.issue(em, t.account_id, t.session_id, now, t.session_expires_at);
      await this.audit.record(em, { actor, action: 'auth.refresh', targetType: 'session', targetId: t.session_id });
      return { pair };
    });
    if ('revokedSession' in outcome && outcome.revokedSession) {
      this.sessionCache.invalidateSession(outcome.revokedSession);
      await this.sessionCache.reachEveryProcess();
    }
    if ('error' in outcome && outcome.error) throw outcome.error;
    return outcome.pair;
  }

  async logout(actor: Actor, sessionId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      if (actor.accountId) await this.accounts.endOwnSession(em, sessionId, actor.accountId, this.clock.now());
      await this.audit.record(em, { actor, action: 'auth.logout', targetType: 'session', targetId: sessionId });
    });
    this.sessionCache.invalidateSession(sessionId);
    await this.sessionCache.reachEveryProcess();
  }

  /**
   * Sets the first password with the one-time activation code the village committee handed out.
   * The code is checked before the password, so only its holder learns why a password built from
   * the person's own data (name, birth date, ID number) is refused.
   */
  async activate(phone: string, code: string, password: string, meta: RequestMeta): Promise<TokenPair> {
    await this.throttleIp(meta);
    const now = this.clock.now();
    const phoneHash = this.pii.hash('phone', phone);
    const codeHash = activationCodeHash(code);
    const person = await this.accounts.pendingPersonSecrets(phoneHash, codeHash, now);
    if (person) checkPasswordPolicy(password, this.factsOf(person, phone));
    const pair = person ? await this.setFirstPassword(phoneHash, codeHash, await hashPassword(password), now, meta) : null;
    if (!pair) {
      await this.audit.recordAlone({
        actor: { accountId: null, requestId: meta.requestId, ip: meta.ip },
        action: 'auth.activate',
        result: 'failure',
      });
      throw IdentityErrors.activationInvalid();
    }
    return pair;
  }

  /** The code is checked again in the UPDATE: two activations racing with one code cannot both win. */
  private setFirstPassword(phoneHash: Buffer, codeHash: Buffer, hash: string, now: Date, meta: RequestMeta): Promise<TokenPair | null> {
    return this.db.transaction(async (em) => {
      const accountId = await this.accounts.activate(em, phoneHash, codeHash, hash, now);
      if (!accountId) return null;
      const pair = await this.openSession(em, accountId, now);
      await this.audit.record(em, {
        actor: { accountId, requestId: meta.requestId, ip: meta.ip },
        action: 'auth.activate',
        targetType: 'account',
        targetId: accountId,
      });
      return pair;
    });
  }

  async changePassword(actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
    const accountId = actor.accountId;
    const row = accountId ? await this.accounts.passwordAndSecrets(accountId) : undefined;
    if (!accountId || !row?.password_hash || !(await verifyPassword(row.password_hash, oldPassword))) throw IdentityErrors.passwordWrong();
    checkPasswordPolicy(newPassword, this.factsOf(row));
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (em) => {
      await this.accounts.setPassword(em, accountId, hash);
      await this.accounts.revokeSessionsOf(em, accountId, 'password_changed', null);
      await this.audit.record(em, { actor, action: 'auth.password_change', targetType: 'account', targetId: accountId });
    });
    this.sessionCache.invalidateAccount(accountId);
    await this.sessionCache.reachEveryProcess();
  }
}

export const activationCodeHash = (code: string): Buffer => sha256(code.trim().toUpperCase());
