import fc from 'fast-check';
import { addDays, dueOn, parseDay, periodLabel, periodOf, yuan } from './periods.js';

describe('periods of disclosures', () => {
  it('months, quarters and years end on their last day, leap years included', () => {
    expect(periodOf('month', '2024-02-01')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodOf('month', '2026-02-01')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodOf('quarter', '2026-10-01')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodOf('quarter', '2026-04-01')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodOf('year', '2026-01-01')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodOf('once', '2026-10-05')).toEqual({ start: '2026-10-05', end: '2026-10-05' });
  });

  it('refuses a start that is not the period’s first day, or not a day at all', () => {
    expect(periodOf('month', '2026-10-02')).toHaveProperty('problem');
    expect(periodOf('quarter', '2026-02-01')).toHaveProperty('problem');
    expect(periodOf('year', '2026-04-01')).toHaveProperty('problem');
    expect(periodOf('month', '2026-02-30')).toHaveProperty('problem');
    expect(periodOf('once', '2026-13-01')).toHaveProperty('problem');
    expect(parseDay('2026-1-01')).toBeNull();
  });

  it('every month of every year: the period is whole months, the next period starts the day after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const start = `${y}-${String(m).padStart(2, '0')}-01`;
        const p = periodOf('month', start);
        if ('problem' in p) throw new Error(p.problem);
        const next = addDays(p.end, 1);
        expect(next.endsWith('-01')).toBe(true);
        expect(periodOf('month', next)).not.toHaveProperty('problem');
      }),
    );
  });

  it('labels and due dates', () => {
    expect(periodLabel('quarter', '2026-07-01')).toBe('2026年第3季度');
    expect(periodLabel('month', '2026-10-01')).toBe('2026年10月');
    expect(dueOn('quarter', '2026-09-30', 10)).toBe('2026-10-10');
    expect(dueOn('once', '2026-10-05', 10)).toBe('2026-10-05');
  });

  it('fen as 元', () => {
    expect(yuan(123456789n)).toBe('1,234,567.89');
    expect(yuan('-5')).toBe('-0.05');
    expect(yuan(0n)).toBe('0.00');
  });
});
