import { randomUUID } from 'node:crypto';
import { ReadCache } from '#platform';

/** Polls until `check` holds; returns the milliseconds it took, or throws after `limitMs`. */
export async function within(limitMs: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Waits until the app's read cache has received every notification sent before this call: PostgreSQL
 * delivers a channel's notifications in commit order, so once a marker sent now has arrived, every
 * invalidation of earlier writes has been applied. A test that reads, changes silently and reads again
 * calls it first, so that a late invalidation from an earlier write cannot keep its first read from being
 * cached.
 */
export async function readsSettled(
  app: { get<T>(type: new (...args: never[]) => T): T },
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
): Promise<void> {
  const cache = app.get(ReadCache);
  const marker = `settled:${randomUUID()}`;
  const original = cache.invalidate.bind(cache);
  let arrived!: () => void;
  const seen = new Promise<void>((resolve) => (arrived = resolve));
  cache.invalidate = (payload: string) => {
    original(payload);
    if (payload === marker) arrived();
  };
  try {
    await db.query(`SELECT pg_notify('sangong_reads', $1)`, [marker]);
    await Promise.race([
      seen,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the read cache did not hear its marker within 5 s')), 5000)),
    ]);
  } finally {
    cache.invalidate = original;
  }
}
