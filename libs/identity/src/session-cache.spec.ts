import { type CachedSession, SessionStore } from './session-cache.js';

const T0 = 1_800_000_000_000;

function session(n: number, over: Partial<CachedSession> = {}): CachedSession {
  return {
    accountId: `acc-${n}`,
    personId: `per-${n}`,
    realName: `居民${n}`,
    homeDivisionCode: '140428101200',
    grants: [{ role: 'resident', divisionCode: '140428101200' }],
    sessionExpiresAt: T0 + 3_600_000,
    ...over,
  };
}

describe('SessionStore', () => {
  it('serves an entry to the same account only, until its age limit or its session expiry', () => {
    const s = new SessionStore(60_000, 100);
    expect(s.store('sid-1', session(1, { sessionExpiresAt: T0 + 30_000 }), s.epoch(), T0)).toBe(true);
    expect(s.get('sid-1', 'acc-1', T0 + 1)?.personId).toBe('per-1');
    expect(s.get('sid-1', 'acc-2', T0 + 1)).toBeNull(); // a token whose sub is another account
    expect(s.get('sid-1', 'acc-1', T0 + 30_000)).toBeNull(); // the session expired
    expect(s.size).toBe(0);

    s.store('sid-2', session(2), s.epoch(), T0);
    expect(s.get('sid-2', 'acc-2', T0 + 59_999)).not.toBeNull();
    expect(s.get('sid-2', 'acc-2', T0 + 60_000)).toBeNull(); // older than the age limit
  });

  it('drops by session, by account and by person; each invalidation advances the epoch', () => {
    const s = new SessionStore(60_000, 100);
    s.store('a1', session(1), s.epoch(), T0);
    s.store('a2', session(1), s.epoch(), T0); // a second session of the same account
    s.store('b1', session(2), s.epoch(), T0);
    s.store('c1', session(3), s.epoch(), T0);
    const e0 = s.epoch();
    s.invalidate('s:b1');
    expect(s.epoch()).toBe(e0 + 1);
    expect(s.get('b1', 'acc-2', T0)).toBeNull();
    s.invalidate('a:acc-1');
    expect(s.get('a1', 'acc-1', T0)).toBeNull();
    expect(s.get('a2', 'acc-1', T0)).toBeNull();
    expect(s.get('c1', 'acc-3', T0)).not.toBeNull();
    s.invalidate('p:per-3');
    expect(s.size).toBe(0);
    s.invalidate('p:nobody'); // nothing cached for them: no harm
    expect(s.epoch()).toBe(e0 + 4);
  });

  it('refuses to store a load that overlapped an invalidation, so a stale read cannot come back', () => {
    const s = new SessionStore(60_000, 100);
    const before = s.epoch();
    s.invalidate('a:acc-9'); // e.g. the account was disabled while the guard's query was running
    expect(s.store('sid-9', session(9), before, T0)).toBe(false);
    expect(s.size).toBe(0);
    expect(s.store('sid-9', session(9), s.epoch(), T0)).toBe(true);
  });

  it('empties itself on an unknown notification payload', () => {
    const s = new SessionStore(60_000, 100);
    s.store('x', session(1), s.epoch(), T0);
    s.invalidate('garbage');
    expect(s.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest first, and keeps its indexes consistent', () => {
    const s = new SessionStore(60_000, 2);
    s.store('s1', session(1), s.epoch(), T0);
    s.store('s2', session(2), s.epoch(), T0);
    s.store('s3', session(3), s.epoch(), T0);
    expect(s.size).toBe(2);
    expect(s.get('s1', 'acc-1', T0)).toBeNull();
    // Re-storing an existing session does not evict another one.
    s.store('s3', session(3), s.epoch(), T0);
    expect(s.get('s2', 'acc-2', T0)).not.toBeNull();
    s.invalidate('a:acc-2');
    s.invalidate('a:acc-3');
    expect(s.size).toBe(0);
  });
});
