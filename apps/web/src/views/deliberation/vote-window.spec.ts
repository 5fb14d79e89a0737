import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultVoteClose, earliestClose, shanghaiLocal } from './vote-window';

const HOUR = 3_600_000;
const fromLocal = (local: string) => Date.parse(`${local}:00+08:00`);

describe('the default close of the vote-opening sheet', () => {
  it('is after the earliest voting time plus the minimum window, not three days from today, when the notice period is still running', () => {
    const now = Date.parse('2026-11-20T10:00:00+08:00');
    const earliest = '2026-11-30T09:30:00+08:00';
    const close = defaultVoteClose(now, earliest, 24);
    expect(close).toBe('2026-12-03T18:00');
    expect(fromLocal(close)).toBeGreaterThan(Date.parse(earliest) + 24 * HOUR);
  });

  it('is three days from now at 18:00 once voting may open', () => {
    expect(defaultVoteClose(Date.parse('2026-11-20T10:00:00+08:00'), '2026-11-10T09:30:00+08:00', 24)).toBe('2026-11-23T18:00');
    expect(defaultVoteClose(Date.parse('2026-11-20T10:00:00+08:00'), null, 24)).toBe('2026-11-23T18:00');
  });

  it('follows a minimum window longer than three days', () => {
    expect(defaultVoteClose(Date.parse('2026-11-20T10:00:00+08:00'), null, 100)).toBe('2026-11-24T18:00');
  });

  it('property: at 18:00, at least the minimum window plus an hour after max(now, earliest), within a day of that or of three days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-01-01') }),
        fc.option(fc.integer({ min: -30 * 24, max: 30 * 24 })),
        fc.integer({ min: 1, max: 200 }),
        (now, offsetHours, minHours) => {
          const earliest = offsetHours === null ? null : new Date(now + offsetHours * HOUR).toISOString();
          const close = fromLocal(defaultVoteClose(now, earliest, minHours));
          const opens = Math.max(now, earliest ? Date.parse(earliest) : now);
          expect(shanghaiLocal(close).slice(11)).toBe('18:00');
          expect(close).toBeGreaterThanOrEqual(earliestClose(now, earliest, minHours) + HOUR);
          expect(close - opens).toBeLessThanOrEqual(Math.max(72, minHours + 1) * HOUR + 24 * HOUR);
        },
      ),
    );
  });
});
