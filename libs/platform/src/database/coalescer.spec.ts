import { Coalescer } from './coalescer.js';

/**
 * A pretend table whose value callers change, and loads that take their snapshot when they start and
 * stay open until the test releases them.
 */
function gatedTable() {
  let value = 0;
  const gates: { snapshot: number; release: () => void; fail: (e: Error) => void }[] = [];
  const load = () =>
    new Promise<number>((resolve, reject) => {
      const snapshot = value;
      gates.push({ snapshot, release: () => resolve(snapshot), fail: reject });
    });
  return {
    gates,
    load,
    write(v: number) {
      value = v;
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  it('runs a lone call by itself, and keeps nothing once it has answered', async () => {
    const c = new Coalescer<number>();
    let loads = 0;
    const load = async () => ++loads;
    await expect(c.run('k', load)).resolves.toBe(1);
    await expect(c.run('k', load)).resolves.toBe(2);
    expect(c.stats()).toEqual({ loads: 2, calls: 2 });
  });

  it('never hands a caller a load that started before it asked: the calls during a load share the next one', async () => {
    const c = new Coalescer<number>();
    const t = gatedTable();
    t.write(1);
    const first = c.run('k', t.load);
    expect(t.gates).toHaveLength(1);

    // A caller commits a change, then reads: the running load's snapshot (1) predates it.
    t.write(2);
    const afterWrite = [c.run('k', t.load), c.run('k', t.load), c.run('k', t.load)];
    await turn();
    expect(t.gates).toHaveLength(1); // the second load waits for the first

    t.gates[0].release();
    await expect(first).resolves.toBe(1);
    await turn();
    expect(t.gates).toHaveLength(2);
    expect(t.gates[1].snapshot).toBe(2);

    // Arrivals while the second runs go to a third, not to the second.
    t.write(3);
    const later = c.run('k', t.load);
    t.gates[1].release();
    await expect(Promise.all(afterWrite)).resolves.toEqual([2, 2, 2]);
    await turn();
    expect(t.gates).toHaveLength(3);
    t.gates[2].release();
    await expect(later).resolves.toBe(3);
    expect(c.stats()).toEqual({ loads: 3, calls: 5 });
  });

  it('keeps keys apart', async () => {
    const c = new Coalescer<string>();
    const [a, b] = await Promise.all([c.run('a', async () => 'A'), c.run('b', async () => 'B')]);
    expect([a, b]).toEqual(['A', 'B']);
    expect(c.stats().loads).toBe(2);
  });

  it("gives a failed load's error to its own callers only; those waiting get a load of their own", async () => {
    const c = new Coalescer<number>();
    const t = gatedTable();
    const first = c.run('k', t.load);
    const second = c.run('k', t.load);
    t.gates[0].fail(new Error('statement timeout'));
    await expect(first).rejects.toThrow('statement timeout');
    await turn();
    expect(t.gates).toHaveLength(2);
    t.gates[1].release();
    await expect(second).resolves.toBe(0);
  });

  it('turns a load that throws before returning its promise into a rejection, and starts afresh afterwards', async () => {
    const c = new Coalescer<number>();
    await expect(
      c.run('k', () => {
        throw new Error('bad filter');
      }),
    ).rejects.toThrow('bad filter');
    await expect(c.run('k', async () => 7)).resolves.toBe(7);
  });
});
