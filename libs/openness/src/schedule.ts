/**
 * A village's disclosure schedule (村民委员会组织法 Art. 30 ¶2; DOMAIN.md §1a), pure. The oversight roll-up
 * (oversight.repository.ts) computes the same rules in one SQL statement, counting slots by month numbers
 * (slotMonths) instead of listing them; the e2e test holds the two together.
 *
 * The rules:
 * - Series: 'general' (村务) every quarter for every village; 'finance' (村财务) monthly where the township has set
 *   the village as one with many transactions (openness_village_setting.finance_monthly), otherwise quarterly;
 *   'collective_finance' (集体经济组织财务) the same cadence as 'finance', for villages with a collective economic
 *   organization. Openness has no reader of economy's registry that answers "which villages have an organization"
 *   for a whole division (economy exports OrgsService.listAll, a permission-checked registry listing, and
 *   CollectiveRegisters, members only), so a village counts as having one from the period of its first
 *   collective_finance disclosure (in any state) on.
 * - First period: OPENNESS_SCHEDULE_FROM (a quarter's first day, default 2026-01-01), the day the platform takes
 *   over from paper boards, for every village; it is not the village's first disclosure, or a village that never
 *   publishes would never be overdue. For 'collective_finance', the later of that and the slot holding the
 *   village's first collective_finance disclosure.
 * - Cadence changes: only the current setting is stored, with the day it was set. Monthly counts from the quarter
 *   in which it was set (earlier quarters stay quarterly); a village set back to quarterly is quarterly throughout.
 *   Neither ever turns an earlier, met period into an overdue one.
 * - A slot (village, series, period) is due on the period's last day + OPENNESS_DUE_DAYS; it is met by a published
 *   disclosure of its series whose period starts inside the slot's period and was published on or before the as-of
 *   day (a general matter 'once' on 12 May meets the second quarter; a quarterly finance disclosure of a monthly
 *   village meets only the quarter's first month, which is the law: monthly means every month).
 * - Status as of a day: published (met); upcoming (the period has not ended); due (ended, not yet past its due
 *   day); overdue (past its due day). `daysOverdue`: days past the due day when overdue, days late when published
 *   late, else 0. Slots run from the first period to the one holding the as-of day.
 */
import type { PeriodKind, ScheduleSeries } from './names.js';
import { SCHEDULE_SERIES } from './names.js';
import { addDays, parseDay, periodOf } from './periods.js';

export type Cadence = Extract<PeriodKind, 'month' | 'quarter'>;
export type SlotStatus = 'published' | 'due' | 'overdue' | 'upcoming';

export interface ScheduleBasis {
  /** OPENNESS_SCHEDULE_FROM: the first quarter counted. */
  from: string;
  asOf: string;
  dueDays: number;
  /** The quarter from which the village's finance is monthly, or null (quarterly). */
  monthlySince: string | null;
  /** The period start of the village's first collective_finance disclosure, or null (no organization known). */
  collectiveSince: string | null;
}

