/**
 * Whether a year's amounts look typed wrong: far above what this organization reported before, or above
 * what any village collective or county platform company in 长治 plausibly has. The form asks the person to
 * confirm; it never refuses (a real windfall is possible).
 */
export interface YearFigures {
  year: number;
  locked?: boolean;
  dividends?: { orgId: string; amountFen: string }[];
  [field: string]: unknown;
}

/** Above this, ask whatever the history (元 × 100). */
const CEILING_FEN: Record<'org' | 'company', bigint> = {
  org: 50_000_000n * 100n, // 五千万元: far above any village collective's yearly figures here
  company: 2_000_000_000n * 100n, // 二十亿元
};
/** More than this many times the largest earlier figure (and over 一百万元) is asked about. */
const JUMP = 10n;
const JUMP_FLOOR_FEN = 1_000_000n * 100n;

export function outliers(
  kind: 'org' | 'company',
  fields: string[][],
  body: Record<string, unknown>,
  earlier: YearFigures[],
): { field: string; label: string; fen: string; why: string }[] {
  const out: { field: string; label: string; fen: string; why: string }[] = [];
  for (const [field, label] of fields) {
    const value = body[field];
    const fen = typeof value === 'string' || typeof value === 'number' ? String(value) : '0';
    const abs = BigInt(fen.replace('-', ''));
    const past = earlier
      .map((h) => h[field])
      .filter((v): v is string => typeof v === 'string' && /^-?\d+$/.test(v))
      .map((v) => BigInt(v.replace('-', '')));
    const max = past.reduce((a, b) => (b > a ? b : a), 0n);
    if (abs > CEILING_FEN[kind]) out.push({ field, label, fen, why: `超过${kind === 'org' ? '村集体经济组织' : '平台公司'}通常的规模` });
    else if (past.length && abs > JUMP_FLOOR_FEN && abs > max * JUMP)
      out.push({
        field,
        label,
        fen,
        why: `是往年最高值（${(Number(max) / 100).toLocaleString('zh-CN')} 元）的 ${max ? `${abs / max} 倍以上` : '许多倍'}`,
      });
  }
  return out;
}
