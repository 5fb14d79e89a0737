import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditActor } from '#audit';
import { APP_CONFIG, type Actor, type AppConfig, Clock, PiiCipher, queryRows, type RequestMeta } from '#platform';
import { IdentityErrors } from './identity.errors.js';
import { SessionCache } from './session-cache.js';
import { checkPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './password-policy.js';
import { type PersonFacts, warmUpPasswordStrength } from './password-strength.js';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  tokenType: 'Bearer';
}

interface AccountRow {
  id: string;
  status: string;
  password_hash: string | null;
  locked_until: Date | null;
  home_division_code: string;
}

/** What the password check needs to know about a person; the ID number and phone are decrypted only for it. */
interface PersonSecrets {
  real_name: string;
  birth_date: string;
  id_number_enc: Buffer;
  phone_enc: Buffer | null;
}

const PERSON_SECRETS_SQL = `p.real_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.id_number_enc, p.phone_enc`;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

@Injectable()
export class AuthService implements OnModuleInit {
  /** The HS256 key as a KeyObject, so jsonwebtoken does not try (and fail) to parse it as PEM on each sign. */
  private readonly signingKey: KeyObject;

  constructor(
    private readonly db: DataSource,
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
    const rows: AccountRow[] = await this.db.query(
      `SELECT a.id, a.status, a.password_hash, a.locked_until, p.home_division_code
         FROM account a JOIN person p ON p.id = a.person_id WHERE a.login_phone_hash = $1`,
      [phoneHash],
    );
    const acct = rows[0];
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
      await em.query(
        `UPDATE account SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL, last_login_at = $2 WHERE id = $1`,
        [acct.id, now],
      );
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
    // One statement: the count and the lock move together, so concurrent failures cannot skip the lock.
    const rows = await queryRows<{ locked_until: Date | null }>(
      this.db,
      `UPDATE account SET
          failed_logins = CASE WHEN n.fails >= $5 THEN 0 ELSE n.fails END,
          first_failed_at = CASE WHEN n.fails >= $5 THEN NULL ELSE n.first END,
          locked_until = CASE WHEN n.fails >= $5 THEN $4::timestamptz ELSE account.locked_until END
         FROM (SELECT id,
                      CASE WHEN first_failed_at IS NULL OR first_failed_at < $2 THEN 1 ELSE failed_logins + 1 END AS fails,
                      CASE WHEN first_failed_at IS NULL OR first_failed_at < $2 THEN $3::timestamptz ELSE first_failed_at END AS first
                 FROM account WHERE id = $1 FOR UPDATE) n
        WHERE account.id = n.id
        RETURNING CASE WHEN n.fails >= $5 THEN account.locked_until END AS locked_until`,
      [accountId, windowStart, now, lockUntil, LOCKOUT_THRESHOLD],
    );
    return rows[0]?.locked_until ?? null;
  }