export interface PlannedSlot {
  series: ScheduleSeries;
  periodKind: Cadence;
  periodStart: string;
  periodEnd: string;
  dueOn: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
/** Whole days from `a` to `b` (b − a). */
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

const pad = (n: number) => String(n).padStart(2, '0');

/** The first day of the quarter holding `day`. */
export function quarterStart(day: string): string {
  const p = parseDay(day);
  if (!p) throw new Error(`not a day: ${day}`);
  return `${p.y}-${pad(p.m - ((p.m - 1) % 3))}-01`;
}

/** The first day of the month holding `day`. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function nextQuarter(qs: string): string {
  const p = parseDay(qs)!;
  return p.m === 10 ? `${p.y + 1}-01-01` : `${p.y}-${pad(p.m + 3)}-01`;
}

/** The quarter from which a village's finance is monthly, given its setting and the 长治 day it was set. */
export const monthlySinceOf = (financeMonthly: boolean, setOn: string): string | null => (financeMonthly ? quarterStart(setOn) : null);

/** The cadence of `series` in the quarter starting `qs`. */
export function cadenceOf(series: ScheduleSeries, qs: string, monthlySince: string | null): Cadence {
  return series !== 'general' && monthlySince !== null && monthlySince <= qs ? 'month' : 'quarter';
}

/** The start of the slot that a disclosure of `series` whose period starts on `day` counts for. */
export function slotStartOf(series: ScheduleSeries, day: string, monthlySince: string | null): string {
  const qs = quarterStart(day);
  return cadenceOf(series, qs, monthlySince) === 'month' ? monthStart(day) : qs;
}

/** Every slot from the first period to the one holding `asOf`, newest first, series in their order. */
export function plannedSlots(b: ScheduleBasis): PlannedSlot[] {
  const out: PlannedSlot[] = [];
  const collectiveFrom = b.collectiveSince === null ? null : slotStartOf('collective_finance', b.collectiveSince, b.monthlySince);
  for (let qs = b.from; qs <= b.asOf; qs = nextQuarter(qs)) {
    for (const series of SCHEDULE_SERIES) {
      if (series === 'collective_finance' && collectiveFrom === null) continue;
      const kind = cadenceOf(series, qs, b.monthlySince);
      const starts = kind === 'month' ? [0, 1, 2].map((k) => `${qs.slice(0, 5)}${pad(Number(qs.slice(5, 7)) + k)}-01`) : [qs];
      for (const start of starts) {
        if (start > b.asOf) continue;
        if (series === 'collective_finance' && start < collectiveFrom!) continue;
        const p = periodOf(kind, start);
        if ('problem' in p) throw new Error(p.problem);
        out.push({ series, periodKind: kind, periodStart: p.start, periodEnd: p.end, dueOn: addDays(p.end, b.dueDays) });
      }
    }
  }
  return out.sort(
    (x, y) => y.periodStart.localeCompare(x.periodStart) || SCHEDULE_SERIES.indexOf(x.series) - SCHEDULE_SERIES.indexOf(y.series),
  );
}

/** A slot's status as of `asOf`, given the 长治 day its earliest qualifying disclosure was published (or null). */
export function slotStatus(slot: Pick<PlannedSlot, 'periodEnd' | 'dueOn'>, publishedOn: string | null, asOf: string) {
  if (publishedOn !== null && publishedOn <= asOf)
    return { status: 'published' as SlotStatus, daysOverdue: Math.max(0, daysBetween(slot.dueOn, publishedOn)) };
  if (asOf <= slot.periodEnd) return { status: 'upcoming' as SlotStatus, daysOverdue: 0 };
  if (asOf <= slot.dueOn) return { status: 'due' as SlotStatus, daysOverdue: 0 };
  return { status: 'overdue' as SlotStatus, daysOverdue: daysBetween(slot.dueOn, asOf) };
}

/** A month as a number (year × 12 + month − 1): consecutive months are consecutive numbers, a quarter's first month is divisible by 3. */
export function monthNumber(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

/** The month numbers the roll-up counts slots by (oversight.repository.ts). */
export interface SlotMonths {
  /** The first period's month. */
  from: number;
  /** A slot whose last month is before this one has ended (its last day is before the as-of day). */
  endedBefore: number;
  /** … is past its due day (last day + dueDays before the as-of day): overdue unless met. */
  overdueBefore: number;
  /** … is past its due day by more than `longOverdueDays`: the village is highlighted unless met. */
  longOverdueBefore: number;
}

/**
 * A slot's status depends only on its last day, the last day of a month: it is before a day D exactly when the
 * slot's last month is before D's month. So the three thresholds of slotStatus become months.
 */
export const slotMonths = (from: string, asOf: string, dueDays: number, longOverdueDays: number): SlotMonths => ({
  from: monthNumber(from),
  endedBefore: monthNumber(asOf),
  overdueBefore: monthNumber(addDays(asOf, -dueDays)),
  longOverdueBefore: monthNumber(addDays(asOf, -dueDays - longOverdueDays)),
});
