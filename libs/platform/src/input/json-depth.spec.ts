import fc from 'fast-check';
import { jsonNestsDeeperThan } from './json-depth.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('JSON depth from the raw bytes', () => {
  it('counts objects and arrays, at the boundary', () => {
    expect(jsonNestsDeeperThan(bytes('{"a":[1,{"b":2}]}'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"a":[1,{"b":2}]}'), 2)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('['.repeat(32) + ']'.repeat(32)), 32)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('['.repeat(33) + ']'.repeat(33)), 32)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('['.repeat(20_000)), 32)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: '[[[[{{{{', b: 'x\\"[[[[', c: '\\\\' })), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(`{"a":"\\\\"}`), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(`{"a":"\\\\","b":[[1]]}`), 2)).toBe(true);
  });

  it('agrees with the parsed value for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (v, max) => {
        expect(jsonNestsDeeperThan(bytes(JSON.stringify(v)), max)).toBe(depthOf(v) > max);
      }),
    );
  });
});