  /** Per-IP limit on login attempts, counted in the database so it holds across processes. */
  private async throttleIp(meta: RequestMeta): Promise<void> {
    const rows: { attempts: number }[] = await this.db.query(
      `INSERT INTO login_throttle (client_ip, window_start, attempts) VALUES ($1, date_trunc('minute', now()), 1)
       ON CONFLICT (client_ip, window_start) DO UPDATE SET attempts = login_throttle.attempts + 1
       RETURNING attempts`,
      [meta.ip],
    );
    if (rows[0].attempts > this.config.loginIpLimitPerMinute) {
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
    const [{ id: sessionId }] = await em.query(
      `INSERT INTO auth_session (account_id, created_at, expires_at) VALUES ($1, $2, $3) RETURNING id`,
      [accountId, now, expires],
    );
    return this.issue(em, accountId, sessionId, now, expires);
  }

  private async issue(em: EntityManager, accountId: string, sessionId: string, now: Date, sessionExpires: Date): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await em.query(`INSERT INTO refresh_token (session_id, token_hash, issued_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      sessionId,
      sha256(refreshToken),
      now,
      sessionExpires,
    ]);
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
      const rows: {
        id: string;
        session_id: string;
        rotated_at: Date | null;
        expires_at: Date;
        session_expires_at: Date;
        account_id: string;
        revoked_at: Date | null;
        status: string;
      }[] = await em.query(
        `SELECT t.id, t.session_id, t.rotated_at, t.expires_at, s.expires_at AS session_expires_at, s.account_id, s.revoked_at, a.status
             FROM refresh_token t JOIN auth_session s ON s.id = t.session_id JOIN account a ON a.id = s.account_id
            WHERE t.token_hash = $1 FOR UPDATE OF t, s`,
        [sha256(token)],
      );
      const t = rows[0];
      if (!t) return { error: IdentityErrors.refreshInvalid() };
      const actor: AuditActor = { accountId: t.account_id, requestId: meta.requestId, ip: meta.ip };
      if (t.rotated_at) {
        if (!t.revoked_at) {
          await em.query(`UPDATE auth_session SET revoked_at = $2, revoke_reason = 'reuse_detected' WHERE id = $1`, [t.session_id, now]);
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
      await em.query(`UPDATE refresh_token SET rotated_at = $2 WHERE id = $1`, [t.id, now]);
      const pair = await this.issue(em, t.account_id, t.session_id, now, t.session_expires_at);
      await this.audit.record(em, { actor, action: 'auth.refresh', targetType: 'session', targetId: t.session_id });
      return { pair };
    });
    if ('revokedSession' in outcome && outcome.revokedSession) this.sessionCache.invalidateSession(outcome.revokedSession);
    if ('error' in outcome && outcome.error) throw outcome.error;
    return (outcome as { pair: TokenPair }).pair;
  }

  async logout(actor: Actor, sessionId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(
        `UPDATE auth_session SET revoked_at = $3, revoke_reason = 'logout' WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL`,
        [sessionId, actor.accountId, this.clock.now()],
      );
      await this.audit.record(em, { actor, action: 'auth.logout', targetType: 'session', targetId: sessionId });
    });
    this.sessionCache.invalidateSession(sessionId);
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
    const [person] = await queryRows<PersonSecrets>(
      this.db,
      `SELECT ${PERSON_SECRETS_SQL} FROM account a JOIN person p ON p.id = a.person_id
        WHERE a.login_phone_hash = $1 AND a.status = 'pending' AND a.activation_code_hash = $2 AND a.activation_expires_at > $3`,
      [phoneHash, codeHash, now],
    );
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
      const rows = await queryRows<{ id: string }>(
        em,
        `UPDATE account SET password_hash = $3, status = 'active', activation_code_hash = NULL, activation_expires_at = NULL,
                failed_logins = 0, first_failed_at = NULL, locked_until = NULL, updated_at = $4
          WHERE login_phone_hash = $1 AND status = 'pending' AND activation_code_hash = $2 AND activation_expires_at > $4
          RETURNING id`,
        [phoneHash, codeHash, hash, now],
      );
      if (!rows.length) return null;
      const pair = await this.openSession(em, rows[0].id, now);
      await this.audit.record(em, {
        actor: { accountId: rows[0].id, requestId: meta.requestId, ip: meta.ip },
        action: 'auth.activate',
        targetType: 'account',
        targetId: rows[0].id,
      });
      return pair;
    });
  }

  async changePassword(actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
    const [row] = await queryRows<PersonSecrets & { password_hash: string | null }>(
      this.db,
      `SELECT a.password_hash, ${PERSON_SECRETS_SQL} FROM account a JOIN person p ON p.id = a.person_id WHERE a.id = $1`,
      [actor.accountId],
    );
    if (!row?.password_hash || !(await verifyPassword(row.password_hash, oldPassword))) throw IdentityErrors.passwordWrong();
    checkPasswordPolicy(newPassword, this.factsOf(row));
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (em) => {
      await em.query(`UPDATE account SET password_hash = $2, updated_at = now() WHERE id = $1`, [actor.accountId, hash]);
      await em.query(
        `UPDATE auth_session SET revoked_at = now(), revoke_reason = 'password_changed' WHERE account_id = $1 AND revoked_at IS NULL`,
        [actor.accountId],
      );
      await this.audit.record(em, { actor, action: 'auth.password_change', targetType: 'account', targetId: actor.accountId });
    });
    if (actor.accountId) this.sessionCache.invalidateAccount(actor.accountId);
  }
}

export const activationCodeHash = (code: string): Buffer => sha256(code.trim().toUpperCase());
