/**
 * The State Council's yearly holiday arrangement (国务院办公厅关于某年部分节假日安排的通知) as data,
 * and the rule of 民事诉讼法 Art. 85: a period whose last day is a 法定休假日 ends on the first
 * working day after it. 法定休假日 are the arranged holidays and the weekends, except the weekend
 * days the notice makes working days (调休上班). Pure: no Nest, no database (the web imports it too).
 *
 * A year whose notice is not in data/holidays (or is marked unpublished) has no calendar: no date in
 * it is guessed; the period's end is reported as unverified with the year that is missing.
 */
import y2025 from './data/holidays/2025.json' with { type: 'json' };
import y2026 from './data/holidays/2026.json' with { type: 'json' };
import y2027 from './data/holidays/2027.json' with { type: 'json' };

export interface HolidayYear {
  year: number;
  published: boolean;
  title: string;
  source: string | null;
  holidays: { name: string; start: string; end: string }[];
  workdays: string[];
}

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

interface YearDays {
  holidays: Map<string, string>;
  workdays: Set<string>;
}

function indexYear(y: HolidayYear): YearDays {
  const holidays = new Map<string, string>();
  for (const h of y.holidays) for (let d = h.start; d <= h.end; d = addDays(d, 1)) holidays.set(d, h.name);
  return { holidays, workdays: new Set(y.workdays) };
}

const ALL_YEARS: HolidayYear[] = [y2025, y2026, y2027];
const YEARS = new Map<number, YearDays>(ALL_YEARS.filter((y) => y.published).map((y) => [y.year, indexYear(y)]));

/** The years whose arrangement is in the data and published. */
export const calendarYears = (): number[] => [...YEARS.keys()].sort();

export type DayKind = 'holiday' | 'weekend' | 'workday' | 'makeup_workday';

/** What kind of day `date` (YYYY-MM-DD) is, or null when its year has no published calendar. */
export function dayKind(date: string): DayKind | null {
  const y = YEARS.get(Number(date.slice(0, 4)));
  if (!y) return null;
  if (y.holidays.has(date)) return 'holiday';
  if (y.workdays.has(date)) return 'makeup_workday';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
}

export const isRestDay = (kind: DayKind): boolean => kind === 'holiday' || kind === 'weekend';

export type PeriodEnd =
  /** `date` is the period's end; `lastDay` the nominal last day it was moved from (equal when not moved). */
  | { verified: true; date: string; lastDay: string }
  /** A day to look at falls in `missingYear`, which has no calendar: `date` is the nominal last day, unadjusted. */
  | { verified: false; date: string; lastDay: string; missingYear: number };

/** 民事诉讼法 Art. 85: the period ending on `lastDay` ends on the first working day from it on. */
export function periodEnd(lastDay: string): PeriodEnd {
  let d = lastDay;
  for (;;) {
    const kind = dayKind(d);
    if (kind === null) return { verified: false, date: lastDay, lastDay, missingYear: Number(d.slice(0, 4)) };
    if (!isRestDay(kind)) return { verified: true, date: d, lastDay };
    d = addDays(d, 1);
  }
}

/** A period of `days` days from `start` (the start day not counted, Art. 85 ¶2), holiday rule applied. */
export const periodOfDays = (start: string, days: number): PeriodEnd => periodEnd(addDays(start, days));
