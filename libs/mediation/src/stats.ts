/** Rates for the statistics, as fractions rounded to four places; null when the denominator is zero. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** The first days of the period's months, as dates: [from, to). */
export function monthRange(year: number, month?: number): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (!month) return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
  return { from: `${year}-${pad(month)}-01`, to: month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01` };
}
