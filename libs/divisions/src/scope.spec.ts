import fc from 'fast-check';
import { ancestorCodes, isWithin, isWithinAny, levelOfCode, normalizeScopes, scopeSql } from './scope.js';

describe('scope as a code prefix', () => {
  it('a division is inside itself and its ancestors, not its siblings or children', () => {
    expect(isWithin('140428101200', '140428101200')).toBe(true);
    expect(isWithin('140428101200', '140428101')).toBe(true);
    expect(isWithin('140428101200', '140428')).toBe(true);
    expect(isWithin('140428101200', '1404')).toBe(true);
    expect(isWithin('140428101200', '140428102')).toBe(false);
    expect(isWithin('140428101', '140428101200')).toBe(false);
    expect(isWithin('140428102200', '140428101')).toBe(false);
  });

  it('refuses malformed codes on either side (no accidental prefix of 5 or 7 digits)', () => {
    expect(isWithin('140428101200', '14042')).toBe(false);
    expect(isWithin('140428101200', '')).toBe(false);
    expect(isWithin('1404281', '1404')).toBe(false);
    expect(isWithin('14042810120a', '1404')).toBe(false);
  });

  it('levels follow code length', () => {
    expect([4, 6, 9, 12, 5].map((n) => levelOfCode('1'.repeat(n)))).toEqual(['city', 'county', 'township', 'village', null]);
  });

  it('ancestors are the prefixes at each level', () => {
    expect(ancestorCodes('140428101200')).toEqual(['1404', '140428', '140428101']);
    expect(ancestorCodes('1404')).toEqual([]);
  });

  it('normalizeScopes drops scopes covered by wider ones', () => {
    expect(normalizeScopes(['140428101200', '140428', '140428101', '140403'])).toEqual(['140428', '140403']);
    expect(normalizeScopes(['bad', '12'])).toEqual([]);
  });

  it('isWithinAny agrees with a prefix test for generated codes', () => {
    const code = fc.tuple(fc.constantFrom(4, 6, 9, 12), fc.stringMatching(/^\d{12}$/)).map(([n, s]) => s.slice(0, n));
    fc.assert(
      fc.property(code, fc.array(code, { maxLength: 4 }), (c, scopes) => {
        expect(isWithinAny(c, scopes)).toBe(scopes.some((s) => c.startsWith(s)));
      }),
    );
  });

  it('scopeSql is default-deny on no scopes and uses prefix patterns otherwise', () => {
    expect(scopeSql('x', [], 1)).toEqual({ sql: 'FALSE', params: [] });
    expect(scopeSql('d.code', ['140428101', '140428'], 3)).toEqual({ sql: '(d.code LIKE $3)', params: ['140428%'] });
    expect(scopeSql('d.code', ['140428101200', '140403'], 2)).toEqual({
      sql: '(d.code LIKE $2 OR d.code LIKE $3)',
      params: ['140403%', '140428101200%'],
    });
  });
});
