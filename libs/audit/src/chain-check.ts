import { hash } from 'node:crypto';
import type { AuditAnchor } from './anchors.js';
import { GENESIS_HASH } from './audit-chain.js';
import type { VerifyResult } from './views.js';

export type ChainBreak = NonNullable<VerifyResult['firstBroken']>;

/**
 * The sealed rows' columns as the verifier reads them: raw, in binary COPY (BinaryCopyRows), so the
 * database renders nothing and Node.js makes no object or string per row (decision 003, session 16).
 * `occurred_at` comes as microseconds and is rendered here as audit_canonical's to_char renders it;
 * outside 1800–2200 (a range Node.js renders exactly) the database's own to_char text comes beside it.
 */
export const CHAIN_COPY_COLUMNS = `seq, id, occurred_at,
  CASE WHEN occurred_at >= '1800-01-01 00:00:00+00' AND occurred_at < '2200-01-01 00:00:00+00' THEN NULL
       ELSE to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END,
  account_id, actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip,
  details, prev_hash, hash`;
export const CHAIN_COPY_FIELDS = 17;

const SEQ = 0;
const ID = 1;
const AT = 2;
const AT_TEXT = 3;
const ACCOUNT = 4;
/** actor_roles … client_ip: text columns, in the canonical order. */
const TEXTS_FROM = 5;
const TEXTS_TO = 13;
const DETAILS = 14;
const PREV = 15;
const HASH = 16;

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_SECONDS = 946_684_800;
const TWO_32 = 4_294_967_296;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** 1 for the bytes JSON.stringify leaves as they are: all but control characters, `"` and `\`. */
const PLAIN = new Uint8Array(256).map((_, c) => (c >= 0x20 && c !== 0x22 && c !== 0x5c ? 1 : 0));

/**
 * Recomputes the chain row by row as BinaryCopyRows hands the rows over: the canonical JSON of
 * chainHash (audit-chain.ts) written byte by byte from the columns' bytes, hashed with the previous
 * row's hash. Reports the first row that does not fit, with the reasons and in the order verify always
 * has: a missing number, a predecessor's hash not the one recorded, a hash not the one recomputed, a
 * hash not the one an anchor published; and, at the end, an anchor beyond the chain.
 */
export class ChainCheck {
  checked = 0;
  anchorsMatched = 0;
  broken: ChainBreak | null = null;
  private expected = 1;
  /** The previous row's hash, a char a byte. */
  private prev = GENESIS_HASH.toString('latin1');
  private out = Buffer.allocUnsafe(4096);
  private views: Buffer[] = [];
  /** Anchors by seq (those a number can hold; larger ones lie beyond any chain). */
  private readonly published = new Map<number, string[]>();
  private readonly beyondSafe: bigint[] = [];
  private second = NaN;
  private readonly secondText = Buffer.from('0000-00-00T00:00:00', 'latin1');

  constructor(anchors: readonly AuditAnchor[]) {
    for (const a of anchors) {
      const seq = BigInt(a.seq);
      if (seq > BigInt(Number.MAX_SAFE_INTEGER)) this.beyondSafe.push(seq);
      else this.published.set(Number(seq), [...(this.published.get(Number(seq)) ?? []), a.hash]);
    }
  }

  /** The seq the next row must carry: where the next page of the chain begins. */
  get nextSeq(): number {
    return this.expected;
  }

  /** Checks one row (BinaryCopyRows' handler); false once a row does not fit, `broken` then names it. */
  readonly row = (buf: Buffer, s: Int32Array, l: Int32Array): boolean => {
    if (l[SEQ] !== 8 || safeInt8(buf, s[SEQ]) !== this.expected) return this.fail(buf, s, 'sequence_gap');
    if (l[PREV] !== 32 || !this.samePrev(buf, s[PREV])) return this.fail(buf, s, 'prev_hash_mismatch');
    // As a 'binary' (latin1) string, a char a byte: a Buffer result costs twice the hash itself (its backing store).
    const digest = hash('sha256', this.prefix(this.canonical(buf, s, l)), 'binary');
    if (l[HASH] !== 32 || !same32(digest, buf, s[HASH])) return this.fail(buf, s, 'hash_mismatch');
    if (this.published.size) {
      const hashes = this.published.get(this.expected);
      if (hashes) {
        const hex = Buffer.from(digest, 'latin1').toString('hex');
        if (hashes.some((h) => h !== hex)) return this.fail(buf, s, 'anchor_mismatch');
        this.anchorsMatched += hashes.length;
        this.published.delete(this.expected);
      }
    }
    this.prev = digest;
    this.expected += 1;
    this.checked += 1;
    return true;
  };

  /** The first `n` bytes of `out`: a view per length, kept (a new view per row would feed the collector). */
  private prefix(n: number): Buffer {
    let v = this.views[n];
    if (!v) v = this.views[n] = this.out.subarray(0, n);
    return v;
  }

  /** After the last row: the first anchor the chain did not reach, if any. */
  finish(): ChainBreak | null {
    if (this.broken) return this.broken;
    const left = [...[...this.published.keys()].map(BigInt), ...this.beyondSafe];
    if (!left.length) return null;
    const first = left.reduce((a, b) => (b < a ? b : a));
    return (this.broken = { seq: first.toString(), id: null, reason: 'anchor_missing' });
  }

  private fail(buf: Buffer, s: Int32Array, reason: ChainBreak['reason']): false {
    this.broken = { seq: buf.readBigInt64BE(s[SEQ]).toString(), id: buf.readBigInt64BE(s[ID]).toString(), reason };
    return false;
  }

  /**
   * prev ‖ JSON.stringify([seq, id, occurred_at, account_id, actor_roles, actor_division, action,
   * target_type, target_id, target_division, result, request_id, client_ip, details]) as UTF-8, every
   * value a string or null, into `out`; returns its length.
   */
  private canonical(buf: Buffer, s: Int32Array, l: Int32Array): number {
    // The row's bytes, each at most 6 once escaped (\u00xx), and the fixed parts.
    const room = 256 + 6 * (s[HASH] + Math.max(l[HASH], 0) - s[SEQ]);
    if (this.out.length < room) {
      this.out = Buffer.allocUnsafe(2 * room);
      this.views = [];
      this.samePrev(buf, s[PREV]); // the predecessor's hash into the new buffer
    }
    const out = this.out;
    let p = 32; // 0–31: the predecessor's hash, put there by samePrev
    out[p++] = 0x5b; // [
    p = this.int8Text(buf, s[SEQ], p);
    out[p++] = 0x2c;
    p = this.int8Text(buf, s[ID], p);
    out[p++] = 0x2c;
    p = this.occurredAt(buf, s, l, p);
    out[p++] = 0x2c;
    p = l[ACCOUNT] === 16 ? this.uuid(buf, s[ACCOUNT], p) : l[ACCOUNT] < 0 ? this.null(p) : this.badWidth('account_id');
    for (let f = TEXTS_FROM; f <= TEXTS_TO; f++) {
      out[p++] = 0x2c;
      p = l[f] < 0 ? this.null(p) : this.string(buf, s[f], l[f], p);
    }
    out[p++] = 0x2c;
    if (l[DETAILS] < 0) p = this.null(p);
    else {
      // jsonb's binary form: a version byte (1), then its text.
      if (buf[s[DETAILS]] !== 1) throw new Error(`jsonb binary version ${buf[s[DETAILS]]} is not known`);
      p = this.string(buf, s[DETAILS] + 1, l[DETAILS] - 1, p);
    }
    out[p++] = 0x5d; // ]
    return p;
  }

  private badWidth(column: string): never {
    throw new Error(`${column}: unexpected binary width`);
  }

  private null(p: number): number {
    const out = this.out;
    out[p] = 0x6e;
    out[p + 1] = 0x75;
    out[p + 2] = 0x6c;
    out[p + 3] = 0x6c;
    return p + 4;
  }

  /**
   * Whether the row's prev_hash (at `at`) is the previous row's hash; copies it meanwhile to the head of
   * `out`, where the hash input begins.
   */
  private samePrev(buf: Buffer, at: number): boolean {
    const prev = this.prev;
    const out = this.out;
    for (let i = 0; i < 32; i++) {
      const b = buf[at + i];
      if (b !== prev.charCodeAt(i)) return false;
      out[i] = b;
    }
    return true;
  }

  /** A JSON string as JSON.stringify writes it: `"`, `\` and control characters escaped, all else as is (UTF-8 stays UTF-8). */
  private string(buf: Buffer, start: number, len: number, p: number): number {
    const out = this.out;
    out[p++] = 0x22;
    for (let i = start, end = start + len; i < end; i++) {
      const c = buf[i];
      if (PLAIN[c] === 1) {
        out[p++] = c;
        continue;
      }
      if (c >= 0x20) {
        out[p++] = 0x5c; // " or \
        out[p++] = c;
        continue;
      }
      out[p++] = 0x5c;
      if (c === 0x08)
        out[p++] = 0x62; // \b
      else if (c === 0x09)
        out[p++] = 0x74; // \t
      else if (c === 0x0a)
        out[p++] = 0x6e; // \n
      else if (c === 0x0c)
        out[p++] = 0x66; // \f
      else if (c === 0x0d)
        out[p++] = 0x72; // \r
      else {
        out[p++] = 0x75; // \u00xx, lower-case hex
        out[p++] = 0x30;
        out[p++] = 0x30;
        out[p++] = HEX[c >> 4];
        out[p++] = HEX[c & 15];
      }
    }
    out[p++] = 0x22;
    return p;
  }

  /** An int8 as a quoted decimal string (int8out). */
  private int8Text(buf: Buffer, at: number, p: number): number {
    const out = this.out;
    out[p++] = 0x22;
    const v = safeInt8(buf, at);
    if (Number.isNaN(v)) p += out.write(buf.readBigInt64BE(at).toString(), p, 'latin1');
    else p = this.decimal(v, p, 1);
    out[p++] = 0x22;
    return p;
  }

  /** A non-negative integer of at least `width` digits (zero-padded), or a negative one with its sign. */
  private decimal(v: number, p: number, width: number): number {
    const out = this.out;
    if (v < 0) {
      out[p++] = 0x2d;
      v = -v;
    }
    let digits = 1;
    for (let pow = 10; v >= pow; pow *= 10) digits++; // powers of ten are exact doubles
    if (digits < width) digits = width;
    if (v < 0x80000000) {
      // int32 arithmetic, much cheaper than a double's floor and remainder
      for (let i = digits - 1, x = v | 0; i >= 0; i--) {
        const q = (x / 10) | 0;
        out[p + i] = 0x30 + x - q * 10;
        x = q;
      }
      return p + digits;
    }
    for (let i = digits - 1; i >= 0; i--) {
      out[p + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    return p + digits;
  }

  /** A uuid as uuid_out writes it: lower-case hex, 8-4-4-4-12. */
  private uuid(buf: Buffer, at: number, p: number): number {
    const out = this.out;
    out[p++] = 0x22;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out[p++] = 0x2d;
      const b = buf[at + i];
      out[p++] = HEX[b >> 4];
      out[p++] = HEX[b & 15];
    }
    out[p++] = 0x22;
    return p;
  }

  /** occurred_at as to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), or null where that is null. */
  private occurredAt(buf: Buffer, s: Int32Array, l: Int32Array, p: number): number {
    if (l[AT_TEXT] >= 0) return this.string(buf, s[AT_TEXT], l[AT_TEXT], p);
    if (l[AT] < 0) return this.null(p);
    const micros = safeInt8(buf, s[AT]);
    if (Number.isNaN(micros)) {
      // Only ±infinity is outside a number's range and inside no year the database rendered: to_char gives null.
      if (isInfinity(buf, s[AT])) return this.null(p);
      throw new Error(`occurred_at ${buf.readBigInt64BE(s[AT])} µs: neither rendered by the database nor renderable here`);
    }
    const second = Math.floor(micros / 1e6);
    if (second !== this.second) {
      // Rows come in time order: the date and time of day change once a second at most.
      const d = new Date((second + PG_EPOCH_SECONDS) * 1000);
      const t = this.secondText; // YYYY-MM-DDTHH:MM:SS
      padded(t, 0, d.getUTCFullYear(), 4);
      padded(t, 5, d.getUTCMonth() + 1, 2);
      padded(t, 8, d.getUTCDate(), 2);
      padded(t, 11, d.getUTCHours(), 2);
      padded(t, 14, d.getUTCMinutes(), 2);
      padded(t, 17, d.getUTCSeconds(), 2);
      this.second = second;
    }
    const out = this.out;
    out[p++] = 0x22;
    p += this.secondText.copy(out, p);
    out[p++] = 0x2e; // .
    p = this.decimal(micros - second * 1e6, p, 6);
    out[p++] = 0x5a; // Z
    out[p++] = 0x22;
    return p;
  }
}

/** A 32-byte hash held as a latin1 string against 32 bytes of `b` from `at`. */
function same32(a: string, b: Buffer, at: number): boolean {
  for (let i = 0; i < 32; i++) if (a.charCodeAt(i) !== b[at + i]) return false;
  return true;
}

/** `value` as `width` decimal digits, zero-padded, at `at` (value < 10^width). */
function padded(buf: Buffer, at: number, value: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}

/** A big-endian int8 as a number, or NaN when a number cannot hold it exactly. */
function safeInt8(buf: Buffer, at: number): number {
  const hi = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
  if (hi < -0x200000 || hi >= 0x200000) return NaN;
  const lo = ((buf[at + 4] << 24) | (buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) >>> 0;
  return hi * TWO_32 + lo;
}

/** PostgreSQL's ±infinity timestamps: the largest and smallest int8. */
function isInfinity(buf: Buffer, at: number): boolean {
  const v = buf.readBigInt64BE(at);
  return v === 0x7fffffffffffffffn || v === -0x8000000000000000n;
}
