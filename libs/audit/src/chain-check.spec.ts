import fc from 'fast-check';
import { chainHash, type ChainRow, GENESIS_HASH } from './audit-chain.js';
import { BinaryCopyError, BinaryCopyRows } from './binary-copy.js';
import { CHAIN_COPY_FIELDS, ChainCheck } from './chain-check.js';

/** A sealed row as the database holds it; occurred_at in µs since 2000-01-01 UTC, or ±infinity, or out of range with its text. */
interface StoredRow {
  seq: bigint;
  id: bigint;
  micros: bigint;
  /** to_char's text where the verifier's query sends it (outside 1800–2200), or null there for ±infinity. */
  atText?: string | null;
  account: string | null;
  texts: (string | null)[]; // actor_roles … client_ip
  details: string | null;
  prev: Buffer;
  hash: Buffer;
}

const PG_EPOCH_MS = 946_684_800_000n;
const INFINITY = 0x7fffffffffffffffn;

/** The test's own rendering of occurred_at (toISOString and the micro digits), as the sealer's to_char gives it. */
function rendered(r: StoredRow): string | null {
  if (r.atText !== undefined) return r.atText;
  const ms = r.micros / 1000n - (r.micros % 1000n < 0n ? 1n : 0n);
  const iso = new Date(Number(ms + PG_EPOCH_MS)).toISOString();
  const micro = ((r.micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${iso.slice(0, 19)}.${micro.toString().padStart(6, '0')}Z`;
}

function chainRowOf(r: StoredRow): ChainRow {
  const [actor_roles, actor_division, action, target_type, target_id, target_division, result, request_id, client_ip] = r.texts;
  return {
    seq: r.seq.toString(),
    id: r.id.toString(),
    occurred_at: rendered(r)!,
    account_id: r.account,
    actor_roles,
    actor_division,
    action: action!,
    target_type,
    target_id,
    target_division,
    result: result!,
    request_id,
    client_ip,
    details: r.details,
  };
}

/** What `COPY (SELECT CHAIN_COPY_COLUMNS …) TO STDOUT (FORMAT binary)` sends for these rows. */
function binaryCopy(rows: StoredRow[]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  const field = (b: Buffer | null) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b ? b.length : -1);
    parts.push(len);
    if (b) parts.push(b);
  };
  const int8 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return b;
  };
  const text = (s: string | null | undefined) => (s == null ? null : Buffer.from(s, 'utf8'));
  for (const r of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(CHAIN_COPY_FIELDS);
    parts.push(count);
    field(int8(r.seq));
    field(int8(r.id));
    field(int8(r.micros));
    field(text(r.atText));
    field(r.account ? Buffer.from(r.account.replace(/-/g, ''), 'hex') : null);
    for (const t of r.texts) field(text(t));
    field(r.details === null ? null : Buffer.concat([Buffer.from([1]), Buffer.from(r.details, 'utf8')]));
    field(r.prev);
    field(r.hash);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

/** Seals the rows with chainHash (the definition), seq 1, 2, … */
function sealed(rows: Omit<StoredRow, 'seq' | 'prev' | 'hash'>[]): StoredRow[] {
  let prev: Buffer = GENESIS_HASH;
  return rows.map((r, i) => {
    const row: StoredRow = { ...r, seq: BigInt(i + 1), prev, hash: Buffer.alloc(0) };
    row.hash = chainHash(prev, chainRowOf(row));
    prev = row.hash;
    return row;
  });
}

/** Feeds the COPY in pieces cut at `cuts` (fractions of its length). */
function check(copy: Buffer, cuts: number[] = [], anchors: { seq: string; hash: string }[] = []) {
  const c = new ChainCheck(anchors);
  const rows = new BinaryCopyRows(CHAIN_COPY_FIELDS);
  const at = [...new Set(cuts.map((f) => Math.floor(f * copy.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...at, copy.length]) {
    if (!rows.push(copy, c.row, from, to)) break;
    from = to;
  }
  return { ok: c.finish() === null, broken: c.broken, checked: c.checked, anchorsMatched: c.anchorsMatched, done: rows.done };
}

const uuid = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
/** 2026-11-29T08:00:00.123456Z */
const NOW = BigInt(Date.UTC(2026, 10, 29, 8) - Number(PG_EPOCH_MS)) * 1000n + 123_456n;

function plainRow(i: number, extra: Partial<StoredRow> = {}): Omit<StoredRow, 'seq' | 'prev' | 'hash'> {
  return {
    id: BigInt(100 + i),
    micros: NOW + BigInt(i) * 1_700_001n,
    account: i % 3 ? uuid : null,
    texts: [
      'resident',
      '140428101200',
      'ballot.cast',
      'proposal',
      `p-${i}`,
      '140428101200',
      'success',
      `req-${i}`,
      i % 2 ? null : '10.0.0.1',
    ],
    details: i % 4 ? `{"proposalId": "p-${i}", "ballotType": "secret"}` : null,
    ...extra,
  };
}

const text = fc.option(
  fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\b\f\n\r\t\u0000\u0001\u001f\u007f', '\u2028\u2029', '🗳️ 投票', '')),
  { nil: null },
);
const storedRow = fc.record({
  id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  // 1800-01-01 … 2199-12-31 in µs from 2000-01-01
  micros: fc.bigInt({ min: -6_311_347_200_000_000n, max: 6_311_433_599_999_999n }),
  account: fc.option(fc.uuid(), { nil: null }),
  texts: fc.tuple(text, text, fc.string({ unit: 'binary' }), text, text, text, fc.string({ unit: 'binary' }), text, text),
  details: text,
});

describe('ChainCheck: verify from binary COPY, byte for byte as chainHash defines the chain', () => {
  it('passes every chain chainHash seals, however the COPY is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(storedRow, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
        (rows, cuts) => {
          const chain = sealed(rows);
          expect(check(binaryCopy(chain), cuts)).toEqual({ ok: true, broken: null, checked: chain.length, anchorsMatched: 0, done: true });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the first row whose content changed (hash_mismatch), at any field', () => {
    fc.assert(
      fc.property(
        fc.array(storedRow, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.nat(13),
        fc.string({ unit: 'binary', minLength: 1 }),
        (rows, v, f, s) => {
          const chain = sealed(rows);
          const victim = chain[v % chain.length];
          const before = JSON.stringify(chainRowOf(victim));
          if (f === 0) victim.id += 1n;
          else if (f === 1) victim.micros += 1n;
          else if (f === 2) victim.account = victim.account === uuid ? null : uuid;
          else if (f === 12) victim.details = (victim.details ?? '') + s;
          else victim.texts[f - 3] = (victim.texts[f - 3] ?? '') + s;
          fc.pre(JSON.stringify(chainRowOf(victim)) !== before);
          expect(check(binaryCopy(chain)).broken).toEqual({
            seq: victim.seq.toString(),
            id: victim.id.toString(),
            reason: 'hash_mismatch',
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names a missing row (sequence_gap), a changed predecessor hash (prev_hash_mismatch), anchors that differ or lie beyond the end', () => {
    const chain = sealed(Array.from({ length: 6 }, (_, i) => plainRow(i)));
    expect(check(binaryCopy(chain))).toMatchObject({ ok: true, checked: 6 });

    expect(check(binaryCopy([...chain.slice(0, 2), ...chain.slice(3)])).broken).toEqual({ seq: '4', id: '103', reason: 'sequence_gap' });

    const relinked = chain.map((r) => ({ ...r }));
    relinked[4].prev = Buffer.alloc(32, 7);
    expect(check(binaryCopy(relinked)).broken).toEqual({ seq: '5', id: '104', reason: 'prev_hash_mismatch' });

    const good = { seq: '3', hash: chain[2].hash.toString('hex') };
    expect(check(binaryCopy(chain), [], [good, { ...good }])).toMatchObject({ ok: true, anchorsMatched: 2 });
    expect(check(binaryCopy(chain), [], [good, { seq: '5', hash: 'ab'.repeat(32) }]).broken).toEqual({
      seq: '5',
      id: '104',
      reason: 'anchor_mismatch',
    });
    expect(
      check(
        binaryCopy(chain),
        [],
        [
          { seq: '9', hash: good.hash },
          { seq: '8', hash: good.hash },
        ],
      ),
    ).toMatchObject({
      ok: false,
      checked: 6,
      broken: { seq: '8', id: null, reason: 'anchor_missing' },
    });
    expect(check(binaryCopy(chain), [], [{ seq: '99999999999999999', hash: good.hash }]).broken).toEqual({
      seq: '99999999999999999',
      id: null,
      reason: 'anchor_missing',
    });
  });

  it('renders occurred_at outside 1800–2200 from the text the query sends beside it, and ±infinity as null', () => {
    const odd = sealed([
      plainRow(0, { micros: -80_000_000_000_000_000n, atText: '0044-03-15T12:00:00.000000Z' }),
      plainRow(1, { micros: 327_000_000_000_000_000n, atText: '12345-03-15T12:00:00.500000Z' }),
      plainRow(2, { micros: INFINITY, atText: null }),
      plainRow(3, { micros: -INFINITY - 1n, atText: null }),
      plainRow(4, { micros: -1n }), // 1999-12-31T23:59:59.999999Z
      plainRow(5),
    ]);
    expect(chainRowOf(odd[2]).occurred_at).toBeNull();
    expect(chainRowOf(odd[4]).occurred_at).toBe('1999-12-31T23:59:59.999999Z');
    expect(check(binaryCopy(odd))).toMatchObject({ ok: true, checked: 6 });
  });

  it('stops at the first broken row and reads no further; refuses what is not a binary COPY of these columns', () => {
    const chain = sealed(Array.from({ length: 4 }, (_, i) => plainRow(i)));
    chain[1].texts[6] = 'denied';
    const c = new ChainCheck([]);
    let seen = 0;
    const rows = new BinaryCopyRows(CHAIN_COPY_FIELDS);
    expect(rows.push(binaryCopy(chain), (b, s, l) => (seen++, c.row(b, s, l)))).toBe(false);
    expect([seen, c.checked, c.broken?.seq]).toEqual([2, 1, '2']);

    expect(() => new BinaryCopyRows(CHAIN_COPY_FIELDS).push(Buffer.from('seq\tid\n'.repeat(4)), () => true)).toThrow(BinaryCopyError);
    expect(() => new BinaryCopyRows(CHAIN_COPY_FIELDS - 1).push(binaryCopy(chain), () => true)).toThrow(/17 fields, 16 expected/);
  });
});
