/**
 * Rows of PostgreSQL's binary COPY output (`COPY … TO STDOUT (FORMAT binary)`), read from the chunks
 * as they arrive without making an object or a string per row: each row is handed over as the buffer
 * it lies in and the start and length of each field (-1 for NULL), in arrays reused from row to row.
 * Format: an 11-byte signature, flags and a header extension; then per row a 16-bit field count and
 * per field a 32-bit length and its bytes; a field count of -1 ends the data.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = 19;

export class BinaryCopyError extends Error {}

/** Takes a row; returns false to stop. The buffer is only valid during the call. */
export type CopyRowHandler = (buf: Buffer, starts: Int32Array, lengths: Int32Array) => boolean;

export class BinaryCopyRows {
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  /** The start of a row (or of the header) that the previous chunk cut off. */
  private carry: Buffer | null = null;
  private headerRead = false;
  private ended = false;

  /** `fields`: the columns every row must have. */
  constructor(private readonly fields: number) {
    this.starts = new Int32Array(fields);
    this.lengths = new Int32Array(fields);
  }

  /** True once the end-of-data marker has been read. */
  get done(): boolean {
    return this.ended;
  }

  /**
   * Hands every whole row of bytes [start, end) of `chunk` (with the row the previous bytes cut off) to
   * `onRow`; stops early, returning false, when `onRow` returns false.
   */
  push(chunk: Buffer, onRow: CopyRowHandler, start = 0, end = chunk.length): boolean {
    if (this.ended) {
      if (end > start) throw new BinaryCopyError('data after the end of the COPY');
      return true;
    }
    let pos = start;
    if (this.carry) {
      // The cut row is completed from the head of these bytes alone: copying whole chunks together
      // would cost more than the rows' checking (and strain the collector with large buffers).
      const carried = this.carry.length;
      let take = Math.min(end - start, 4096);
      for (;;) {
        const joined = Buffer.concat([this.carry, chunk.subarray(start, start + take)]);
        const used = this.headerRead ? this.row(joined, 0, joined.length, onRow) : this.header(joined, 0, joined.length);
        if (used > 0) {
          this.carry = null;
          if (used === Number.POSITIVE_INFINITY) return false;
          pos = start + used - carried;
          break;
        }
        if (used < 0 || take === end - start) {
          this.carry = used < 0 ? null : joined; // < 0: the end marker
          return true;
        }
        take = Math.min(end - start, take * 4);
      }
    } else if (!this.headerRead) {
      const used = this.header(chunk, start, end);
      if (used === 0) {
        this.carry = chunk.subarray(start, end);
        return true;
      }
      pos = used;
    }
    while (pos < end) {
      const used = this.row(chunk, pos, end, onRow);
      if (used === Number.POSITIVE_INFINITY) return false;
      if (used < 0) return true;
      if (used === 0) {
        this.carry = chunk.subarray(pos, end);
        return true;
      }
      pos = used;
    }
    return true;
  }

  /** The header's end, or 0 when [pos, end) does not hold it whole. */
  private header(buf: Buffer, pos: number, end: number): number {
    if (end - pos < HEADER) return 0;
    if (buf.compare(SIGNATURE, 0, SIGNATURE.length, pos, pos + SIGNATURE.length) !== 0) throw new BinaryCopyError('not a binary COPY');
    const extension = buf.readUInt32BE(pos + 15);
    if (end - pos < HEADER + extension) return 0;
    this.headerRead = true;
    return pos + HEADER + extension;
  }

  /**
   * Reads the row at `pos`: where it ends once handed over, 0 when [pos, end) cuts it off, -1 for the
   * end marker, +Infinity when the handler said stop.
   */
  private row(buf: Buffer, pos: number, end: number, onRow: CopyRowHandler): number {
    if (pos + 2 > end) return 0;
    const count = (buf[pos] << 8) | buf[pos + 1];
    if (count === 0xffff) {
      if (pos + 2 !== end) throw new BinaryCopyError('data after the end of the COPY');
      this.ended = true;
      return -1;
    }
    const { starts, lengths, fields } = this;
    if (count !== fields) throw new BinaryCopyError(`a row of ${count} fields, ${fields} expected`);
    let p = pos + 2;
    for (let f = 0; f < fields; f++) {
      if (p + 4 > end) return 0;
      const len = (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
      p += 4;
      starts[f] = p;
      lengths[f] = len;
      if (len > 0) p += len;
    }
    if (p > end) return 0;
    return onRow(buf, starts, lengths) ? p : Number.POSITIVE_INFINITY;
  }
}
