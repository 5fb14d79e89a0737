import { ApiError } from '../../api/client';

/** Domain codes that concern one form field: the message goes under that field. */
const FIELD_BY_CODE: [RegExp, string][] = [
  [/^CREDIT_CODE_/, 'creditCode'],
  [/^ORG_NAME_INVALID$/, 'name'],
  [/^(ORG|COMPANY)_DIVISION_INVALID$|^DIVISION_UNKNOWN$|^ORG_VILLAGE_DUPLICATE$/, 'divisionCode'],
  [/^PAID_IN_OVER_REGISTERED$/, 'paidInCapitalFen'],
  [/^TOTAL_BELOW_OPERATING$/, 'totalIncomeFen'],
  [/^PERSON_NOT_IN_REGISTER$|^MEMBER_DUPLICATE$/, 'idNumber'],
  [/^MEMBER_SHARES_OVER_TOTAL$/, 'shares'],
];

export function fieldErrorsOf(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out = e.fieldErrors;
  for (const [re, field] of FIELD_BY_CODE) if (re.test(e.code)) out[field] = e.message;
  return out;
}

/** 元 typed by a person → fen string, or null. Negative allowed where `signed`. */
export function yuanInput(v: string, signed = false): string | null {
  const m = (signed ? /^\s*(-?)(\d+)(?:\.(\d{1,2}))?\s*$/ : /^\s*()(\d+)(?:\.(\d{1,2}))?\s*$/).exec(v);
  if (!m) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return `${m[1] === '-' && fen !== 0n ? '-' : ''}${fen}`;
}

/** fen string → 元 text for an input box. */
export function fenToYuan(fen: string | null | undefined): string {
  if (!fen) return '';
  const neg = fen.startsWith('-');
  const d = (neg ? fen.slice(1) : fen).padStart(3, '0');
  return `${neg ? '-' : ''}${d.slice(0, -2)}.${d.slice(-2)}`;
}
