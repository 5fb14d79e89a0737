import { Injectable } from '@nestjs/common';
import { type RoleHolder, RoleHolders } from '#identity';
import type { Conn } from '#platform';
import type { CaseFacts } from './case-actions.js';
import { type CaseFactsRecord, CasesRepository } from './cases.repository.js';

/** A case's facts as case-actions.ts decides by, and the committee's mediators not on the case. */
export interface CaseFactsRead {
  record: CaseFactsRecord;
  facts: CaseFacts;
  /** The committee's mediators not assigned to the case now, by name: those an `assign` could add. */
  assignable: RoleHolder[];
}

/**
 * Gathers the facts of one case: what the case holds (CasesRepository) and who could still be
 * assigned (the committee's mediators, from identity). On the workflow's transaction, after its lock.
 */
@Injectable()
export class CaseFactsService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly roles: RoleHolders,
  ) {}

  async read(conn: Conn, id: string): Promise<CaseFactsRead | undefined> {
    const record = await this.cases.facts(conn, id);
    if (!record) return undefined;
    const mediators = await this.roles.holders(conn, 'mediator', record.committeeCode);
    const assignable = mediators.filter((m) => !record.assigned.includes(m.personId));
    const facts: CaseFacts = {
      status: record.status,
      committeeCode: record.committeeCode,
      assigned: record.assigned,
      assignable: assignable.length,
      missingIds: record.missingIds,
      confirmation: record.confirmation,
    };
    return { record, facts, assignable };
  }
}
