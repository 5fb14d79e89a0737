import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Conn, dbOf } from '#platform';

export type AccountStatus = 'pending' | 'active' | 'disabled';
export type SessionRevokeReason = 'logout' | 'reuse_detected' | 'disabled' | 'password_changed';

/** What a login needs of the account whose phone was given. */
export interface LoginAccount {
  id: string;
  status: AccountStatus;
  password_hash: string | null;
  locked_until: Date | null;
  home_division_code: string;
}

/** What the password check needs to know about a person; the ID number and phone are decrypted only for it. */
export interface PersonSecrets {
  real_name: string;
  birth_date: string;
  id_number_enc: Buffer;
  phone_enc: Buffer | null;
}

/** A refresh token with its session and account, locked for rotation. */
export interface RefreshTokenState {
  id: string;
  session_id: string;
  rotated_at: Date | null;
  expires_at: Date;
  session_expires_at: Date;
  account_id: string;
  revoked_at: Date | null;
  status: AccountStatus;
}

/** The sign-in tables: account, auth_session, refresh_token and login_throttle. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  private personSecretsOf(conn: Conn) {
    return dbOf(conn)
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['p.real_name', sql<string>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'), 'p.id_number_enc', 'p.phone_enc']);
  }

  loginAccount(phoneHash: Buffer): Promise<LoginAccount | undefined> {
    return this.db
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['a.id', 'a.status', 'a.password_hash', 'a.locked_until', 'p.home_division_code'])
      .where('a.login_phone_hash', '=', phoneHash)
      .executeTakeFirst();
  }

  /**
   * Counts a failed login; `threshold` failures within the window lock the account until `lockUntil`.
   * One statement: the count and the lock move together, so concurrent failures cannot skip the lock.
   * Returns the lock end when this failure locked the account.
   */
  async recordLoginFailure(accountId: string, windowStart: Date, now: Date, lockUntil: Date, threshold: number): Promise<Date | null> {
    const { rows } = await sql<{ locked_until: Date | null }>`UPDATE account SET
          failed_logins = CASE WHEN n.fails >= ${threshold} THEN 0 ELSE n.fails END,
          first_failed_at = CASE WHEN n.fails >= ${threshold} THEN NULL ELSE n.first END,
          locked_until = CASE WHEN n.fails >= ${threshold} THEN ${lockUntil}::timestamptz ELSE account.locked_until END
         FROM (SELECT id,
                      CASE WHEN first_failed_at IS NULL OR first_failed_at < ${windowStart} THEN 1 ELSE failed_logins + 1 END AS fails,
                      CASE WHEN first_failed_at IS NULL OR first_failed_at < ${windowStart} THEN ${now}::timestamptz ELSE first_failed_at END AS first
                 FROM account WHERE id = ${accountId} FOR UPDATE) n
        WHERE account.id = n.id
        RETURNING CASE WHEN n.fails >= ${threshold} THEN account.locked_until END AS locked_until`.execute(this.db);
    return rows[0]?.locked_until ?? null;
  }

  /** Counts one login attempt from `ip` in the current minute; returns the minute's attempts so far. */
  async countLoginAttempt(ip: string): Promise<number> {
    const { rows } = await sql<{ attempts: number }>`INSERT INTO login_throttle (client_ip, window_start, attempts)
       VALUES (${ip}, date_trunc('minute', now()), 1)
       ON CONFLICT (client_ip, window_start) DO UPDATE SET attempts = login_throttle.attempts + 1
       RETURNING attempts`.execute(this.db);
    return rows[0].attempts;
  }

  async markLoggedIn(em: Conn, accountId: string, now: Date): Promise<void> {
    await dbOf(em)
      .updateTable('account')
      .set({ failed_logins: 0, first_failed_at: null, locked_until: null, last_login_at: now })
      .where('id', '=', accountId)
      .execute();
  }

  async openSession(em: Conn, accountId: string, now: Date, expires: Date): Promise<string> {
    const r = await dbOf(em)
      .insertInto('auth_session')
      .values({ account_id: accountId, created_at: now, expires_at: expires })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async addRefreshToken(em: Conn, sessionId: string, tokenHash: Buffer, now: Date, expires: Date): Promise<void> {
    await dbOf(em)
      .insertInto('refresh_token')
      .values({ session_id: sessionId, token_hash: tokenHash, issued_at: now, expires_at: expires })
      .execute();
  }

  /** The token, its session and account, with the token and session rows locked for the rotation. */
  refreshTokenForRotation(em: Conn, tokenHash: Buffer): Promise<RefreshTokenState | undefined> {
    return dbOf(em)
      .selectFrom('refresh_token as t')
      .innerJoin('auth_session as s', 's.id', 't.session_id')
      .innerJoin('account as a', 'a.id', 's.account_id')
      .select([
        't.id',
        't.session_id',
        't.rotated_at',
        't.expires_at',
        's.expires_at as session_expires_at',
        's.account_id',
        's.revoked_at',
        'a.status',
      ])
      .where('t.token_hash', '=', tokenHash)
      .forUpdate(['t', 's'])
      .executeTakeFirst();
  }

  async rotateRefreshToken(em: Conn, tokenId: string, now: Date): Promise<void> {
    await dbOf(em).updateTable('refresh_token').set({ rotated_at: now }).where('id', '=', tokenId).execute();
  }

  async revokeSession(em: Conn, sessionId: string, now: Date, reason: SessionRevokeReason): Promise<void> {
    await dbOf(em).updateTable('auth_session').set({ revoked_at: now, revoke_reason: reason }).where('id', '=', sessionId).execute();
  }

  /** Ends the account's own live session (logout); another account's session is left alone. */
  async endOwnSession(em: Conn, sessionId: string, accountId: string, now: Date): Promise<void> {
    await dbOf(em)
      .updateTable('auth_session')
      .set({ revoked_at: now, revoke_reason: 'logout' })
      .where('id', '=', sessionId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revokes every live session of the account; `at` null: the database's clock (now()). */
  async revokeSessionsOf(em: Conn, accountId: string, reason: SessionRevokeReason, at: Date | null): Promise<void> {
    await dbOf(em)
      .updateTable('auth_session')
      .set({ revoked_at: at ?? sql<Date>`now()`, revoke_reason: reason })
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** The person behind a pending account whose activation code is right and not expired. */
  pendingPersonSecrets(phoneHash: Buffer, codeHash: Buffer, now: Date): Promise<PersonSecrets | undefined> {
    return this.personSecretsOf(this.ds)
      .where('a.login_phone_hash', '=', phoneHash)
      .where('a.status', '=', 'pending')
      .where('a.activation_code_hash', '=', codeHash)
      .where('a.activation_expires_at', '>', now)
      .executeTakeFirst();
  }

  /**
   * Sets the first password; the code is checked again here, so two activations racing with one code
   * cannot both win. Returns the account activated, or undefined.
   */
  async activate(em: Conn, phoneHash: Buffer, codeHash: Buffer, passwordHash: string, now: Date): Promise<string | undefined> {
    const r = await dbOf(em)
      .updateTable('account')
      .set({
        password_hash: passwordHash,
        status: 'active',
        activation_code_hash: null,
        activation_expires_at: null,
        failed_logins: 0,
        first_failed_at: null,
        locked_until: null,
        updated_at: now,
      })
      .where('login_phone_hash', '=', phoneHash)
      .where('status', '=', 'pending')
      .where('activation_code_hash', '=', codeHash)
      .where('activation_expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    return r?.id;
  }

  passwordAndSecrets(accountId: string): Promise<(PersonSecrets & { password_hash: string | null }) | undefined> {
    return this.personSecretsOf(this.ds).select('a.password_hash').where('a.id', '=', accountId).executeTakeFirst();
  }

  async setPassword(em: Conn, accountId: string, passwordHash: string): Promise<void> {
    await dbOf(em)
      .updateTable('account')
      .set({ password_hash: passwordHash, updated_at: sql<Date>`now()` })
      .where('id', '=', accountId)
      .execute();
  }

  /** The account's status and its person's home division (the scope an account manager must cover). */
  statusAndHome(accountId: string): Promise<{ home: string; status: AccountStatus } | undefined> {
    return this.db
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['p.home_division_code as home', 'a.status'])
      .where('a.id', '=', accountId)
      .executeTakeFirst();
  }

  /** Enables or disables an activated account; a pending one is left alone. Returns the rows changed. */
  async setStatus(em: Conn, accountId: string, status: 'active' | 'disabled', now: Date): Promise<number> {
    const r = await dbOf(em)
      .updateTable('account')
      .set({ status, updated_at: now })
      .where('id', '=', accountId)
      .where('status', '<>', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Of these people, those with an account. */
  async personsWithAccounts(em: Conn, personIds: readonly string[]): Promise<Set<string>> {
    if (!personIds.length) return new Set();
    const rows = await dbOf(em)
      .selectFrom('account')
      .select('person_id')
      .where('person_id', '=', sql<string>`ANY(${[...personIds]}::uuid[])`)
      .execute();
    return new Set(rows.map((r) => r.person_id));
  }

  /** Of these login phones (hashes), those an account already uses, as hex. */
  async phonesTaken(em: Conn, phoneHashes: readonly Buffer[]): Promise<Set<string>> {
    if (!phoneHashes.length) return new Set();
    const rows = await dbOf(em)
      .selectFrom('account')
      .select('login_phone_hash')
      .where('login_phone_hash', '=', sql<Buffer>`ANY(${[...phoneHashes]}::bytea[])`)
      .execute();
    return new Set(rows.map((r) => r.login_phone_hash.toString('hex')));
  }

  /**
   * New accounts in one statement: pending (an activation code's hash and expiry) or, for demo people,
   * active with a password already set.
   */
  async addAccounts(
    em: Conn,
    accounts: readonly {
      personId: string;
      phoneHash: Buffer;
      passwordHash: string | null;
      codeHash: Buffer | null;
      expires: Date | null;
    }[],
  ): Promise<void> {
    if (!accounts.length) return;
    const col = <K extends keyof (typeof accounts)[number]>(k: K) => accounts.map((a) => a[k]);
    await sql`INSERT INTO account (person_id, login_phone_hash, password_hash, status, activation_code_hash, activation_expires_at)
      SELECT a.person_id, a.phone_hash, a.password_hash, CASE WHEN a.password_hash IS NULL THEN 'pending' ELSE 'active' END, a.code_hash, a.expires
        FROM unnest(${col('personId')}::uuid[], ${col('phoneHash')}::bytea[], ${col('passwordHash')}::text[], ${col('codeHash')}::bytea[],
                    ${col('expires')}::timestamptz[]) AS a (person_id, phone_hash, password_hash, code_hash, expires)`.execute(dbOf(em));
  }

  /** For a register import: which of these phones already sign in, and the ID-number hash of their person. */
  phoneHolders(phoneHashes: readonly Buffer[]): Promise<{ h: Buffer; idh: Buffer }[]> {
    if (!phoneHashes.length) return Promise.resolve([]);
    return this.db
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['a.login_phone_hash as h', 'p.id_number_hash as idh'])
      .where('a.login_phone_hash', '=', sql<Buffer>`ANY(${[...phoneHashes]}::bytea[])`)
      .execute();
  }
}
