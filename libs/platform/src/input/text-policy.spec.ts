import fc from 'fast-check';
import { hardTextProblem, TEXT_PROBLEMS, textProblem } from './text-policy.js';

describe('text policy', () => {
  it.each([
    ['NUL', 'a\u0000b', TEXT_PROBLEMS.control],
    ['escape', 'a\u001bb', TEXT_PROBLEMS.control],
    ['DEL', 'a\u007fb', TEXT_PROBLEMS.control],
    ['C1 (NEL)', 'a\u0085b', TEXT_PROBLEMS.control],
    ['right-to-left override', 'a\u202eb', TEXT_PROBLEMS.bidi],
    ['left-to-right embedding', '\u202aab', TEXT_PROBLEMS.bidi],
    ['first strong isolate', 'a\u2068b', TEXT_PROBLEMS.bidi],
    ['pop directional isolate', 'ab\u2069', TEXT_PROBLEMS.bidi],
    ['lone high surrogate', 'a\ud800b', TEXT_PROBLEMS.malformed],
    ['lone low surrogate', 'a\udc00', TEXT_PROBLEMS.malformed],
    ['reversed pair', '\udc00\ud800', TEXT_PROBLEMS.malformed],
    ['noncharacter', 'a\uffff', TEXT_PROBLEMS.noncharacter],
  ])('refuses %s in every kind of field', (_, s, problem) => {
    expect(hardTextProblem(s)).toBe(problem);
    for (const kind of ['line', 'multiline', 'opaque'] as const) expect(textProblem(s, kind)).toBe(problem);
  });

  it.each(['王建国', 'Zhang San', '长治市 · 鲍店镇', '😀 村民', 'a\u200db', 'مرحبا', '\u200e王\u200f', '\ufeff王'])(
    'accepts ordinary text: %j',
    (s) => {
      expect(textProblem(s, 'line')).toBeNull();
      expect(textProblem(s, 'multiline')).toBeNull();
    },
  );

  it('allows line breaks and tabs only in multi-line and opaque fields', () => {
    for (const s of ['第一行\n第二行', '甲\t乙', 'a\r\nb', 'a\u2028b']) {
      expect(textProblem(s, 'line')).toBe(TEXT_PROBLEMS.lineBreak);
      expect(textProblem(s, 'multiline')).toBeNull();
      expect(textProblem(s, 'opaque')).toBeNull();
    }
  });

  it('wants a visible character in text for people, not in opaque fields', () => {
    for (const s of ['\u200b\ufeff', '   ', '\u3000', '\n\t', '\u00ad', '\u3164', '\u2800', '\u2060\u200c\u200d', '\ufe0f']) {
      expect(textProblem(s, 'multiline')).toBe(TEXT_PROBLEMS.invisible);
      expect(textProblem(s, 'opaque')).toBeNull();
    }
    expect(textProblem('', 'line')).toBeNull(); // emptiness is the length rule's to judge
  });

  it('never refuses well-formed printable text, and refuses any string with a control character', () => {
    const printable = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u.test(s));
    fc.assert(fc.property(printable, (s) => textProblem(s, 'line') === null));
    const control = fc.integer({ min: 0, max: 0x1f }).filter((c) => ![9, 10, 13].includes(c));
    fc.assert(fc.property(fc.string(), control, fc.string(), (a, c, b) => hardTextProblem(a + String.fromCharCode(c) + b) !== null));
  });
});
