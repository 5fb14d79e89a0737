/**
 * The periods of disclosures, pure: a month starts on the 1st, a quarter on 1 January, April, July or
 * October, a year on 1 January; 'once' (a major matter, Art. 30 ¶2) is a single day. Days are calendar
 * days in 长治 (YYYY-MM-DD strings; no time zone arithmetic).
 */
import type { PeriodKind } from './names.js';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day's parts, or null if `s` is not a real day. */
export function parseDay(s: string): { y: number; m: number; d: number } | null {
  const r = ISO_DAY.exec(s);
  if (!r) return null;
  const [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return { y, m, d };
}

const iso = (t: Date) => t.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => iso(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/** The period of `kind` that starts on `start` (inclusive end), or why it cannot. */
export function periodOf(kind: PeriodKind, start: string): { start: string; end: string } | { problem: string } {
  const p = parseDay(start);
  if (!p) return { problem: `${start} 不是有效日期（格式 YYYY-MM-DD）` };
  if (p.y < 2000 || p.y > 2100) return { problem: '年份应在 2000–2100 之间' };
  switch (kind) {
    case 'month':
      if (p.d !== 1) return { problem: '月度公开的期间应从当月 1 日开始' };
      return { start, end: iso(new Date(Date.UTC(p.y, p.m, 0))) };
    case 'quarter':
      if (p.d !== 1 || (p.m - 1) % 3 !== 0) return { problem: '季度公开的期间应从 1 月、4 月、7 月或 10 月的 1 日开始' };
      return { start, end: iso(new Date(Date.UTC(p.y, p.m + 2, 0))) };
    case 'year':
      if (p.d !== 1 || p.m !== 1) return { problem: '年度公开的期间应从 1 月 1 日开始' };
      return { start, end: `${p.y}-12-31` };
    case 'once':
      return { start, end: start };
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** 2026年10月, 2026年第4季度, 2026年度, 2026年10月5日. */
export function periodLabel(kind: PeriodKind, start: string): string {
  const p = parseDay(start);
  if (!p) return start;
  switch (kind) {
    case 'month':
      return `${p.y}年${p.m}月`;
    case 'quarter':
      return `${p.y}年第${(p.m - 1) / 3 + 1}季度`;
    case 'year':
      return `${p.y}年度`;
    case 'once':
      return `${p.y}年${p.m}月${p.d}日`;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** When a period's disclosure is due: `dueDays` after the period ends; a major matter at once (its own day). */
export function dueOn(kind: PeriodKind, end: string, dueDays: number): string {
  return kind === 'once' ? end : addDays(end, dueDays);
}

/** Whether `day` lies in [start, end]. */
export const within = (day: string, start: string, end: string): boolean => day >= start && day <= end;

/** 长治's calendar day of an instant. */
export const shanghaiDay = (at: Date): string => iso(new Date(at.getTime() + 8 * 3_600_000));

/** Integer fen as 元 with two decimals and thousands separators: -1234567 → "-12,345.67". */
export function yuan(fen: bigint | string): string {
  const v = BigInt(fen);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${cents}`;
}
