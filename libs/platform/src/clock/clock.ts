/** Time source. Services ask the Clock, never `new Date()`, so tests can move time without sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Test hook: shift the clock forward (or back). Not exposed over HTTP. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
