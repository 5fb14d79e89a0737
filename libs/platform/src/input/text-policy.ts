/**
 * What text may enter the system: one set of rules for every string a request carries (body, query,
 * path), applied by the validation pipe (see http/validation.ts) so that no DTO can forget them.
 *
 * - `opaque`    (passwords, base64, tokens): only the hard rules below;
 * - `line`      (the default: names, titles, codes, search words): no line breaks or tabs, and at
 *               least one visible character;
 * - `multiline` (bodies, reasons, records): \n, \r and \t allowed, at least one visible character.
 *
 * Hard rules, for every string and key: no C0/C1 control character (except \t \n \r), no DEL, no
 * bidirectional embedding/override/isolate (U+202A–202E, U+2066–2069: they make text read
 * differently from what is stored), no noncharacter U+FFFE/U+FFFF, and no unpaired surrogate
 * (PostgreSQL refuses NUL; an unpaired surrogate cannot be written as UTF-8 and later breaks JSON
 * columns and the audit chain's hashes).
 */
export type TextKind = 'line' | 'multiline' | 'opaque';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const NONCHARACTER = /[\uFFFE\uFFFF]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Any character a hard rule may be about: one test on the common path (every string of every request). */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF\uFFFE\uFFFF]/;
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;
/** A character that shows something: not whitespace, not a zero-width/format/filler character. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/u;

export const TEXT_PROBLEMS = {
  control: '不能包含控制字符',
  bidi: '不能包含改变文字方向的控制字符',
  malformed: '含有无效的字符编码',
  noncharacter: '含有无效字符',
  lineBreak: '不能包含换行或制表符',
  invisible: '不能只包含空白或不可见字符',
} as const;

/** The hard rules, for any string (and object key): a Chinese problem, or null when acceptable. */
export function hardTextProblem(s: string): string | null {
  if (!SUSPECT.test(s)) return null;
  if (CONTROL.test(s)) return TEXT_PROBLEMS.control;
  if (BIDI_CONTROL.test(s)) return TEXT_PROBLEMS.bidi;
  if (NONCHARACTER.test(s)) return TEXT_PROBLEMS.noncharacter;
  if (UNPAIRED_SURROGATE.test(s)) return TEXT_PROBLEMS.malformed;
  return null; // surrogates, all paired
}

/**
 * The rules of one kind of field on top of the hard rules, for a string the hard rules already
 * passed (the validation pipe checks every raw string first). Empty is left to the DTO's length rule.
 */
export function kindTextProblem(s: string, kind: TextKind): string | null {
  if (kind === 'opaque' || s === '') return null;
  if (kind === 'line' && LINE_BREAK_OR_TAB.test(s)) return TEXT_PROBLEMS.lineBreak;
  if (!VISIBLE.test(s)) return TEXT_PROBLEMS.invisible;
  return null;
}

/** Every rule for a field of this kind: a Chinese problem, or null when acceptable. */
export function textProblem(s: string, kind: TextKind): string | null {
  return hardTextProblem(s) ?? kindTextProblem(s, kind);
}
