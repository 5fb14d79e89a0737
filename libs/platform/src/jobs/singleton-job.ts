import { sql } from 'kysely';
import type { DataSource, EntityManager } from 'typeorm';
import { dbOf } from '../database/kysely.js';

/**
 * Runs `work` only in the one process that wins a transaction-scoped advisory lock, so a job is
 * safe with several app processes on one database. Returns false when another process holds it.
 */
export async function runExclusive<T>(
  db: DataSource,
  lockKey: number,
  work: (em: EntityManager) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  return db.transaction(async (em) => {
    const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_xact_lock(${lockKey}) AS got`.execute(dbOf(em));
    if (!rows[0]?.got) return { ran: false } as const;
    return { ran: true, result: await work(em) } as const;
  });
}

/** Advisory lock keys, one per job, listed here so they never collide. */
export const JobLocks = {
  auditSeal: 810001,
  voteClose: 810002,
  mediationOverdue: 810003,
  notifications: 810004,
} as const;
