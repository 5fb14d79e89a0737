import { MicroBatcher } from './batcher.js';

/** A handler whose batches stay open until the test releases them. */
function gatedHandler() {
  const calls: number[][] = [];
  const gates: (() => void)[] = [];
  const handle = (items: number[]) => {
    calls.push(items);
    return new Promise<number[]>((resolve) => gates.push(() => resolve(items.map((n) => n * 10))));
  };
  return { calls, gates, handle };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher', () => {
  it('sends a lone call at once, in a batch of one', async () => {
    const b = new MicroBatcher(async (items: number[]) => items.map((n) => n + 1), { maxBatch: 10, maxInFlight: 1 });
    await expect(b.submit(41)).resolves.toBe(42);
    expect(b.stats()).toEqual({ batches: 1, items: 1 });
  });

  it('groups the calls of one turn, and the calls that wait for a running batch, keeping each result with its call', async () => {
    const h = gatedHandler();
    const b = new MicroBatcher(h.handle, { maxBatch: 100, maxInFlight: 1 });
    const first = [1, 2, 3].map((n) => b.submit(n));
    await turn();
    expect(h.calls).toEqual([[1, 2, 3]]);
    const waiting = [4, 5, 6, 7].map((n) => b.submit(n));
    await turn();
    expect(h.calls).toHaveLength(1); // the limit of one batch in flight holds them back
    h.gates[0]();
    await expect(Promise.all(first)).resolves.toEqual([10, 20, 30]);
    await turn();
    expect(h.calls).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7],
    ]);
    h.gates[1]();
    await expect(Promise.all(waiting)).resolves.toEqual([40, 50, 60, 70]);
    expect(b.stats()).toEqual({ batches: 2, items: 7 });
  });

  it('never puts more than maxBatch items in one batch, and runs up to maxInFlight batches at once', async () => {
    const h = gatedHandler();
    const b = new MicroBatcher(h.handle, { maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => b.submit(n));
    await turn();
    expect(h.calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    h.gates[1]();
    await turn();
    expect(h.calls).toEqual([[1, 2], [3, 4], [5]]);
    h.gates[0]();
    h.gates[2]();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects every call of a failed batch, and goes on with the next batch', async () => {
    let fail = true;
    const b = new MicroBatcher(
      async (items: string[]) => {
        if (fail) throw new Error('boom');
        return items.map((s) => s.toUpperCase());
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = ['a', 'b'].map((s) => b.submit(s));
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('boom') },
      { status: 'rejected', reason: new Error('boom') },
    ]);
    fail = false;
    await expect(b.submit('c')).resolves.toBe('C');
  });

  it('refuses a handler that returns the wrong number of results', async () => {
    const b = new MicroBatcher(async () => [1], { maxBatch: 10, maxInFlight: 1 });
    const both = [b.submit(1), b.submit(2)];
    const settled = await Promise.allSettled(both);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect((settled[0] as PromiseRejectedResult).reason.message).toMatch(/returned 1 results for 2 items/);
  });

  it('refuses limits below one', () => {
    expect(() => new MicroBatcher(async (x: number[]) => x, { maxBatch: 0, maxInFlight: 1 })).toThrow(RangeError);
  });
});
