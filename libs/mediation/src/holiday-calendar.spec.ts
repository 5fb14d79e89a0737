import fc from 'fast-check';
import { calendarYears, dayKind, periodEnd, periodOfDays } from './holiday-calendar.js';
import y2027 from './data/holidays/2027.json' with { type: 'json' };

const DAY = 86_400_000;
const plus = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

describe('holiday calendar (国务院办公厅节假日安排) and 民事诉讼法 Art. 85', () => {
  it('holds the published years 2025 and 2026, and no dates for 2027', () => {
    expect(calendarYears()).toEqual([2025, 2026]);
    expect(y2027).toMatchObject({ year: 2027, published: false, holidays: [], workdays: [] });
    expect(dayKind('2027-01-01')).toBeNull();
    expect(dayKind('2024-12-31')).toBeNull();
  });

  it('knows holidays, 调休 working weekends, plain weekends and workdays', () => {
    expect(dayKind('2025-10-01')).toBe('holiday');
    expect(dayKind('2025-10-08')).toBe('holiday'); // a Wednesday inside 国庆节、中秋节
    expect(dayKind('2025-10-11')).toBe('makeup_workday'); // Saturday worked for 国庆
    expect(dayKind('2025-09-28')).toBe('makeup_workday'); // Sunday worked for 国庆
    expect(dayKind('2025-11-15')).toBe('weekend');
    expect(dayKind('2025-11-17')).toBe('workday');
    expect(dayKind('2026-02-14')).toBe('makeup_workday');
    expect(dayKind('2026-02-23')).toBe('holiday'); // a Monday, last day of 春节
    expect(dayKind('2026-10-10')).toBe('makeup_workday');
  });

  it('a deadline landing on 国庆 ends on the first working day after the holiday', () => {
    expect(periodEnd('2025-10-01')).toEqual({ verified: true, date: '2025-10-09', lastDay: '2025-10-01' });
    expect(periodEnd('2025-10-08')).toEqual({ verified: true, date: '2025-10-09', lastDay: '2025-10-08' });
    expect(periodOfDays('2025-09-01', 30)).toEqual({ verified: true, date: '2025-10-09', lastDay: '2025-10-01' });
    // 2026: 国庆 1–7 October (Thursday to Wednesday) → Thursday the 8th.
    expect(periodEnd('2026-10-03').date).toBe('2026-10-08');
  });

  it('a deadline landing on a 调休 working Saturday stays there', () => {
    expect(periodEnd('2025-10-11')).toEqual({ verified: true, date: '2025-10-11', lastDay: '2025-10-11' });
    expect(periodOfDays('2025-09-11', 30).date).toBe('2025-10-11');
    expect(periodEnd('2026-02-14').date).toBe('2026-02-14');
    expect(periodEnd('2026-02-28').date).toBe('2026-02-28');
  });

  it('a deadline landing on a normal weekend moves to Monday', () => {
    expect(periodEnd('2025-11-15')).toEqual({ verified: true, date: '2025-11-17', lastDay: '2025-11-15' });
    expect(periodEnd('2025-11-16').date).toBe('2025-11-17');
    expect(periodOfDays('2025-10-16', 30).date).toBe('2025-11-17');
    // the weekend right after the 端午 holiday of 2026 (19–21 June) runs into Monday the 22nd
    expect(periodEnd('2026-06-19').date).toBe('2026-06-22');
  });

  it('a deadline landing on 春节 ends after the whole holiday', () => {
    expect(periodEnd('2026-02-15').date).toBe('2026-02-24');
    expect(periodEnd('2025-01-28').date).toBe('2025-02-05');
  });

  it('refuses to guess in a year without a calendar: the nominal day comes back unverified, with the year', () => {
    expect(periodEnd('2027-01-04')).toEqual({ verified: false, date: '2027-01-04', lastDay: '2027-01-04', missingYear: 2027 });
    expect(periodOfDays('2026-12-05', 30)).toEqual({ verified: false, date: '2027-01-04', lastDay: '2027-01-04', missingYear: 2027 });
    // A weekday of 2026 is verified even in its last days; a Saturday rolling into 2027 is not.
    expect(periodEnd('2026-12-31')).toEqual({ verified: true, date: '2026-12-31', lastDay: '2026-12-31' });
    expect(periodEnd('2026-12-26').date).toBe('2026-12-28');
    expect(periodEnd('2024-06-01')).toMatchObject({ verified: false, missingYear: 2024 });
  });

  it('for every day of 2025–2026: the end is a working day on or after the last day, with only rest days between', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 729 }), (n) => {
        const last = plus('2025-01-01', n);
        const r = periodEnd(last);
        if (!r.verified) {
          // Only a run of rest days reaching past 2026 can leave the calendar.
          expect(r.missingYear).toBe(2027);
          return;
        }
        expect(r.date >= last).toBe(true);
        expect(['workday', 'makeup_workday']).toContain(dayKind(r.date));
        for (let d = last; d < r.date; d = plus(d, 1)) expect(['holiday', 'weekend']).toContain(dayKind(d));
        expect(r.date === last).toBe(['workday', 'makeup_workday'].includes(dayKind(last)!));
      }),
      { numRuns: 730 },
    );
  });
});
