import type { PeriodKind } from '@libs/openness/src/names';

/** Integer fen (a string, bigint-safe) as 元 with thousands separators, no unit: "-12,345.67". */
export function yuanText(fen: string | null | undefined): string {
  if (fen === null || fen === undefined || !/^-?\d+$/.test(fen)) return '—';
  const v = BigInt(fen);
  const a = v < 0n ? -v : v;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0n ? '-' : ''}${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** 元 typed by a person ("1,234.5", "-20") to integer fen as a string; null when malformed. `signed`: a balance may be negative. */
export function toFen(input: string, signed = false): string | null {
  const m = /^\s*(-)?\s*(\d{1,14})(?:\.(\d{1,2}))?\s*$/.exec(input.replace(/,/g, ''));
  if (!m || (m[1] && !signed)) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return (m[1] && fen !== 0n ? -fen : fen).toString();
}

/** Fen as the 元 a person edits ("1234.50"), without separators. */
export const fenToInput = (fen: string | null | undefined): string => (fen ? yuanText(fen).replace(/,/g, '') : '');

/** The years a period picker offers: from two years back to next year. */
export function pickerYears(today: string): number[] {
  const y = Number(today.slice(0, 4));
  return [y + 1, y, y - 1, y - 2];
}

/**
 * The valid starts of a period kind in a year (a month on the 1st, a quarter on 1 January, April, July,
 * October, a year on 1 January), with their labels; 'once' has none (any day is picked).
 */
export function periodStarts(kind: PeriodKind, year: number): { value: string; text: string }[] {
  const day = (m: number) => `${year}-${String(m).padStart(2, '0')}-01`;
  switch (kind) {
    case 'month':
      return Array.from({ length: 12 }, (_, i) => ({ value: day(i + 1), text: `${year}年${i + 1}月` }));
    case 'quarter':
      return [1, 2, 3, 4].map((q) => ({ value: day(q * 3 - 2), text: `${year}年第${q}季度` }));
    case 'year':
      return [{ value: day(1), text: `${year}年度` }];
    case 'once':
      return [];
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** A picked file as base64 (without the data: prefix). */
export async function fileToBase64(f: Blob): Promise<string> {
  const buf = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Whether the acting role is staff for disclosures (sees drafts and states), not a villager reading what is published. */
export const STAFF_PERMISSIONS = ['disclosure.write', 'disclosure.review', 'openness.oversight.read'] as const;
