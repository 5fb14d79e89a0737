import { ReadStore } from './read-store.js';

describe('ReadStore', () => {
  const village = '140428101200';
  const other = '140428102201';

  it('serves an entry until its age reaches the limit, and not when the clock went back', () => {
    const s = new ReadStore(5000, 100);
    expect(s.store('k', { a: 1 }, [village], s.epoch(), 1000)).toBe(true);
    expect(s.get('k', 1000)).toEqual({ a: 1 });
    expect(s.get('k', 5999)).toEqual({ a: 1 });
    expect(s.get('k', 6000)).toBeUndefined();
    s.store('k', { a: 2 }, [village], s.epoch(), 1000);
    expect(s.get('k', 999)).toBeUndefined();
  });

  it('a village change drops entries filed under it and under its township, county and city, not its siblings', () => {
    const s = new ReadStore(60_000, 100);
    const e = s.epoch();
    s.store('village', 1, [village], e, 0);
    s.store('township', 2, ['140428101'], e, 0);
    s.store('county', 3, ['140428'], e, 0);
    s.store('city', 4, ['1404'], e, 0);
    s.store('sibling', 5, [other], e, 0);
    s.store('other-township', 6, ['140428102'], e, 0);
    s.store('two-scopes', 7, [other, '140428101'], e, 0);
    s.invalidate(village);
    expect(
      ['village', 'township', 'county', 'city', 'sibling', 'other-township', 'two-scopes'].filter((k) => s.get(k, 1) !== undefined),
    ).toEqual(['sibling', 'other-township']);
    expect(s.size).toBe(2);
  });

  it('a township-level change (a township official granted) does not drop the villages below it', () => {
    const s = new ReadStore(60_000, 100);
    s.store('village', 1, [village], s.epoch(), 0);
    s.store('township', 2, ['140428101'], s.epoch(), 0);
    s.invalidate('140428101');
    expect(s.get('village', 1)).toBe(1);
    expect(s.get('township', 1)).toBeUndefined();
  });

  it('exact topics, and * drops everything including entries without topics', () => {
    const s = new ReadStore(60_000, 100);
    s.store('me', 1, ['person:a'], s.epoch(), 0);
    s.store('me2', 2, ['person:b'], s.epoch(), 0);
    s.store('names', 3, [], s.epoch(), 0);
    s.invalidate('person:a');
    expect(s.get('me', 1)).toBeUndefined();
    expect(s.get('me2', 1)).toBe(2);
    expect(s.get('names', 1)).toBe(3);
    s.invalidate('*');
    expect(s.size).toBe(0);
  });

  it('a named division (register:<village>) drops the same name at the village and its ancestors, nothing else', () => {
    const s = new ReadStore(60_000, 100);
    s.store('people of the township', 1, ['register:140428101'], s.epoch(), 0);
    s.store('people of the other township', 2, ['register:140428102'], s.epoch(), 0);
    s.store('proposals of the township', 3, ['140428101'], s.epoch(), 0);
    s.store('people of the city', 4, ['register:1404'], s.epoch(), 0);
    s.invalidate('register:140428101200');
    expect(s.get('people of the township', 1)).toBeUndefined();
    expect(s.get('people of the city', 1)).toBeUndefined();
    expect(s.get('people of the other township', 1)).toBe(2);
    expect(s.get('proposals of the township', 1)).toBe(3);
    s.invalidate('140428102200');
    expect(s.get('people of the other township', 1)).toBe(2);
  });

  it('refuses a load that overlapped an invalidation of one of its topics, or of an ancestor of one, or of everything', () => {
    const s = new ReadStore(60_000, 100);
    const before = s.epoch();
    s.invalidate(village);
    expect(s.store('village', 1, [village], before, 0)).toBe(false);
    expect(s.store('county', 2, ['140428'], before, 0)).toBe(false);
    expect(s.get('village', 1)).toBeUndefined();
    expect(s.store('village', 1, [village], s.epoch(), 0)).toBe(true);
    const mark = s.epoch();
    s.invalidate('*');
    expect(s.store('sibling', 3, [other], mark, 0)).toBe(false);
    expect(s.changedSince(null, mark)).toBe(true);
  });

  it('stores a load that overlapped only changes elsewhere: another village, another voter', () => {
    const s = new ReadStore(60_000, 100);
    const before = s.epoch();
    s.invalidate(other);
    s.invalidate('voter:b');
    expect(s.changedSince([village, 'voter:a'], before)).toBe(false);
    expect(s.store('k', 1, [village, 'voter:a'], before, 0)).toBe(true);
    expect(s.get('k', 1)).toBe(1);
    // A township-level change above it is not its topic either (as for dropping).
    s.invalidate('140428101');
    expect(s.get('k', 1)).toBe(1);
    // With no topics known (null), any change since counts.
    expect(s.changedSince(null, before)).toBe(true);
    expect(s.changedSince(null, s.epoch())).toBe(false);
  });

  it('a comma-joined payload drops each of its topics, one sequence number for all', () => {
    const s = new ReadStore(60_000, 100);
    const mark = s.epoch();
    s.store('a', 1, ['voter:a'], mark, 0);
    s.store('b', 2, ['voter:b'], mark, 0);
    s.store('c', 3, ['voter:c'], mark, 0);
    s.store('v', 4, ['140428'], mark, 0);
    s.invalidate(`voter:a,voter:b,${village}`);
    expect(['a', 'b', 'c', 'v'].filter((k) => s.get(k, 1) !== undefined)).toEqual(['c']);
    expect(s.epoch()).toBe(mark + 1);
    expect(s.store('a', 1, ['voter:a'], mark, 0)).toBe(false);
    expect(s.store('c', 3, ['voter:c'], mark, 0)).toBe(true);
    s.invalidate('voter:c,*');
    expect(s.size).toBe(0);
  });

  it('an entry does not outlive the time its answer changes by itself (until)', () => {
    const s = new ReadStore(5000, 100);
    expect(s.store('k', 1, ['voter:a'], s.epoch(), 1000, 3000)).toBe(true);
    expect(s.get('k', 2999)).toBe(1);
    expect(s.get('k', 3000)).toBeUndefined();
    // Later than the age limit: the age limit holds.
    s.store('k', 1, ['voter:a'], s.epoch(), 1000, 60_000);
    expect(s.get('k', 5999)).toBe(1);
    expect(s.get('k', 6000)).toBeUndefined();
    // Already past: not stored.
    expect(s.store('k', 1, ['voter:a'], s.epoch(), 1000, 1000)).toBe(false);
  });

  it('when the touched topics overflow, forgets them and refuses every load that began before', () => {
    const s = new ReadStore(60_000, 100, 3);
    const early = s.epoch();
    s.invalidate('voter:a');
    s.invalidate('voter:b');
    s.invalidate('voter:c');
    expect(s.store('x', 1, ['voter:x'], early, 0)).toBe(true);
    s.invalidate('voter:d'); // the fourth topic: forgotten, floor raised
    expect(s.store('y', 2, ['voter:y'], early, 0)).toBe(false);
    const after = s.epoch();
    s.invalidate('voter:e');
    expect(s.store('z', 3, ['voter:z'], after, 0)).toBe(true);
    expect(s.store('e', 4, ['voter:e'], after, 0)).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest, and its topic index with it', () => {
    const s = new ReadStore(60_000, 2);
    s.store('a', 1, [village], s.epoch(), 0);
    s.store('b', 2, [village], s.epoch(), 0);
    s.store('c', 3, [other], s.epoch(), 0);
    expect(s.size).toBe(2);
    expect(s.get('a', 1)).toBeUndefined();
    s.invalidate(village);
    expect(s.get('b', 1)).toBeUndefined();
    expect(s.get('c', 1)).toBe(3);
  });
});
