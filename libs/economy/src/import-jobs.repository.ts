import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { ImportJobView, ImportRowError } from './views.js';

type JobResult = NonNullable<ImportJobView['result']>;

/** economy_import_job: one row per import, its progress and its report. */
@Injectable()
export class ImportJobsRepository {
  async create(conn: Conn, job: { accountId: string | null; fileName: string; dryRun: boolean; total: number; at: Date }): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('economy_import_job')
      .values({
        account_id: job.accountId,
        file_name: job.fileName,
        dry_run: job.dryRun,
        status: 'running',
        total: job.total,
        created_at: job.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async progress(conn: Conn, id: string, processed: number): Promise<void> {
    await dbOf(conn).updateTable('economy_import_job').set({ processed }).where('id', '=', id).execute();
  }

  async finish(
    conn: Conn,
    id: string,
    outcome: { status: 'succeeded' | 'failed'; processed: number; errors: ImportRowError[]; result: JobResult; at: Date },
  ): Promise<void> {
    await dbOf(conn)
      .updateTable('economy_import_job')
      .set({
        status: outcome.status,
        processed: outcome.processed,
        errors: JSON.stringify(outcome.errors),
        result: JSON.stringify(outcome.result),
        finished_at: outcome.at,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Marks a still-running job failed (the run threw before writing its report). */
  async fail(conn: Conn, id: string, error: ImportRowError, at: Date): Promise<void> {
    await dbOf(conn)
      .updateTable('economy_import_job')
      .set({ status: 'failed', errors: JSON.stringify([error]), finished_at: at })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async find(conn: Conn, id: string): Promise<(ImportJobView & { accountId: string | null }) | undefined> {
    const r = await dbOf(conn).selectFrom('economy_import_job').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      accountId: r.account_id,
      fileName: r.file_name,
      dryRun: r.dry_run,
      status: r.status,
      total: r.total,
      processed: r.processed,
      errors: r.errors === null ? null : rowErrorsOf(r.errors),
      result: r.result === null ? null : resultOf(r.result),
      createdAt: r.created_at.toISOString(),
      finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
    };
  }
}

const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The jsonb report as `finish`/`fail` write it. */
function rowErrorsOf(v: unknown): ImportRowError[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((e) => ({
    sheet: textOf(e.sheet),
    row: Number(e.row ?? 0),
    column: textOf(e.column),
    code: textOf(e.code),
    message: textOf(e.message),
  }));
}

function resultOf(v: unknown): JobResult {
  const counts: JobResult['counts'] = {};
  if (!isObject(v)) return { written: false, counts };
  if (isObject(v.counts))
    for (const [kind, c] of Object.entries(v.counts))
      if (isObject(c))
        Object.assign(counts, {
          [kind]: { created: Number(c.created ?? 0), updated: Number(c.updated ?? 0), unchanged: Number(c.unchanged ?? 0) },
        });
  return { written: v.written === true, counts };
}

/** Savepoints of the import's one transaction: a bad row's writes are undone, the rest go on. */
export const Savepoints = {
  async begin(conn: Conn, name: string): Promise<void> {
    await sql`SAVEPOINT ${sql.id(name)}`.execute(dbOf(conn));
  },
  async release(conn: Conn, name: string): Promise<void> {
    await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(dbOf(conn));
  },
  async rollbackTo(conn: Conn, name: string): Promise<void> {
    await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(dbOf(conn));
  },
};
