import type { MediationSettings } from './mediation-settings.js';

const DAY_MS = 86_400_000;

/** China Standard Time has no daylight saving: a calendar day there is UTC+8 throughout. */
const CST_OFFSET_MS = 8 * 3_600_000;

export function addDays(at: Date, n: number): Date {
  return new Date(at.getTime() + n * DAY_MS);
}

/** The calendar date (YYYY-MM-DD) in China Standard Time. */
export function cstDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDaysToDate(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The mediation deadline: `mediationDays` after acceptance (or after arriving at a higher committee). */
export function mediationDueAt(acceptedAt: Date, s: MediationSettings): Date {
  return addDays(acceptedAt, s.mediationDays);
}

/** The agreement's dates: the 司法确认 window closes and the follow-up falls due, counted from the effective date. */
export function agreementDates(effectiveOn: string, s: MediationSettings): { confirmDeadline: string; followUpDue: string } {
  return { confirmDeadline: addDaysToDate(effectiveOn, s.confirmationDays), followUpDue: addDaysToDate(effectiveOn, s.followUpDays) };
}

export type DeadlineState = 'ok' | 'due_soon' | 'overdue';

/** Where a deadline stands at `now`: past it is overdue; within `dueSoonDays` of it is due soon. */
export function deadlineState(due: Date, now: Date, s: MediationSettings): DeadlineState {
  if (now.getTime() > due.getTime()) return 'overdue';
  if (due.getTime() - now.getTime() <= s.dueSoonDays * DAY_MS) return 'due_soon';
  return 'ok';
}

/** The same for a date-only deadline: overdue from the day after it (CST), due soon within `dueSoonDays`. */
export function dateDeadlineState(due: string, now: Date, s: MediationSettings): DeadlineState {
  const today = cstDate(now);
  if (today > due) return 'overdue';
  if (addDaysToDate(today, s.dueSoonDays) >= due) return 'due_soon';
  return 'ok';
}
