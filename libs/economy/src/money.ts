/**
 * Money is integer fen, carried in JSON as a decimal string ("1234500") so no amount ever passes
 * through a float. Spreadsheets show yuan with two decimals; these convert exactly, by string.
 */
export const FEN_PATTERN = /^-?\d{1,17}$/;

export function fenToYuan(fen: string | bigint): string {
  const v = BigInt(fen);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const s = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** "1,234.5" → 123450n; a number from a spreadsheet cell is read through its shortest decimal form. Null when not an amount. */
export function yuanToFen(input: string | number): bigint | null {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    s = String(input);
    if (/e/i.test(s)) return null;
  } else s = input.trim().replace(/[,，\s]/g, '');
  const m = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -fen : fen;
}

/** Basis points (1 bp = 0.01 %) ↔ a percentage with up to two decimals. */
export function bpToPercent(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

export function percentToBp(input: string | number): number | null {
  const s = typeof input === 'number' ? String(input) : input.trim().replace(/[%％\s]/g, '');
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
}
