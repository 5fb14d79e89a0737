import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type MatchEstimated, ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { projectRoot } from '#platform';
import { nameVariants } from './name-pinyin.js';

/**
 * How guessable a password is: zxcvbn-ts (pattern matching against dictionaries, keyboard walks,
 * dates, repeats and sequences, with a guess count per pattern) fed with what people here really
 * use: a list of common Chinese passwords, pinyin words and names, the product's own names and
 * demo password, and the person's phone, ID number, birth date and name. See
 * docs/decisions/008-password-strength.md for the threshold.
 */

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 64;
/**
 * At least 10^8 guesses: where zxcvbn's score 3 begins ("safely unguessable" against an offline
 * attack on a slow hash; ours is argon2id, and online guessing is locked out after 5 failures).
 */
export const MIN_GUESSES_LOG10 = 8;
/** What one symbol or space between the words of a password is worth to a guesser. */
const SYMBOL_GUESSES = 20;
export const PASSWORD_HINT = '建议使用三个以上不相关的词语或更长的句子，可夹杂数字和符号';

/** The published demo password (README, startup banner): never acceptable as a real one. */
const DEMO_PASSWORD_WORD = 'sangong@2026';
/** The product's and the place's names: the first words anyone guessing here will try. */
export const PRODUCT_WORDS = [
  DEMO_PASSWORD_WORD,
  'sangong',
  '三共',
  'changzhi',
  '长治',
  'zhangzi',
  '长子',
  'shanxi',
  '山西',
  'cunwu',
  '村务',
  'gongyi',
  '共议',
  'gongzhi',
  '共治',
  'gongguan',
  '共管',
  'cunmin',
  '村民',
  'tiaojie',
  '调解',
] as const;

const DATA_DIR = 'libs/identity/src/data';
export const COMMON_CHINESE_PASSWORDS_FILE = `${DATA_DIR}/common-passwords-zh.txt`;
export const PINYIN_WORDS_FILE = `${DATA_DIR}/pinyin-words.txt`;

/** One word a line, lower-cased, first occurrence kept (the rank is the line number). */
export function readWordList(relativePath: string): string[] {
  const lines = readFileSync(path.join(projectRoot(), relativePath), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(lines)];
}

let factory: ZxcvbnFactory | null = null;

/** Built once per process: the ranked dictionaries (~60,000 words) take ~150 ms to prepare. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: {
      ...commonDictionary,
      'passwords-zh': readWordList(COMMON_CHINESE_PASSWORDS_FILE),
      pinyin: readWordList(PINYIN_WORDS_FILE),
      product: [...PRODUCT_WORDS],
    },
    graphs: adjacencyGraphs,
    // Levenshtein matching costs ~0.5 s a check on this hardware; l33t, case and reversal still apply.
    useLevenshteinDistance: false,
    maxLength: MAX_PASSWORD_LENGTH,
  });
  return factory;
}

/** Loads the dictionaries now rather than on the first activation. */
export function warmUpPasswordStrength(): void {
  estimator();
}

/** What the service knows about the person setting the password. */
export interface PersonFacts {
  phone?: string | null;
  idNumber?: string | null;
  /** YYYY-MM-DD */
  birthDate?: string | null;
  realName?: string | null;
}

type Personal = 'phone' | 'idNumber' | 'birthDate' | 'name';

const PERSONAL_REASON: Record<Personal, string> = {
  phone: '包含手机号',
  idNumber: '包含身份证号码',
  birthDate: '包含出生日期',
  name: '包含姓名或姓名拼音',
};

function dateVariants(birthDate: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) return [];
  const [, y, mo, d] = m;
  const yy = y.slice(2);
  const mu = String(Number(mo));
  const du = String(Number(d));
  return [`${y}${mo}${d}`, `${yy}${mo}${d}`, `${mo}${d}`, `${d}${mo}${y}`, `${mo}${d}${y}`, `${y}${mu}${du}`, `${mu}${du}`, `${y}${mo}`, y];
}

/** The person's own strings, most specific first (zxcvbn ranks user inputs by position). */
export function personalWords(facts: PersonFacts): Map<string, Personal> {
  const out = new Map<string, Personal>();
  const add = (kind: Personal, words: string[]) => {
    for (const w of words) {
      const word = w.toLowerCase();
      if (word.length >= 2 && !out.has(word)) out.set(word, kind);
    }
  };
  if (facts.phone) {
    const p = facts.phone;
    add('phone', [p, p.slice(-8), p.slice(-6), p.slice(-4), p.slice(3, 7), p.slice(0, 7)]);
  }
  if (facts.idNumber) {
    const id = facts.idNumber;
    add('idNumber', [id, id.slice(-6), id.slice(-8), id.slice(-4), id.slice(0, 6)]);
  }
  if (facts.birthDate) add('birthDate', dateVariants(facts.birthDate));
  if (facts.realName) add('name', nameVariants(facts.realName));
  return out;
}

