import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { systemActor } from '#identity';
import { Clock, JobLocks, queryRows, runExclusive } from '#platform';

/**
 * The daily sweep: marks open cases whose mediation window has passed (once per window) and
 * records it in each case's history and the audit log. One process at a time (advisory lock).
 */
@Injectable()
export class OverdueJobService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async markOverdue(): Promise<{ ran: boolean; marked: number }> {
    const now = this.clock.now();
    const r = await runExclusive(this.db, JobLocks.mediationOverdue, async (em) => {
      // Lock the rows first, in one order: the statistics trigger then never waits on a case
      // that a concurrent transition holds while holding the rollup row that transition needs.
      const due = await queryRows<{ id: string }>(
        em,
        `SELECT id FROM mediation_case WHERE status IN ('accepted', 'mediating') AND due_at < $1 AND overdue_at IS NULL ORDER BY id FOR UPDATE`,
        [now],
      );
      if (!due.length) return 0;
      const rows = await queryRows<{ id: string; case_no: string; committee_code: string; status: string; due_at: Date }>(
        em,
        `UPDATE mediation_case SET overdue_at = $1, updated_at = now()
          WHERE id = ANY($2::uuid[]) AND status IN ('accepted', 'mediating') AND overdue_at IS NULL
          RETURNING id, case_no, committee_code, status, due_at`,
        [now, due.map((d) => d.id)],
      );
      if (!rows.length) return 0;
      await em.query(
        `INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, note)
         SELECT id, $2, 'overdue', status, status, committee_code, committee_code, '超过调解期限' FROM mediation_case WHERE id = ANY($1::uuid[])`,
        [rows.map((x) => x.id), now],
      );
      const actor = systemActor('job:mediation-overdue');
      await this.audit.recordMany(
        em,
        rows.map((x) => ({
          actor,
          action: 'mediation.case.overdue',
          targetType: 'mediation_case',
          targetId: x.id,
          targetDivision: x.committee_code,
          details: { caseNo: x.case_no, dueAt: new Date(x.due_at).toISOString() },
        })),
      );
      return rows.length;
    });
    return r.ran ? { ran: true, marked: r.result } : { ran: false, marked: 0 };
  }
}
