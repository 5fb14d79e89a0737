import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit list of a person or a target counts up to ten pages of rows inside the reader's scope
 * (`coalesce(target_division, actor_division, '') LIKE '<scope>%'`, AuditRepository.filter). The account's and
 * the target's indexes did not hold the two division columns, so the count fetched every counted row from
 * the table to test the scope: over the city's 50 million rows, a resident's 111 rows were 114 pages read from
 * disk, 10 ms of an 11 ms statement; a vote's 110 rows 25 ms, and its page sorted them all, having no
 * time order (docs/performance.md, session 11). With the two columns carried in the index (INCLUDE) the count
 * is an index-only scan, and the target's index gives its rows newest first as the account's does: the page
 * reads its 20 rows and no more.
 *
 * Built CONCURRENTLY (outside a transaction), so that a city's audit log, which every writing request appends
 * to, is not locked against writes while they build; the new index is in place before the old one goes. A build
 * that failed half-way leaves an invalid index behind: it is dropped and built again.
 */
export class AuditScopeInIndexes1764388900000 implements MigrationInterface {
  name = 'AuditScopeInIndexes1764388900000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await replaceIndex(
      q,
      'audit_log_account_idx',
      'audit_log_account_scope_idx',
      `(account_id, occurred_at DESC) INCLUDE (target_division, actor_division)`,
    );
    await replaceIndex(
      q,
      'audit_log_target_idx',
      'audit_log_target_scope_idx',
      `(target_type, target_id, occurred_at DESC) INCLUDE (target_division, actor_division)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await replaceIndex(q, 'audit_log_account_scope_idx', 'audit_log_account_idx', `(account_id, occurred_at DESC)`);
    await replaceIndex(q, 'audit_log_target_scope_idx', 'audit_log_target_idx', `(target_type, target_id)`);
  }
}

/**
 * Builds `name` and then drops `old`: CONCURRENTLY where no transaction is open (`up`, transaction = false), plainly
 * inside one (TypeORM reverts a migration in a transaction whatever its flag says).
 */
async function replaceIndex(q: QueryRunner, old: string, name: string, columns: string): Promise<void> {
  const concurrently = q.isTransactionActive ? '' : 'CONCURRENTLY';
  const [state] = (await q.query(
    `SELECT x.indisvalid AS valid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE i.relname = $1 AND i.relnamespace = 'public'::regnamespace`,
    [name],
  )) as { valid: boolean }[];
  if (state && !state.valid) await q.query(`DROP INDEX ${concurrently} ${name}`);
  if (!state || !state.valid) await q.query(`CREATE INDEX ${concurrently} ${name} ON audit_log ${columns}`);
  await q.query(`DROP INDEX ${concurrently} IF EXISTS ${old}`);
}
