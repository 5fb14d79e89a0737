import pino from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { SystemClock } from '../clock/clock.js';
import { ReadCache } from './read-cache.js';

// How concurrent readers share one load (decision 066): a reader who arrives after a change to the load's
// topics must not be handed what was read before it; a change elsewhere does not stop the sharing.

/** A cache that serves (as while its LISTEN connection is up), without a database. */
function listeningCache(): ReadCache {
  const config = { readCacheSeconds: 5, readCacheMaxEntries: 100, databaseUrl: null, databaseDirectUrl: null } as unknown as AppConfig;
  const cache = new ReadCache(config, pino({ level: 'silent' }), new SystemClock());
  Object.assign(cache, { listening: true });
  return cache;
}

/** A load that resolves when told, counting its calls. */
function gate<T>(values: T[]) {
  let calls = 0;
  const releases: (() => void)[] = [];
  const load = () => {
    const value = values[Math.min(calls++, values.length - 1)];
    return new Promise<T>((resolve) => releases.push(() => resolve(value)));
  };
  return { load, release: () => releases.shift()?.(), calls: () => calls };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ReadCache: sharing a load', () => {
  it('a second reader shares the load under way and the answer is stored', async () => {
    const cache = listeningCache();
    const g = gate(['v1']);
    const first = cache.get('k', g.load, () => ['140428101200']);
    const second = cache.get('k', g.load, () => ['140428101200']);
    await tick();
    g.release();
    expect(await Promise.all([first, second])).toEqual(['v1', 'v1']);
    expect(g.calls()).toBe(1);
    expect(await cache.get('k', g.load, () => ['140428101200'])).toBe('v1');
    expect(g.calls()).toBe(1);
  });

  it('a reader who arrives after a change of the load’s topic loads again and gets the new answer; nothing old is stored', async () => {
    const cache = listeningCache();
    const g = gate(['old', 'new']);
    const first = cache.get('k', g.load, () => ['voter:a']);
    await tick();
    cache.invalidate('voter:a');
    const second = cache.get('k', g.load, () => ['voter:a']);
    g.release(); // the first load answers "old"
    expect(await first).toBe('old');
    await tick();
    expect(g.calls()).toBe(2);
    g.release();
    expect(await second).toBe('new');
    // The second load began after the change: it is stored.
    expect(await cache.get('k', g.load, () => ['voter:a'])).toBe('new');
    expect(g.calls()).toBe(2);
  });

  it('a change of another topic (another voter, another village) while loading keeps both the sharing and the storing', async () => {
    const cache = listeningCache();
    const g = gate(['v']);
    const first = cache.get('k', g.load, () => ['voter:a', '140428101200']);
    await tick();
    cache.invalidate('voter:b,140428102201');
    const second = cache.get('k', g.load, () => ['voter:a', '140428101200']);
    g.release();
    expect(await Promise.all([first, second])).toEqual(['v', 'v']);
    expect(g.calls()).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('everything dropped (a write of this process) while loading: a later reader loads again', async () => {
    const cache = listeningCache();
    const g = gate(['old', 'new']);
    const first = cache.get('k', g.load, () => []);
    await tick();
    cache.invalidate('*');
    const second = cache.get('k', g.load, () => []);
    g.release();
    expect(await first).toBe('old');
    await tick();
    g.release();
    expect(await second).toBe('new');
    expect(g.calls()).toBe(2);
  });

  it('an answer that changes by itself (untilOf) is not served after that time', async () => {
    const cache = listeningCache();
    let n = 0;
    const load = async () => ({ n: ++n, until: Date.now() + 30 });
    const ask = () =>
      cache.get(
        'k',
        load,
        () => ['voter:a'],
        (v) => v.until,
      );
    const first = await ask();
    expect((await ask()).n).toBe(first.n);
    await new Promise((r) => setTimeout(r, 40));
    expect((await ask()).n).toBe(first.n + 1);
  });
});

describe('ReadCache: an answer shared by several requests', () => {
  it('is encoded once, even with the cache off, and frozen so that it stays what its bytes say', () => {
    const cache = new ReadCache(
      { readCacheSeconds: 0, readCacheMaxEntries: 0, databaseUrl: null, databaseDirectUrl: null } as unknown as AppConfig,
      pino({ level: 'silent' }),
      new SystemClock(),
    );
    const page = { items: [{ actionName: '查看身份证', details: { field: 'id_number' } }], total: 1 };
    expect(cache.jsonOf(page)).toBeUndefined();
    expect(cache.encodeShared(page)).toBe(page);
    expect(cache.jsonOf(page)?.toString('utf8')).toBe(JSON.stringify(page));
    expect(Object.isFrozen(page.items[0].details)).toBe(true);
    expect(() => {
      (page.items[0] as { actionName: string }).actionName = '改';
    }).toThrow(TypeError);
  });
});
