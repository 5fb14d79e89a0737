import fc from 'fast-check';
import { monthRange, rate } from './stats.js';

describe('statistics helpers', () => {
  it('computes rates rounded to four places, null on an empty denominator', () => {
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 5)).toBe(1);
  });

  it('a rate lies between 0 and 1 whenever the numerator is part of the denominator', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (d, n) => {
        const r = rate(n % (d + 1), d)!;
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('bounds a year and a month by the first days of months', () => {
    expect(monthRange(2026)).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    expect(monthRange(2026, 2)).toEqual({ from: '2026-02-01', to: '2026-03-01' });
    expect(monthRange(2026, 12)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });
});
