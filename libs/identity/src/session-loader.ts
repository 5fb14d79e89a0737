import { Injectable } from '@nestjs/common';
import { MicroBatcher } from '#platform';
import { SessionCache } from './session-cache.js';
import { type SessionState, SessionsRepository } from './sessions.repository.js';

/** What the guard learns of a session: from the cache, or read fresh. */
export type SessionRow = Omit<SessionState, 'sessionExpiresAt'>;

/**
 * The account, its session and its live grants: from the session cache when it holds them, else from
 * the database, the misses of concurrent requests together in one prepared query (MicroBatcher). Only
 * an active account with a live session is cached; every refusal is decided on a fresh read.
 */
@Injectable()
export class SessionLoader {
  private readonly batcher: MicroBatcher<{ accountId: string; sessionId: string }, SessionState | null>;

  constructor(
    private readonly repo: SessionsRepository,
    private readonly cache: SessionCache,
  ) {
    this.batcher = new MicroBatcher((keys) => this.repo.sessions(keys), { maxBatch: 100, maxInFlight: 1 });
  }

  async load(accountId: string, sessionId: string): Promise<SessionRow | null> {
    const now = Date.now();
    const hit = this.cache.get(sessionId, accountId, now);
    if (hit) {
      return {
        accountId: hit.accountId,
        status: 'active',
        personId: hit.personId,
        realName: hit.realName,
        homeDivisionCode: hit.homeDivisionCode,
        sessionRevoked: false,
        sessionExpired: false,
        grants: hit.grants,
      };
    }
    const epoch = this.cache.epoch();
    const row = await this.batcher.submit({ accountId, sessionId });
    if (!row) return null;
    if (row.status === 'active' && !row.sessionRevoked && !row.sessionExpired) {
      this.cache.put(
        sessionId,
        {
          accountId: row.accountId,
          personId: row.personId,
          realName: row.realName,
          homeDivisionCode: row.homeDivisionCode,
          grants: row.grants,
          sessionExpiresAt: row.sessionExpiresAt.getTime(),
        },
        epoch,
        now,
      );
    }
    return row;
  }
}
