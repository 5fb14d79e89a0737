/**
 * The close time a vote-opening sheet proposes. The server opens a vote no earlier than the proposal's
 * earliest voting time and refuses a window shorter than VOTE_MIN_WINDOW_HOURS from the opening instant
 * (quorum.ts voteWindowProblem); the sheet's default must pass both, whenever the sheet is filled in.
 */
const HOUR = 3_600_000;

/** An instant as a datetime-local value in 北京时间. */
export const shanghaiLocal = (at: number): string => new Date(at + 8 * HOUR).toISOString().slice(0, 16);

/** The earliest close the server accepts if the vote opens now (or at its earliest time, if later). */
export function earliestClose(now: number, earliestVotingAt: string | null, minHours: number): number {
  const opens = Math.max(now, earliestVotingAt ? Date.parse(earliestVotingAt) : now);
  return opens + minHours * HOUR;
}

/**
 * Three days of voting ending at 18:00 北京时间, counted from max(now, earliest voting time); never less
 * than the minimum window plus an hour (time to fill in the sheet and for the clocks to differ).
 */
export function defaultVoteClose(now: number, earliestVotingAt: string | null, minHours: number): string {
  const least = earliestClose(now, earliestVotingAt, minHours) + HOUR;
  const opens = least - (minHours + 1) * HOUR;
  const target = Math.max(opens + 72 * HOUR, least);
  let close = Date.parse(`${shanghaiLocal(target).slice(0, 10)}T18:00:00+08:00`);
  if (close < least) close += 24 * HOUR;
  return shanghaiLocal(close);
}
