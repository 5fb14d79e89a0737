import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, CommonErrors } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { ProposalsRepository } from './proposals.repository.js';
import { type LifecycleRole, type ProposalAction, type ProposalState, transition, type TransitionContext } from './proposal-lifecycle.js';

export interface ProposalRef {
  id: string;
  villageCode: string;
  status: ProposalState;
}

/** Columns a transition may set besides status (never from client input). */
type ExtraColumns = { deliberation_started_at?: Date };

/**
 * Applies one lifecycle transition atomically: checks the machine, then
 * `UPDATE … WHERE id = $1 AND status = $from` (0 rows → 409), history row, audit row.
 */
@Injectable()
export class ProposalTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repo: ProposalsRepository,
  ) {}

  async apply(
    em: EntityManager,
    p: ProposalRef,
    action: ProposalAction,
    role: LifecycleRole,
    actor: Actor,
    opts: { details?: Record<string, unknown>; set?: ExtraColumns; ctx?: TransitionContext } = {},
  ): Promise<ProposalState> {
    const t = transition(p.status, action, role, opts.ctx);
    if (!t.ok) {
      throw t.reason === 'role_not_allowed'
        ? DeliberationErrors.transitionForbidden(action)
        : DeliberationErrors.transitionIllegal(p.status, action);
    }
    const now = this.clock.now();
    if (!(await this.repo.transition(em, p.id, t.from, t.to, now, opts.set))) throw CommonErrors.staleState();
    await this.repo.insertEvent(em, {
      proposalId: p.id,
      action,
      from: t.from,
      to: t.to,
      at: now,
      actorAccountId: actor.accountId,
      actorName: actor.realName,
      details: opts.details ?? null,
    });
    await this.audit.record(em, {
      actor,
      action: `proposal.${action}`,
      targetType: 'proposal',
      targetId: p.id,
      targetDivision: p.villageCode,
      details: { from: t.from, to: t.to, ...(opts.details ?? {}) },
    });
    return t.to;
  }
}
