import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { systemActor } from '#identity';
import { Clock, JobLocks, runExclusive } from '#platform';
import { CasesRepository } from './cases.repository.js';

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
    private readonly cases: CasesRepository,
  ) {}

  async markOverdue(): Promise<{ ran: boolean; marked: number }> {
    const now = this.clock.now();
    const r = await runExclusive(this.db, JobLocks.mediationOverdue, async (em) => {
      // Lock the rows first, in one order: the statistics trigger then never waits on a case
      // that a concurrent transition holds while holding the rollup row that transition needs.
      const due = await this.cases.lockNewlyOverdue(em, now);
      if (!due.length) return 0;
      const rows = await this.cases.markOverdue(em, due, now);
      if (!rows.length) return 0;
      await this.cases.addOverdueEvents(
        em,
        rows.map((x) => x.id),
        now,
        '超过调解期限',
      );
      const actor = systemActor('job:mediation-overdue');
      await this.audit.recordMany(
        em,
        rows.map((x) => ({
          actor,
          action: 'mediation.case.overdue',
          targetType: 'mediation_case',
          targetId: x.id,
          targetDivision: x.committeeCode,
          details: { caseNo: x.caseNo, dueAt: x.dueAt?.toISOString() },
        })),
      );
      return rows.length;
    });
    return r.ran ? { ran: true, marked: r.result } : { ran: false, marked: 0 };
  }
}
