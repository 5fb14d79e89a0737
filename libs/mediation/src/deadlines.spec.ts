import fc from 'fast-check';
import { addDaysToDate, agreementDates, cstDate, dateDeadlineState, deadlineState, mediationDue } from './deadlines.js';
import { loadMediationSettings } from './mediation-settings.js';

const s = loadMediationSettings({});
const DAY = 86_400_000;

describe('mediation deadlines', () => {
  it('defaults to 30 days to mediate, 30 days for 司法确认, 15 to the follow-up, 7 for due soon', () => {
    expect(s).toEqual({ mediationDays: 30, confirmationDays: 30, followUpDays: 15, dueSoonDays: 7 });
  });

  it('refuses a bad setting naming the variable', () => {
    expect(() => loadMediationSettings({ MEDIATION_DEADLINE_DAYS: '0' })).toThrow(/MEDIATION_DEADLINE_DAYS/);
    expect(() => loadMediationSettings({ MEDIATION_CONFIRMATION_DAYS: 'x' })).toThrow(/MEDIATION_CONFIRMATION_DAYS/);
    expect(loadMediationSettings({ MEDIATION_DEADLINE_DAYS: '45' }).mediationDays).toBe(45);
  });

  it('is due at the end of the 30th day after acceptance (CST); due soon in the last 7 days; overdue after', () => {
    const accepted = new Date('2026-03-01T02:00:00Z');
    const { dueAt: due, dueOn, unverifiedYear } = mediationDue(accepted, s);
    // 2026-03-31 is a Tuesday: not moved; the period ends at 24:00 CST that day.
    expect([dueOn, unverifiedYear]).toEqual(['2026-03-31', null]);
    expect(due.toISOString()).toBe('2026-03-31T15:59:59.999Z');
    expect(deadlineState(due, new Date(due.getTime() - 7 * DAY - 1), s)).toBe('ok');
    expect(deadlineState(due, new Date(due.getTime() - 7 * DAY), s)).toBe('due_soon');
    expect(deadlineState(due, due, s)).toBe('due_soon');
    expect(deadlineState(due, new Date(due.getTime() + 1), s)).toBe('overdue');
  });

  it('counts the 司法确认 window from the effective date', () => {
    expect(agreementDates('2026-03-02', s)).toEqual({
      confirmDeadline: '2026-04-01',
      confirmUnverifiedYear: null,
      followUpDue: '2026-03-17',
    });
    // 2026-02-19 falls inside 春节; the follow-up target (not a statutory period) is not moved.
    expect(agreementDates('2026-01-20', s)).toEqual({
      confirmDeadline: '2026-02-24',
      confirmUnverifiedYear: null,
      followUpDue: '2026-02-04',
    });
    // 30 days after 2026-01-16 is 2026-02-15, the first day of 春节 (15–23 February): the window runs to Tuesday the 24th.
    expect(agreementDates('2026-01-16', s)).toMatchObject({ confirmDeadline: '2026-02-24', confirmUnverifiedYear: null });
    // A window ending in 2027, whose arrangement is not in the data: flagged, not guessed.
    expect(agreementDates('2026-12-05', s)).toMatchObject({ confirmDeadline: '2027-01-04', confirmUnverifiedYear: 2027 });
    expect(addDaysToDate('2024-02-20', 10)).toBe('2024-03-01');
  });

  it('moves a mediation period ending on 国庆 to the first working day, and flags one ending in 2027', () => {
    // Accepted 2025-09-01 (CST): day 30 is 2025-10-01; 国庆节、中秋节 run to 10-08.
    expect(mediationDue(new Date('2025-09-01T01:00:00Z'), s)).toMatchObject({ dueOn: '2025-10-09', unverifiedYear: null });
    // Accepted late on 2025-09-01 UTC = 2025-09-02 CST: day 30 is 10-02, still 国庆.
    expect(mediationDue(new Date('2025-09-01T17:00:00Z'), s)).toMatchObject({ dueOn: '2025-10-09' });
    const late = mediationDue(new Date('2026-12-10T02:00:00Z'), s);
    expect(late).toMatchObject({ dueOn: '2027-01-09', unverifiedYear: 2027 });
    expect(late.dueAt.toISOString()).toBe('2027-01-09T15:59:59.999Z');
  });

  it('uses the China Standard Time calendar day', () => {
    expect(cstDate(new Date('2026-01-01T15:59:59Z'))).toBe('2026-01-01');
    expect(cstDate(new Date('2026-01-01T16:00:00Z'))).toBe('2026-01-02');
    expect(dateDeadlineState('2026-01-02', new Date('2026-01-02T15:00:00Z'), s)).toBe('due_soon');
    expect(dateDeadlineState('2026-01-02', new Date('2026-01-02T16:00:00Z'), s)).toBe('overdue');
  });

  it('moving time forward never makes a deadline less urgent', () => {
    const rank = { ok: 0, due_soon: 1, overdue: 2 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * DAY }), fc.integer({ min: 0, max: 100 * DAY }), (a, b) => {
        const due = new Date('2026-06-01T00:00:00Z');
        const t1 = new Date(due.getTime() - 50 * DAY + Math.min(a, b));
        const t2 = new Date(due.getTime() - 50 * DAY + Math.max(a, b));
        expect(rank[deadlineState(due, t2, s)]).toBeGreaterThanOrEqual(rank[deadlineState(due, t1, s)]);
      }),
    );
  });
});
