import pg from 'pg';
import type { Logger } from 'pino';

export interface ListenHandlers {
  /** A notification on one of the channels (payload as sent, '' when none). */
  notify(payload: string, channel: string): void;
  /** The connection is listening: anything cached before now may have missed a notification. */
  up(): void;
  /** The connection is gone; it retries every second until stopped. */
  down(): void;
}

/**
 * One connection of its own that LISTENs on its channels for an in-process cache kept exact by
 * triggers (decisions 005 and 062). It needs a real session: give it a direct URL, never a
 * transaction-mode pooler. Losses are logged once per outage, not once per retry.
 */
export class ListenConnection {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private lossLogged = false;

  constructor(
    private readonly url: string,
    private readonly channels: readonly string[],
    private readonly applicationName: string,
    private readonly what: string,
    private readonly log: Logger,
    private readonly on: ListenHandlers,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: this.applicationName });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.on.down();
      if (!this.stopped) {
        if (!this.lossLogged) this.log.warn({ why }, `${this.what}的数据库通知连接断开，暂时逐次读库（每秒重连）`);
        this.lossLogged = true;
        this.schedule();
      }
      client.end().catch(() => undefined);
    };
    client.on('notification', (m) => {
      if (this.channels.includes(m.channel)) this.on.notify(m.payload ?? '', m.channel);
    });
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
      if (this.client !== client) return;
      this.on.up();
      if (this.lossLogged) this.log.info(`${this.what}的数据库通知连接已恢复`);
      this.lossLogged = false;
    } catch (err) {
      lost(err instanceof Error ? err.message : String(err));
    }
  }

  /** A statement on the listening session itself (e.g. a pg_notify that must follow what it has read); null when down. */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[] | null> {
    const c = this.client;
    if (!c) return null;
    return (await c.query<R>(text, values)).rows;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const c = this.client;
    this.client = null;
    this.on.down();
    // A client ended while still connecting may never report its end: shutdown waits at most a second.
    if (c) await Promise.race([c.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
  }

  private schedule(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, 1000);
    this.retry.unref();
  }
}
