import { describe, expect, it } from '@jest/globals';
import { fenToInput, periodStarts, toFen, yuanText } from './openness';

describe('元 ↔ fen in the disclosure editor', () => {
  it('reads what a person types as integer fen, exactly', () => {
    expect(toFen('1234.5')).toBe('123450');
    expect(toFen('1,234.56')).toBe('123456');
    expect(toFen('0.07')).toBe('7');
    expect(toFen('19999999.99')).toBe('1999999999');
    expect(toFen('-20', true)).toBe('-2000');
    expect(toFen('-0', true)).toBe('0');
  });
  it('refuses what is not an amount, and a negative one where it may not be', () => {
    for (const bad of ['', '1.234', 'abc', '1e3', '12.', '-5']) expect(toFen(bad)).toBeNull();
  });
  it('shows fen as 元 and back', () => {
    expect(yuanText('-1234567')).toBe('-12,345.67');
    expect(yuanText('5')).toBe('0.05');
    expect(fenToInput('1380000')).toBe('13800.00');
    expect(toFen(fenToInput('98765432101'))).toBe('98765432101');
  });
});

describe('the period picker', () => {
  it('offers only valid starts', () => {
    expect(periodStarts('quarter', 2026).map((p) => p.value)).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
    expect(periodStarts('month', 2026)[9]).toEqual({ value: '2026-10-01', text: '2026年10月' });
    expect(periodStarts('year', 2025)).toEqual([{ value: '2025-01-01', text: '2025年度' }]);
    expect(periodStarts('once', 2026)).toEqual([]);
  });
});
