import fc from 'fast-check';
import { casePlace, formatCaseNumber, placeAbbreviation } from './case-number.js';

describe('placeAbbreviation', () => {
  it.each([
    ['长子县', '长子'],
    ['鲍店镇', '鲍店'],
    ['碾张乡', '碾张'],
    ['潞州区', '潞州'],
    ['沁县', '沁县'],
    ['东街街道', '东街'],
    ['同富村村委会', '同富'],
    ['丹康社区居委会', '丹康'],
    ['西小河南庄村村委会', '西小河南庄'],
    ['长子经济技术开发区', '长子经开'],
  ])('%s → %s', (name, abbr) => expect(placeAbbreviation(name)).toBe(abbr));

  it('never returns an empty or one-character abbreviation for a name of two or more characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('长', '子', '县', '镇', '乡', '村', '区', '委', '会', '社'), minLength: 2, maxLength: 8 }),
        (name) => {
          expect(placeAbbreviation(name).length).toBeGreaterThanOrEqual(2);
        },
      ),
    );
  });
});

describe('case numbers', () => {
  it('builds the place from the committee line', () => {
    expect(casePlace({ county: '长子县' })).toBe('长子');
    expect(casePlace({ county: '长子县', township: '鲍店镇' })).toBe('长子鲍店');
    expect(casePlace({ county: '长子县', township: '鲍店镇', village: '鲍店东街村村委会' })).toBe('长子鲍店东街');
    expect(casePlace({ county: '长子县', township: '石哲镇', village: '石哲西村村委会' })).toBe('长子石哲西');
    expect(casePlace({ county: '长子县', township: '丹朱镇', village: '同富村村委会' })).toBe('长子丹朱同富');
    expect(casePlace({ county: '长子县', township: '长子经济技术开发区' })).toBe('长子经开');
  });

  it('formats the customary number with a three-digit sequence', () => {
    expect(formatCaseNumber(2026, '长子鲍店', 1)).toBe('（2026）长子鲍店调字第001号');
    expect(formatCaseNumber(2026, '长子鲍店', 42)).toBe('（2026）长子鲍店调字第042号');
    expect(formatCaseNumber(2026, '长子', 1234)).toBe('（2026）长子调字第1234号');
    expect(() => formatCaseNumber(2026, '长子', 0)).toThrow(RangeError);
  });

  it('distinct sequences give distinct numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: 99_999 }), (a, b) => {
        expect(formatCaseNumber(2026, '长子', a) === formatCaseNumber(2026, '长子', b)).toBe(a === b);
      }),
    );
  });
});
