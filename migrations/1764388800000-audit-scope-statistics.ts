import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit list filters every reader's rows by `coalesce(target_division, actor_division, '') LIKE '<scope>%'`
 * (AuditRepository.filter). Without statistics on that expression the planner took it to keep 0.5 % of the
 * rows: for one account's 2,114 rows of the city's 50 million it expected 2, read them all by bitmap and
 * sorted them (45 ms cold, 5.8 ms warm), where walking the account's index newest first and stopping after the
 * page takes 0.6 ms; and it took the city's count of 10,001 rows for a parallel scan (docs/performance.md,
 * session 10). Expression statistics (PostgreSQL 14+) give it the expression's real distribution.
 */
export class AuditScopeStatistics1764388800000 implements MigrationInterface {
  name = 'AuditScopeStatistics1764388800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE STATISTICS audit_log_scope_stats ON (coalesce(target_division, actor_division, '')) FROM audit_log`);
    // Filled now rather than at autovacuum's next analyze (1.1 s over the city's 50 million rows: a sample).
    await q.query(`ANALYZE audit_log`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS audit_log_scope_stats`);
  }
}
