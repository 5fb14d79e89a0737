import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../database/db-errors.js';
import { outageLogFor } from '../database/outage-log.js';

/**
 * A periodic task that never overlaps itself and whose failure is logged, not thrown. With `claim`
 * (JobTicks.every), a tick runs only when it wins its period across the processes (decision 060).
 */
export class IntervalJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly tick: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly claim?: () => Promise<boolean>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        if (this.claim && !(await this.claim())) return;
        await this.tick();
      } catch (err) {
        // audit.seal ticks twice a second: during an outage its failures join the outage's count.
        if (isDatabaseUnavailable(err)) outageLogFor(this.log).failure(`job:${this.name}`, err);
        else this.log.warn({ job: this.name, err: err instanceof Error ? err.message : String(err) }, 'job tick failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running;
  }
}
