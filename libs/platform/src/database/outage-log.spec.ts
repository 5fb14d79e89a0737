import pino, { type Logger } from 'pino';
import { DatabaseOutageLog, outageLogFor } from './outage-log.js';

interface Line {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger writing into an array, a fake clock and a fake timer queue. */
function harness(opts: { reportEveryMs?: number; probeEveryMs?: number } = {}) {
  const lines: Line[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  let now = 0;
  let timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const outage = new DatabaseOutageLog(log, {
    ...opts,
    now: () => now,
    schedule: (fn, ms) => {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
  });
  return {
    log,
    lines,
    outage,
    msgs: () => lines.map((l) => l.msg),
    pendingTimers: () => timers.filter((t) => !t.cancelled).length,
    /** Moves the clock, firing due timers (and letting their promises settle). */
    advance: async (ms: number) => {
      now += ms;
      const due = timers.filter((t) => !t.cancelled && t.at <= now);
      timers = timers.filter((t) => !due.includes(t));
      for (const t of due) t.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });

describe('DatabaseOutageLog', () => {
  it('a 5-second outage with ~1,000 failed requests is two lines: down, then recovered with the count', async () => {
    const h = harness({ reportEveryMs: 10_000 });
    for (let i = 0; i < 993; i++) {
      h.outage.failure('request', refused);
      await h.advance(5);
    }
    expect(h.msgs()).toEqual(['数据库不可用']);
    expect(h.lines[0]).toMatchObject({ level: 50, source: 'request', err: 'Error: connect ECONNREFUSED 127.0.0.1:5433' });
    h.outage.recovered();
    expect(h.msgs()).toEqual(['数据库不可用', '数据库已恢复']);
    expect(h.lines[1]).toMatchObject({ level: 40, failures: 993, downForSeconds: 5, bySource: { request: 993 } });
    expect(h.outage.isDown).toBe(false);
  });

  it('a long outage adds at most one line per period, each with the failures since the previous line', async () => {
    const h = harness({ reportEveryMs: 10_000 });
    // 35 s of failures every 10 ms: down at 0, still down at 10 s, 20 s and 30 s.
    for (let t = 0; t < 35_000; t += 10) {
      h.outage.failure(t % 20 === 0 ? 'request' : 'job:audit.seal');
      await h.advance(10);
    }
    h.outage.recovered();
    expect(h.msgs()).toEqual(['数据库不可用', '数据库仍不可用', '数据库仍不可用', '数据库仍不可用', '数据库已恢复']);
    const still = h.lines.filter((l) => l.msg === '数据库仍不可用');
    expect(still.map((l) => l.downForSeconds)).toEqual([10, 20, 30]);
    expect(still.map((l) => l.failedSinceLastLine)).toEqual([1000, 1000, 1000]);
    const end = h.lines.at(-1)!;
    expect(end).toMatchObject({ failures: 3500, downForSeconds: 35, bySource: { request: 1750, 'job:audit.seal': 1750 } });
  });

  it('while down it probes the database every second; the first probe that gets through ends the outage', async () => {
    const h = harness({ probeEveryMs: 1000 });
    let up = false;
    const probes: boolean[] = [];
    h.outage.watch(async () => {
      probes.push(up);
      if (!up) throw refused;
    });
    expect(h.pendingTimers()).toBe(0); // nothing runs while the database is up
    h.outage.failure('pool', refused);
    expect(h.pendingTimers()).toBe(1);
    await h.advance(1000);
    await h.advance(1000);
    expect(h.msgs()).toEqual(['数据库不可用']);
    up = true;
    await h.advance(1000);
    expect(probes).toEqual([false, false, true]);
    expect(h.msgs()).toEqual(['数据库不可用', '数据库已恢复']);
    expect(h.lines[1]).toMatchObject({ failures: 1, downForSeconds: 3 });
    expect(h.pendingTimers()).toBe(0);
  });

  it('a second outage is a new story; recovered() without an outage logs nothing', async () => {
    const h = harness();
    h.outage.recovered();
    expect(h.lines).toEqual([]);
    h.outage.failure('request');
    h.outage.recovered();
    await h.advance(60_000);
    h.outage.failure('request');
    h.outage.failure('request');
    h.outage.recovered();
    expect(h.msgs()).toEqual(['数据库不可用', '数据库已恢复', '数据库不可用', '数据库已恢复']);
    expect(h.lines[3]).toMatchObject({ failures: 2 });
  });

  it('unwatching stops the probe', async () => {
    const h = harness({ probeEveryMs: 1000 });
    let calls = 0;
    const unwatch = h.outage.watch(async () => {
      calls++;
      throw refused;
    });
    h.outage.failure('request');
    await h.advance(1000);
    unwatch();
    await h.advance(5000);
    expect(calls).toBe(1);
    expect(h.pendingTimers()).toBe(0);
  });

  it('one outage log per logger', () => {
    const a = pino({ level: 'silent' }) as Logger;
    const b = pino({ level: 'silent' }) as Logger;
    expect(outageLogFor(a)).toBe(outageLogFor(a));
    expect(outageLogFor(a)).not.toBe(outageLogFor(b));
  });
});
