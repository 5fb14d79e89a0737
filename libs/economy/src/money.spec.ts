import fc from 'fast-check';
import { bpToPercent, fenToYuan, percentToBp, yuanToFen } from './money.js';

describe('money and shares', () => {
  it('converts yuan text to fen exactly', () => {
    expect(yuanToFen('1,234.5')).toBe(123450n);
    expect(yuanToFen('100000')).toBe(10000000n);
    expect(yuanToFen('0.01')).toBe(1n);
    expect(yuanToFen('-3.2')).toBe(-320n);
    expect(yuanToFen(99999.99)).toBe(9999999n);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
    expect(yuanToFen(1e21)).toBeNull();
  });

  it('round-trips fen → yuan → fen, through text and through a spreadsheet number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
        expect(yuanToFen(Number(fenToYuan(fen)))).toBe(fen);
      }),
    );
  });

  it('round-trips basis points through percentages and refuses more than two decimals', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10000 }), (bp) => expect(percentToBp(bpToPercent(bp))).toBe(bp)));
    fc.assert(fc.property(fc.integer({ min: 0, max: 10000 }), (bp) => expect(percentToBp(Number(bpToPercent(bp)))).toBe(bp)));
    expect(percentToBp('35.5%')).toBe(3550);
    expect(percentToBp('1.005')).toBeNull();
  });
});
