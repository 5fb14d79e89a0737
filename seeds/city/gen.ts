import { residentIdCheckChar } from '#platform';

/**
 * Small deterministic building blocks of the city generator: a seeded PRNG, identifiers that sort in
 * the order they are made (so the loaded B-trees are appended to, not split at random), names, ID
 * numbers with their check character, receipt codes and COPY text.
 */

/** xorshift32: fast, seeded, good enough for plausible data (not for anything secret). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const HEX = '0123456789abcdef';
function hex(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = HEX[n % 16] + s;
    n = Math.floor(n / 16);
  }
  return s;
}

/**
 * A UUID (version-4 layout, so every validator accepts it) whose first 12 hex digits are
 * (run, table tag, counter): ids of one table made in order sort in that order. `run` keeps two
 * generator runs apart in one database.
 */
export function cityUuid(run: number, tag: number, n: number): string {
  const c = hex(n, 8);
  return `${hex(run, 2)}${hex(tag, 2)}${c.slice(0, 4)}-${c.slice(4)}-4${hex(n % 4096, 3)}-8${hex(tag * 16 + run, 3)}-${hex(n, 12)}`;
}

export const TAG = {
  person: 1,
  account: 2,
  proposal: 3,
  vote: 4,
  org: 5,
  company: 6,
  member: 7,
  mediation: 8,
  disclosure: 9,
  grant: 10,
  holder: 11,
  notice: 12,
  notification: 13,
  event: 14,
  party: 15,
  assignment: 16,
  caseEvent: 17,
  financeEntry: 18,
} as const;

// Common surnames of Shanxi, the most frequent first (a rough frequency by repetition).
const SURNAMES = (
  '王王王王李李李张张张刘刘陈陈杨杨赵赵郭郭申申牛牛秦秦常常暴程程贾贾马马郝郝段段宋宋韩韩冯冯董董孙孙胡朱高林何罗梁谢唐许' +
  '邓曹彭曾吕苏卢蒋蔡魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚崔康毛邱江史侯邵孟万雷钱尹黎武乔贺龚靳连栗琚裴焦'
).split('');
const GIVEN_M = '建国志强国华海军文斌永生小龙德明卫东晓东新民振华宝山立新长青俊杰浩然子豪宇轩明辉红军保平二虎拴柱双喜鹏飞'.match(/../g)!;
const GIVEN_F = '秀英桂兰玉梅丽娟春花淑珍红霞翠萍美玲素芳金凤彩云秋菊冬梅月娥欣怡梓涵雨婷佳琪慧敏艳芳引弟改英巧云晓燕'.match(/../g)!;
const SINGLE_M = '刚强伟勇军杰涛斌磊鑫'.split('');
const SINGLE_F = '芳娟敏静丽艳霞燕红萍'.split('');

export function personName(rng: Rng, male: boolean): string {
  const s = rng.pick(SURNAMES);
  if (rng.chance(0.2)) return s + rng.pick(male ? SINGLE_M : SINGLE_F);
  return s + rng.pick(male ? GIVEN_M : GIVEN_F);
}

/** A GB 11643 number: county address code, birth date (YYYYMMDD), sequence (odd for men), check char. */
export function idNumber(county: string, birth: string, seq: number, male: boolean): string {
  const s = seq * 2 + (male ? 1 : 0);
  const body = `${county}${birth}${String(s).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

const RECEIPT_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export function receiptCode(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += RECEIPT_CHARS[Math.floor(rng.next() * 36)];
  return s;
}

/** YYYY-MM-DD of a UTC date. */
export const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** ISO timestamp (UTC) with microseconds, as PostgreSQL renders it in the audit chain. */
export const isoMicro = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/** COPY text-format field: NULL, text with \, tab, newline and CR escaped, bytea as \\x hex. */
export function field(v: string | number | boolean | Buffer | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

export const line = (values: readonly (string | number | boolean | Buffer | null | undefined)[]): string =>
  values.map(field).join('\t') + '\n';

/**
 * A flat object as jsonb prints it (keys by length, then bytes; ", " and ": "): the audit chain hashes
 * details::text, so the generator must produce exactly that text.
 */
export function jsonbText(o: Record<string, string | number | null>): string {
  const keys = Object.keys(o).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(o[k])}`).join(', ')}}`;
}
