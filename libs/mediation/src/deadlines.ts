import { periodOfDays } from './holiday-calendar.js';
import type { MediationSettings } from './mediation-settings.js';
import type { DeadlineState } from './views.js';

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

/** The last moment of a CST calendar day. */
export function endOfCstDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - CST_OFFSET_MS - 1);
}

export interface MediationDue {
  /** The period's last day (CST), moved past holidays and weekends (民事诉讼法 Art. 85). */
  dueOn: string;
  /** The end of that day: the moment after which the case is overdue. */
  dueAt: Date;
  /** The year whose holiday calendar is missing, when the last day could not be checked (then `dueOn` is unadjusted). */
  unverifiedYear: number | null;
}

/**
 * The mediation deadline: `mediationDays` calendar days after the day of acceptance (or of arriving at a
 * higher committee), the day itself not counted, ending at the end of the first working day from then on.
 */
export function mediationDue(acceptedAt: Date, s: MediationSettings): MediationDue {
  const end = periodOfDays(cstDate(acceptedAt), s.mediationDays);
  return { dueOn: end.date, dueAt: endOfCstDay(end.date), unverifiedYear: end.verified ? null : end.missingYear };
}

export interface AgreementDates {
  /** Last day to apply for 司法确认 (人民调解法 Art. 33: 30 days), moved past holidays (民事诉讼法 Art. 85). */
  confirmDeadline: string;
  confirmUnverifiedYear: number | null;
  /** The follow-up visit: a working target of the committee, not a statutory period, so not moved. */
  followUpDue: string;
}

/** The agreement's dates, counted from the day it takes effect. */
export function agreementDates(effectiveOn: string, s: MediationSettings): AgreementDates {
  const confirm = periodOfDays(effectiveOn, s.confirmationDays);
  return {
    confirmDeadline: confirm.date,
    confirmUnverifiedYear: confirm.verified ? null : confirm.missingYear,
    followUpDue: addDaysToDate(effectiveOn, s.followUpDays),
  };
}

export type { DeadlineState } from './views.js';

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
