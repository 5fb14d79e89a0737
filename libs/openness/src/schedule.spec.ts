import fc from 'fast-check';
import { addDays } from './periods.js';
import {
  cadenceOf,
  daysBetween,
  monthlySinceOf,
  plannedSlots,
  quarterStart,
  type ScheduleBasis,
  monthNumber,
  slotMonths,
  slotStartOf,
  slotStatus,
} from './schedule.js';

const basis = (over: Partial<ScheduleBasis> = {}): ScheduleBasis => ({
  from: '2026-01-01',
  asOf: '2026-05-15',
  dueDays: 10,
  monthlySince: null,
  collectiveSince: null,
  ...over,
});
const brief = (b: ScheduleBasis) =>
  plannedSlots(b).map((s) => `${s.series} ${s.periodKind} ${s.periodStart}…${s.periodEnd} due ${s.dueOn}`);

describe('the schedule of a village', () => {
  it('a quarterly village: general and finance every quarter from the first quarter to the one holding the day, newest first', () => {
    expect(brief(basis())).toEqual([
      'general quarter 2026-04-01…2026-06-30 due 2026-07-10',
      'finance quarter 2026-04-01…2026-06-30 due 2026-07-10',
      'general quarter 2026-01-01…2026-03-31 due 2026-04-10',
      'finance quarter 2026-01-01…2026-03-31 due 2026-04-10',
    ]);
  });

  it('monthly finance counts from the quarter it was set in; earlier quarters stay quarterly; months after the day are not listed', () => {
    const monthlySince = monthlySinceOf(true, '2026-05-03');
    expect(monthlySince).toBe('2026-04-01');
    expect(brief(basis({ monthlySince }))).toEqual([
      'finance month 2026-05-01…2026-05-31 due 2026-06-10',
      'general quarter 2026-04-01…2026-06-30 due 2026-07-10',
      'finance month 2026-04-01…2026-04-30 due 2026-05-10',
      'general quarter 2026-01-01…2026-03-31 due 2026-04-10',
      'finance quarter 2026-01-01…2026-03-31 due 2026-04-10',
    ]);
    expect(monthlySinceOf(false, '2026-05-03')).toBeNull();
  });

  it('the collective organization’s finance starts at the slot of its first disclosure, with the village’s cadence', () => {
    expect(brief(basis({ collectiveSince: '2026-04-01', asOf: '2026-07-02' })).filter((s) => s.startsWith('collective'))).toEqual([
      'collective_finance quarter 2026-07-01…2026-09-30 due 2026-10-10',
      'collective_finance quarter 2026-04-01…2026-06-30 due 2026-07-10',
    ]);
    const monthly = plannedSlots(basis({ collectiveSince: '2026-02-01', monthlySince: '2026-01-01', asOf: '2026-03-01' }));
    expect(monthly.filter((s) => s.series === 'collective_finance').map((s) => s.periodStart)).toEqual(['2026-03-01', '2026-02-01']);
    // A first disclosure before the schedule's first quarter does not reach back before it.
    expect(plannedSlots(basis({ collectiveSince: '2025-04-01' })).filter((s) => s.series === 'collective_finance')).toHaveLength(2);
  });

  it('nothing before the first quarter', () => {
    expect(plannedSlots(basis({ asOf: '2025-12-31' }))).toEqual([]);
  });

  it('status around the period end and the due day', () => {
    const slot = { periodEnd: '2026-03-31', dueOn: '2026-04-10' };
    expect(slotStatus(slot, null, '2026-03-31')).toEqual({ status: 'upcoming', daysOverdue: 0 });
    expect(slotStatus(slot, null, '2026-04-01')).toEqual({ status: 'due', daysOverdue: 0 });
    expect(slotStatus(slot, null, '2026-04-10')).toEqual({ status: 'due', daysOverdue: 0 });
    expect(slotStatus(slot, null, '2026-04-11')).toEqual({ status: 'overdue', daysOverdue: 1 });
    expect(slotStatus(slot, '2026-04-05', '2026-04-11')).toEqual({ status: 'published', daysOverdue: 0 });
    expect(slotStatus(slot, '2026-04-25', '2026-05-01')).toEqual({ status: 'published', daysOverdue: 15 });
    // Published after the as-of day: as of that day it was not.
    expect(slotStatus(slot, '2026-04-25', '2026-04-20')).toEqual({ status: 'overdue', daysOverdue: 10 });
    // Published before the period ended (a general matter mid-quarter).
    expect(slotStatus(slot, '2026-02-10', '2026-03-01')).toEqual({ status: 'published', daysOverdue: 0 });
  });

  it('a disclosure counts for the slot its period starts in', () => {
    expect(slotStartOf('general', '2026-05-12', null)).toBe('2026-04-01');
    expect(slotStartOf('finance', '2026-05-01', null)).toBe('2026-04-01');
    expect(slotStartOf('finance', '2026-05-01', '2026-04-01')).toBe('2026-05-01');
    expect(slotStartOf('finance', '2026-02-01', '2026-04-01')).toBe('2026-01-01');
    expect(slotStartOf('general', '2026-05-12', '2026-04-01')).toBe('2026-04-01');
    expect(cadenceOf('collective_finance', '2026-07-01', '2026-04-01')).toBe('month');
  });

  it('any day: slots tile the time from the first quarter without gaps or overlaps, per series', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.option(fc.integer({ min: 0, max: 1500 })),
        fc.integer({ min: 0, max: 60 }),
        (asOfN, monthlyN, dueDays) => {
          const asOf = addDays('2026-01-01', asOfN);
          const monthlySince = monthlyN === null ? null : quarterStart(addDays('2026-01-01', monthlyN));
          const slots = plannedSlots(basis({ asOf, monthlySince, dueDays, collectiveSince: '2026-01-01' }));
          for (const series of ['general', 'finance', 'collective_finance'] as const) {
            const mine = slots.filter((s) => s.series === series).reverse();
            expect(mine[0].periodStart).toBe('2026-01-01');
            for (let i = 1; i < mine.length; i++) expect(mine[i].periodStart).toBe(addDays(mine[i - 1].periodEnd, 1));
            const last = mine[mine.length - 1];
            expect(last.periodStart <= asOf && asOf <= last.periodEnd).toBe(true);
            for (const s of mine) expect(daysBetween(s.periodEnd, s.dueOn)).toBe(dueDays);
          }
        },
      ),
    );
  });

  it('any day: an unpublished slot goes upcoming → due → overdue and never back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 60 }), (n, dueDays) => {
        const slot = { periodEnd: '2026-06-30', dueOn: addDays('2026-06-30', dueDays) };
        const order = { upcoming: 0, due: 1, overdue: 2, published: 3 };
        const a = slotStatus(slot, null, addDays('2026-04-01', n));
        const b = slotStatus(slot, null, addDays('2026-04-01', n + 1));
        expect(order[b.status]).toBeGreaterThanOrEqual(order[a.status]);
        expect(a.status).not.toBe('published');
      }),
    );
  });
});

