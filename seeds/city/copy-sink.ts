import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * One COPY … FROM STDIN on its own connection, fed line by line. Lines are gathered into ~256 KB
 * chunks (one write per chunk), and `put` waits when the socket is full, so a generator of any size
 * holds at most a chunk or two in memory.
 */
export class CopySink {
  rows = 0;
  private buf: string[] = [];
  private size = 0;
  private stream: NodeJS.WritableStream | null = null;
  private done: Promise<unknown> | null = null;
  private client: pg.Client | null = null;
  readonly started = performance.now();

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  async open(url: string): Promise<this> {
    this.client = new pg.Client({ connectionString: url });
    await this.client.connect();
    // Triggers and foreign-key checks are off on the loading connection (the loader re-validates every
    // foreign key afterwards and rebuilds what the triggers keep, e.g. the mediation statistics).
    await this.client.query(`SET session_replication_role = replica`);
    const s = this.client.query(copyFrom(`COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN`));
    this.stream = s;
    this.done = new Promise((resolve, reject) => {
      s.on('finish', resolve);
      s.on('error', reject);
    });
    return this;
  }

  /** Adds one line (already in COPY text form); a promise only when a chunk was written (await it). */
  put(l: string): Promise<void> | undefined {
    this.buf.push(l);
    this.size += l.length;
    this.rows++;
    return this.size >= 256 * 1024 ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.stream!.write(chunk)) await once(this.stream!, 'drain');
  }

  /** Ends the COPY (its rows commit) and closes the connection; returns seconds taken. */
  async close(): Promise<number> {
    await this.flush();
    this.stream!.end();
    await this.done;
    await this.client!.end();
    return (performance.now() - this.started) / 1000;
  }
}