/** Identifiers refused anywhere in a password, however strong the rest. */
function containedIdentifiers(password: string, facts: PersonFacts): Personal[] {
  const plain = password.toLowerCase();
  const compact = plain.replace(/[^0-9a-z]/g, '');
  const has = (s: string) => plain.includes(s) || compact.includes(s);
  const found: Personal[] = [];
  if (facts.phone && has(facts.phone)) found.push('phone');
  if (facts.idNumber && has(facts.idNumber.slice(-6).toLowerCase())) found.push('idNumber');
  const ymd = facts.birthDate ? dateVariants(facts.birthDate)[0] : undefined;
  if (ymd && has(ymd)) found.push('birthDate');
  return found;
}

function reasonOf(m: MatchEstimated, password: string, personal: Map<string, Personal>): string | null {
  switch (m.pattern) {
    case 'dictionary': {
      const name = String(m.dictionaryName);
      const word = String(m.matchedWord);
      if (name === 'userInputs') return PERSONAL_REASON[personal.get(word) ?? 'name'];
      if (name === 'product') return word === DEMO_PASSWORD_WORD ? '是公开的演示密码' : '包含本平台或本地的名称（如 sangong、长治）';
      if (name === 'pinyin') return '包含常见的拼音词语或姓氏（如 woaini、wang）';
      if (name.startsWith('passwords')) return m.token.length === password.length ? '是常见密码' : '包含常见密码';
      return '包含常见的英文单词';
    }
    case 'spatial':
      return '包含键盘上相邻的按键（如 qwerty、1qaz2wsx）';
    case 'sequence':
      return '包含连续的字母或数字（如 123456、abcd）';
    case 'repeat':
      return '包含重复的字符（如 888888、abcabc）';
    case 'date':
      return '包含日期（如生日）';
    case 'regex':
      return '包含年份';
    case 'wordSequence':
      return '包含有规律的词语（如星期、月份）';
    default:
      return null;
  }
}

export type PasswordVerdict =
  | { ok: true; guessesLog10: number }
  | { ok: false; problem: 'length' }
  | { ok: false; problem: 'weak'; guessesLog10: number; reasons: string[] };

interface Estimate {
  guessesLog10: number;
  sequence: MatchEstimated[];
}

/**
 * zxcvbn's estimate, and the same with every symbol and space taken out and each counted as
 * SYMBOL_GUESSES guesses, whichever is lower. zxcvbn counts each extra piece of a password as
 * 10,000 guesses, so "woaini-1314-520" or "Woaini@1314#520" would pass; a cracker's rules insert
 * a symbol between common words for far less.
 */
function estimate(password: string, inputs: string[]): Estimate {
  const direct = estimator().check(password, inputs);
  const bare = password.replace(/[^\p{L}\p{N}]/gu, '');
  const symbols = [...password].length - [...bare].length;
  if (symbols === 0 || bare.length === 0) return { guessesLog10: direct.guessesLog10, sequence: direct.sequence as MatchEstimated[] };
  const stripped = estimator().check(bare, inputs);
  const adjusted = stripped.guessesLog10 + symbols * Math.log10(SYMBOL_GUESSES);
  return adjusted < direct.guessesLog10
    ? { guessesLog10: adjusted, sequence: stripped.sequence as MatchEstimated[] }
    : { guessesLog10: direct.guessesLog10, sequence: direct.sequence as MatchEstimated[] };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The password with the person's own strings cut out, and which kinds were there. */
function withoutPersonal(password: string, personal: Map<string, Personal>): { rest: string; kinds: Personal[] } {
  let rest = password;
  const kinds = new Set<Personal>();
  for (const word of [...personal.keys()].sort((a, b) => b.length - a.length)) {
    const re = new RegExp(escapeRegExp(word), 'gi');
    if (re.test(rest)) {
      kinds.add(personal.get(word)!);
      rest = rest.replace(re, '');
    }
  }
  return { rest, kinds: [...kinds] };
}

/**
 * Judges a password; `facts` are the person's own data. A password passes when it would take at
 * least 10^MIN_GUESSES_LOG10 guesses, also once the person's own data is taken out of it (an
 * attacker who targets someone knows their name, phone and birthday), and when it does not
 * contain their full phone number, birth date or the end of their ID number at all.
 */
export function assessPassword(password: string, facts: PersonFacts = {}): PasswordVerdict {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) return { ok: false, problem: 'length' };
  const personal = personalWords(facts);
  const inputs = [...personal.keys()];
  const whole = estimate(password, inputs);
  const { rest, kinds } = withoutPersonal(password, personal);
  const remainder = kinds.length ? estimate(rest, inputs) : whole;
  const identifiers = containedIdentifiers(password, facts);
  const guessesLog10 = Math.min(whole.guessesLog10, remainder.guessesLog10);
  if (guessesLog10 >= MIN_GUESSES_LOG10 && identifiers.length === 0) return { ok: true, guessesLog10 };

  const reasons = identifiers.map((k) => PERSONAL_REASON[k]);
  if (remainder.guessesLog10 < MIN_GUESSES_LOG10) reasons.push(...kinds.map((k) => PERSONAL_REASON[k]));
  for (const m of whole.sequence) {
    const r = reasonOf(m, password, personal);
    if (r) reasons.push(r);
  }
  if (reasons.length === 0) reasons.push('太短或变化太少');
  return { ok: false, problem: 'weak', guessesLog10, reasons: [...new Set(reasons)].slice(0, 3) };
}