describe('slotMonths (the roll-up counts slots by their last month)', () => {
  it('a slot is ended, overdue unless met, long overdue unless met exactly when its last month is before the threshold', () => {
    const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2025-01-01', n));
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 365 }), (a, b, dueDays, longDays) => {
        const [asOf, inSlot] = [a, b];
        const monthly = plannedSlots({
          from: quarterStart(inSlot),
          asOf: addDays(inSlot, 100),
          dueDays,
          monthlySince: '2000-01-01',
          collectiveSince: null,
        });
        const quarterly = plannedSlots({
          from: quarterStart(inSlot),
          asOf: addDays(inSlot, 100),
          dueDays,
          monthlySince: null,
          collectiveSince: null,
        });
        for (const slot of [...monthly, ...quarterly].filter((x) => x.periodStart <= inSlot && inSlot <= x.periodEnd)) {
          // The random day and every day at a boundary: the period's end, the due day, the long-overdue day, ±1.
          const edges = [0, dueDays, dueDays + longDays].flatMap((d) => [-1, 0, 1].map((e) => addDays(slot.periodEnd, d + e)));
          for (const on of [asOf, ...edges]) {
            const m = slotMonths('2025-01-01', on, dueDays, longDays);
            const last = monthNumber(slot.periodEnd);
            const st = slotStatus(slot, null, on);
            expect(st.status !== 'upcoming').toBe(last < m.endedBefore);
            expect(st.status === 'overdue').toBe(last < m.overdueBefore);
            expect(st.status === 'overdue' && st.daysOverdue > longDays).toBe(last < m.longOverdueBefore);
          }
        }
      }),
    );
  });

  it('numbers months consecutively, a quarter’s first month divisible by 3', () => {
    expect(monthNumber('2026-01-01')).toBe(2026 * 12);
    expect(monthNumber('2025-12-31') + 1).toBe(monthNumber('2026-01-15'));
    expect(['2026-01-01', '2026-04-30', '2026-07-09', '2026-10-31'].map((d) => monthNumber(d) % 3)).toEqual([0, 0, 0, 0]);
  });
});
