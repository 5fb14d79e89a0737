import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import type pg from 'pg';
import { CopyOut } from './copy-out.js';

/** A protocol message: type byte, length (itself included), payload. */
function message(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([head, payload]);
}

/** A stand-in for node-postgres' connection: its socket (one data listener, as pg-protocol attaches) and query(). */
function fakeConnection() {
  const stream = new EventEmitter();
  const toPg: Buffer[] = [];
  stream.on('data', (b: Buffer) => toPg.push(Buffer.from(b)));
  const sent: string[] = [];
  const connection = { stream, query: (text: string) => sent.push(text) } as unknown as pg.Connection;
  return { connection, stream, toPg, sent };
}

/** Feeds `bytes` to the socket cut at `cuts` (fractions of its length). */
function feed(stream: EventEmitter, bytes: Buffer, cuts: number[]) {
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) stream.emit('data', bytes.subarray(from, to));
    from = to;
  }
}

describe('CopyOut: COPY data handed over in place, the rest of the socket given back to node-postgres', () => {
  it('hands over exactly the CopyData bytes, skips what the server says meanwhile, and gives back what follows CopyDone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (rows, cuts) => {
          const { connection, stream, toPg, sent } = fakeConnection();
          const got: Buffer[] = [];
          const copy = new CopyOut('COPY x TO STDOUT', (buf, start, end) => (got.push(Buffer.from(buf.subarray(start, end))), true));
          copy.submit(connection);
          expect(sent).toEqual(['COPY x TO STDOUT']);
          const tail = Buffer.concat([message('C', Buffer.from('COPY 3\0')), message('Z', Buffer.from('I'))]);
          const wire = Buffer.concat([
            message('H', Buffer.from([1, 0, 0])),
            ...rows.flatMap((r, i) => [
              message('d', Buffer.from(r)),
              ...(i === 1 ? [message('N', Buffer.from('a notice')), message('S', Buffer.from('k\0v\0'))] : []),
            ]),
            message('c'),
            tail,
          ]);
          feed(stream, wire, cuts);
          expect(Buffer.concat(got)).toEqual(Buffer.concat(rows.map((r) => Buffer.from(r))));
          expect(Buffer.concat(toPg)).toEqual(tail);
          // The socket is node-postgres' again.
          expect(stream.listeners('data')).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives an ErrorResponse to node-postgres from its first byte, even when a chunk cut its header', () => {
    for (const cut of [0, 1, 3, 5, 6]) {
      const { connection, stream, toPg } = fakeConnection();
      const copy = new CopyOut('COPY x TO STDOUT', () => true);
      copy.submit(connection);
      const error = Buffer.concat([message('E', Buffer.from('SERROR\0Mcanceling statement\0\0')), message('Z', Buffer.from('I'))]);
      const before = message('d', Buffer.from([1, 2, 3]));
      feed(stream, Buffer.concat([before, error]), [(before.length + cut) / (before.length + error.length)]);
      expect(Buffer.concat(toPg)).toEqual(error);
    }
  });

  it('after the handler says stop, reads the rest of the data without handing it over', () => {
    const { connection, stream, toPg } = fakeConnection();
    let handed = 0;
    const copy = new CopyOut('COPY x TO STDOUT', () => ++handed < 2);
    copy.submit(connection);
    const tail = message('Z', Buffer.from('I'));
    feed(stream, Buffer.concat([...[1, 2, 3, 4].map((n) => message('d', Buffer.from([n]))), message('c'), tail]), []);
    expect([handed, copy.stopped]).toEqual([2, true]);
    expect(Buffer.concat(toPg)).toEqual(tail);
  });

  it('settles with node-postgres: done resolves at ReadyForQuery, rejects with the error', async () => {
    const ok = new CopyOut('COPY x TO STDOUT', () => true);
    ok.handleCommandComplete();
    ok.handleReadyForQuery();
    await expect(ok.done).resolves.toBeUndefined();
    const failed = new CopyOut('COPY x TO STDOUT', () => true);
    failed.handleError(new Error('canceling statement due to statement timeout'));
    await expect(failed.done).rejects.toThrow(/statement timeout/);
  });
});
