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

  it('refuses a load that overlapped an invalidation, even of another topic', () => {
    const s = new ReadStore(60_000, 100);
    const before = s.epoch();
    s.invalidate(other);
    expect(s.store('k', 1, [village], before, 0)).toBe(false);
    expect(s.get('k', 1)).toBeUndefined();
    expect(s.store('k', 1, [village], s.epoch(), 0)).toBe(true);
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
