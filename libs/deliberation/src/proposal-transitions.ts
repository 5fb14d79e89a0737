import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, CommonErrors, queryRows } from '#platform';
import { DeliberationErrors } from './deliberation.errors.js';
import { type LifecycleRole, type ProposalAction, type ProposalState, transition, type TransitionContext } from './proposal-lifecycle.js';

export interface ProposalRef {
  id: string;
  villageCode: string;
  status: ProposalState;
}

/** Columns a transition may set besides status (never from client input). */
type ExtraColumn = 'deliberation_started_at';

/**
 * Applies one lifecycle transition atomically: checks the machine, then
 * `UPDATE … WHERE id = $1 AND status = $from` (0 rows → 409), history row, audit row.
 */
@Injectable()
export class ProposalTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async apply(
    em: EntityManager,
    p: ProposalRef,
    action: ProposalAction,
    role: LifecycleRole,
    actor: Actor,
    opts: { details?: Record<string, unknown>; set?: Partial<Record<ExtraColumn, unknown>>; ctx?: TransitionContext } = {},
  ): Promise<ProposalState> {
    const t = transition(p.status, action, role, opts.ctx);
    if (!t.ok) {
      throw t.reason === 'role_not_allowed'
        ? DeliberationErrors.transitionForbidden(action)
        : DeliberationErrors.transitionIllegal(p.status, action);
    }
    const now = this.clock.now();
    const params: unknown[] = [p.id, t.from, t.to, now];
    const extra = Object.entries(opts.set ?? {}).map(([col, v]) => {
      params.push(v);
      return `, ${col} = $${params.length}`;
    });
    const rows = await queryRows<{ id: string }>(
      em,
      `UPDATE proposal SET status = $3, updated_at = $4 ${extra.join('')} WHERE id = $1 AND status = $2 RETURNING id`,
      params,
    );
    if (!rows.length) throw CommonErrors.staleState();
    await em.query(
      `INSERT INTO proposal_event (proposal_id, action, from_status, to_status, at, actor_account_id, actor_name, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [p.id, action, t.from, t.to, now, actor.accountId, actor.realName, opts.details ? JSON.stringify(opts.details) : null],
    );
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
