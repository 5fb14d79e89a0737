/**
 * Runs one load for identical reads that arrive together, without ever answering a read from a snapshot
 * older than the read itself (decision 067).
 *
 * Per key at most one load runs and at most one waits. A call with no load running starts one. A call
 * that arrives while one runs does not join it (that load's snapshot may predate the call, and miss a
 * row its caller has just committed): it joins the waiting load, which starts when the running one
 * settles, so after every call that joined it. Under a burst of identical reads the database therefore
 * runs at most two loads at a time for the key, and each caller still sees everything committed before
 * it asked, as if it had run its own. Unlike a cache nothing is kept: the maps hold only the loads in flight.
 */
export class Coalescer<V> {
  private readonly running = new Map<string, Promise<V>>();
  private readonly waiting = new Map<string, Promise<V>>();
  private started = 0;
  private calls = 0;

  /** `load` must answer the same for every caller of `key`: the key holds whatever the answer depends on. */
  run(key: string, load: () => Promise<V>): Promise<V> {
    this.calls++;
    const next = this.waiting.get(key);
    if (next) return next;
    const current = this.running.get(key);
    if (!current) return this.start(key, load);
    const queued = current.then(
      () => this.startWaiting(key, load),
      () => this.startWaiting(key, load),
    );
    this.waiting.set(key, queued);
    return queued;
  }

  /** Loads started and calls answered so far (for benchmarks and tests). */
  stats(): { loads: number; calls: number } {
    return { loads: this.started, calls: this.calls };
  }

  private startWaiting(key: string, load: () => Promise<V>): Promise<V> {
    this.waiting.delete(key);
    return this.start(key, load);
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    this.started++;
    let p: Promise<V>;
    try {
      p = load();
    } catch (err) {
      p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const running = p.finally(() => {
      if (this.running.get(key) === running) this.running.delete(key);
    });
    this.running.set(key, running);
    return running;
  }
}
