import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig, directUrlOf, type Grant, ListenConnection, LOGGER } from '#platform';

/** The signed-in state the guard needs, for an active account with a live session. */
export interface CachedSession {
  accountId: string;
  personId: string;
  realName: string;
  homeDivisionCode: string;
  grants: Grant[];
  sessionExpiresAt: number;
}

interface Entry {
  session: CachedSession;
  storedAt: number;
}

/** The channel the database triggers of migration 1764374000000 notify on. */
export const AUTH_CHANNEL = 'sangong_auth';
/** Where each process answers a `sync:<token>` it has read on AUTH_CHANNEL (reachEveryProcess). */
export const AUTH_ACK_CHANNEL = 'sangong_auth_ack';
const SYNC = 'sync:';
const LISTENER_NAME = 'sangong-session-cache';

/**
 * The entries themselves, with no I/O: by session id, with an index by account and by person, an
 * age limit, a size limit, and an epoch that every invalidation advances.
 */
export class SessionStore {
  private readonly entries = new Map<string, Entry>();
  /** `a:<account id>` and `p:<person id>` → session ids. */
  private readonly owners = new Map<string, Set<string>>();
  private epochValue = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Read before a database load; pass to `store`, which refuses if anything was invalidated meanwhile. */
  epoch(): number {
    return this.epochValue;
  }

  get(sessionId: string, accountId: string, now: number): CachedSession | null {
    const e = this.entries.get(sessionId);
    if (!e) return null;
    if (e.session.accountId !== accountId || now - e.storedAt >= this.ttlMs || e.session.sessionExpiresAt <= now) {
      this.drop(sessionId);
      return null;
    }
    return e.session;
  }

  store(sessionId: string, session: CachedSession, epochAtLoad: number, now: number): boolean {
    if (epochAtLoad !== this.epochValue) return false;
    this.drop(sessionId);
    if (this.entries.size >= this.maxEntries) {
      // The oldest entry goes first (a Map iterates in insertion order).
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    this.entries.set(sessionId, { session, storedAt: now });
    this.own(`a:${session.accountId}`, sessionId);
    this.own(`p:${session.personId}`, sessionId);
    return true;
  }

  /** A notification payload from the triggers: `s:<id>`, `a:<id>` or `p:<id>`; anything else empties the store. */
  invalidate(key: string): void {
    this.epochValue++;
    const kind = key.slice(0, 2);
    if (kind === 's:') {
      this.drop(key.slice(2));
    } else if (kind === 'a:' || kind === 'p:') {
      for (const id of [...(this.owners.get(key) ?? [])]) this.drop(id);
    } else {
      this.entries.clear();
      this.owners.clear();
    }
  }

  clear(): void {
    this.invalidate('*');
  }

  private own(owner: string, sessionId: string): void {
    let set = this.owners.get(owner);
    if (!set) this.owners.set(owner, (set = new Set()));
    set.add(sessionId);
  }

  private drop(sessionId: string): void {
    const e = this.entries.get(sessionId);
    if (!e) return;
    this.entries.delete(sessionId);
    for (const owner of [`a:${e.session.accountId}`, `p:${e.session.personId}`]) {
      const set = this.owners.get(owner);
      set?.delete(sessionId);
      if (set && set.size === 0) this.owners.delete(owner);
    }
  }
}

/**
 * The guard's sessions, kept in the process so that an authenticated request costs no database round
 * trip of its own once its session is known (docs/decisions/005-session-cache.md).
 *
 * Kept exact by two mechanisms:
 * - database triggers on account (status), auth_session (revocation, expiry), role_grant and person
 *   (name, home division) send `NOTIFY sangong_auth` with `a:<account>`, `s:<session>` or `p:<person>`
 *   at commit; every app process LISTENs on its own connection and drops what they name. This covers
 *   changes made by other processes and by SQL outside the app.
 * - the services of this process that make such changes also drop the entries themselves, right after
 *   their commit, so that in this process the very next request is decided on fresh data.
 *
 * The cache is used only while the LISTEN connection is up; when it drops the cache is emptied and
 * every request reads the database until it is back. An entry older than SESSION_CACHE_SECONDS is read
 * again even without a notification. A load that overlaps an invalidation is not stored (epoch check),
 * so an invalidation can never be undone by a read that started before it.
 */
@Injectable()
export class SessionCache implements OnModuleInit, OnApplicationShutdown {
  private readonly store: SessionStore;
  private listening = false;
  private readonly listener: ListenConnection | null;
  /** Syncs under way: token → called on each process's acknowledgement. */
  private readonly acks = new Map<string, () => void>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.store = new SessionStore(config.sessionCacheSeconds * 1000, config.sessionCacheMaxEntries);
    // LISTEN holds a server session: DATABASE_DIRECT_URL, never a transaction-mode pooler (decision 060).
    const url = directUrlOf(config);
    this.listener =
      this.enabled && url
        ? new ListenConnection(url, [AUTH_CHANNEL, AUTH_ACK_CHANNEL], LISTENER_NAME, '会话缓存', log, {
            notify: (payload, channel) => {
              if (channel === AUTH_ACK_CHANNEL) this.acks.get(payload)?.();
              else if (payload.startsWith(SYNC)) this.acknowledge(payload.slice(SYNC.length));
              else this.store.invalidate(payload);
            },
            up: () => {
              // Anything stored before this point could have missed a notification.
              this.store.clear();
              this.listening = true;
            },
            down: () => {
              this.listening = false;
              this.store.clear();
            },
          })
        : null;
  }

