/**
 * Groups concurrent calls into one database round trip (application-level group commit).
 *
 * Calls made while fewer than `maxInFlight` batches are running are sent at the end of the current
 * turn of the event loop, together with every other call of that turn; calls made while the limit is
 * reached wait and go out together as soon as a batch comes back. A lone call therefore waits for
 * nothing, and under load each round trip carries many calls. `handle` gets the items in arrival
 * order and returns one result per item, in the same order; if it throws, every call of that batch
 * gets the error.
 */
export class MicroBatcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private batches = 0;
  private items = 0;

  constructor(
    private readonly handle: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number },
  ) {
    if (opts.maxBatch < 1 || opts.maxInFlight < 1) throw new RangeError('maxBatch and maxInFlight must be at least 1');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Batches sent and items carried so far (for benchmarks and logs). */
  stats(): { batches: number; items: number } {
    return { batches: this.batches, items: this.items };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      this.batches++;
      this.items += batch.length;
      void this.send(batch);
    }
  }

  private async send(batch: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const results = await this.handle(batch.map((b) => b.item));
      if (results.length !== batch.length) throw new Error(`batch handler returned ${results.length} results for ${batch.length} items`);
      batch.forEach((b, i) => b.resolve(results[i]));
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.inFlight--;
      if (this.queue.length) this.flush();
    }
  }
}