  get enabled(): boolean {
    return this.config.sessionCacheSeconds > 0;
  }

  /** True while entries may be served: enabled and listening for invalidations. */
  get active(): boolean {
    return this.enabled && this.listening;
  }

  get size(): number {
    return this.store.size;
  }

  epoch(): number {
    return this.store.epoch();
  }

  get(sessionId: string, accountId: string, now = Date.now()): CachedSession | null {
    return this.active ? this.store.get(sessionId, accountId, now) : null;
  }

  put(sessionId: string, session: CachedSession, epochAtLoad: number, now = Date.now()): boolean {
    return this.active && this.store.store(sessionId, session, epochAtLoad, now);
  }

  invalidateSession(sessionId: string): void {
    this.store.invalidate(`s:${sessionId}`);
  }

  invalidateAccount(accountId: string): void {
    this.store.invalidate(`a:${accountId}`);
  }

  invalidatePerson(personId: string): void {
    this.store.invalidate(`p:${personId}`);
  }

  /**
   * Waits, after a committed change that must refuse the next request everywhere (a revoked grant, a
   * disabled account, a logout, a password change), until every process keeping a session cache on this
   * database has read the change's notification: each LISTEN connection counted beforehand answers a
   * `sync:<token>` sent after the commit, and PostgreSQL delivers notifications to each listener in commit
   * order. A process that starts listening meanwhile starts with an empty cache. At most `limitMs`; false
   * (and a warning) if some process did not answer in time, e.g. one whose connection just dropped (whose
   * cache is then emptied and unused anyway).
   */
  async reachEveryProcess(limitMs = 2000): Promise<boolean> {
    if (!this.listener || !this.listening) return true;
    const token = randomUUID();
    let answered = 0;
    let wake: () => void = () => undefined;
    this.acks.set(token, () => {
      answered++;
      wake();
    });
    try {
      const counted = await this.listener.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [LISTENER_NAME],
      );
      if (!counted) return false;
      const expected = counted[0].n;
      await this.listener.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, SYNC + token]);
      const deadline = Date.now() + limitMs;
      while (answered < expected) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.log.warn({ expected, answered }, '会话变更未在时限内送达所有进程');
          return false;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left).unref();
        });
      }
      return true;
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, '会话变更送达确认失败');
      return false;
    } finally {
      this.acks.delete(token);
    }
  }

  /** Answers a sync: everything this process read before it has been applied. */
  private acknowledge(token: string): void {
    this.listener?.query('SELECT pg_notify($1, $2)', [AUTH_ACK_CHANNEL, token]).catch(() => undefined);
  }

  async onModuleInit(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}
