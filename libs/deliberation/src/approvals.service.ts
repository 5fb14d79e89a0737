import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { systemActor } from '#identity';
import { type Actor, Clock } from '#platform';
import { approvalsStatus, missingApprovals } from './approvals.js';
import { type ApprovalRecordRow, type ApprovalSubject, ApprovalsRepository } from './approvals.repository.js';
import { DeliberationErrors } from './deliberation.errors.js';
import type { RecordApprovalDto } from './dto/proposal.dto.js';
import { shanghaiDay } from './electorate.js';
import { MATTER_RULES } from './matter-rules.js';
import { APPROVAL_AUTHORITY_NAMES, APPROVAL_DECISION_NAMES, APPROVALS_STATUS_NAMES, type Category } from './names.js';
import { NotificationsService } from './notifications.service.js';
import { canSeeProposal } from './proposal-access.js';
import { ProposalTransitions } from './proposal-transitions.js';
import type { ApprovalRecordView, ApprovalsView } from './views.js';

type Subject = ApprovalSubject;
type RecordRow = ApprovalRecordRow;

const recordView = (r: RecordRow): ApprovalRecordView => ({
  id: r.id,
  authority: r.authority,
  authorityName: APPROVAL_AUTHORITY_NAMES[r.authority],
  decision: r.decision,
  decisionName: APPROVAL_DECISION_NAMES[r.decision],
  decidedOn: r.decided_on,
  documentNumber: r.document_number,
  note: r.note,
  recordedByName: r.recorded_by_name,
  recordedAt: r.recorded_at.toISOString(),
});

/** Whether the matter of `category` needs approvals after the vote (the lifecycle's context). */
export const needsApprovals = (category: Category): boolean => MATTER_RULES[category].approvals.length > 0;

/**
 * Approvals after the vote (农村土地承包法 Art. 28 ¶2, 52 ¶1; decision 015): township staff record each
 * authority's decision while the published resolution awaits them; the last approval puts it in effect,
 * a refusal ends it. Implementation and closing ask `requireInEffect` first.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly transitions: ProposalTransitions,
    private readonly notifications: NotificationsService,
    private readonly repo: ApprovalsRepository,
  ) {}

  private records(em: EntityManager, proposalId: string): Promise<RecordRow[]> {
    return this.repo.records(em, proposalId);
  }

  /** The decision vote's tally instant, when it passed. */
  private passedAt(em: EntityManager, proposalId: string): Promise<Date | null> {
    return this.repo.passedAt(em, proposalId);
  }

  /** The approvals panel of the proposal page. */
  async view(em: EntityManager, actor: Actor, p: Subject): Promise<ApprovalsView> {
    const needed = MATTER_RULES[p.category].approvals;
    const [records, passedAt] = await Promise.all([this.records(em, p.id), this.passedAt(em, p.id)]);
    const status = approvalsStatus(
      needed.map((a) => a.code),
      records,
    );
    return {
      required: needed.length > 0,
      resolutionPassed: passedAt !== null,
      status,
      statusName: APPROVALS_STATUS_NAMES[status],
      inEffect: passedAt === null ? null : status === 'not_required' || status === 'approved',
      items: needed.map((a) => {
        const r = records.find((x) => x.authority === a.code);
        return { authority: a.code, authorityName: a.authority, source: a.source, record: r ? recordView(r) : null };
      }),
      canRecord: p.status === 'awaiting_approval' && actor.can('proposal.approval.record', p.village_code),
    };
  }

  /**
   * Refuses implementation and closing of a resolution that is not in effect: approvals outstanding
   * (APPROVALS_OUTSTANDING) or one refused (RESOLUTION_NOT_IN_EFFECT), each citing the article.
   */
  async requireInEffect(em: EntityManager, p: Subject): Promise<void> {
    if (p.status !== 'awaiting_approval' && p.status !== 'not_approved') return;
    const needed = MATTER_RULES[p.category].approvals;
    const records = await this.records(em, p.id);
    const refused = records.find((r) => r.decision === 'refused');
    if (p.status === 'not_approved' && refused) {
      const source = needed.find((a) => a.code === refused.authority)?.source ?? needed[0].source;
      throw DeliberationErrors.resolutionNotInEffect(APPROVAL_AUTHORITY_NAMES[refused.authority], refused.document_number, source);
    }
    const missing = missingApprovals(
      needed.map((a) => a.code),
      records,
    );
    throw DeliberationErrors.approvalsOutstanding(
      missing.map((a) => APPROVAL_AUTHORITY_NAMES[a]),
      [...new Set(needed.map((a) => a.source))],
    );
  }

  async record(actor: Actor, proposalId: string, dto: RecordApprovalDto): Promise<ApprovalsView> {
    return this.db.transaction(async (em) => {
      const p = await this.repo.subject(em, proposalId, true);
      if (!p || !canSeeProposal(actor, p.village_code, p.status)) throw DeliberationErrors.proposalNotFound();
      const action = dto.decision === 'approved' ? 'record_approval' : 'approval_refused';
      if (!actor.can('proposal.approval.record', p.village_code)) throw DeliberationErrors.transitionForbidden(action);
      if (p.status !== 'awaiting_approval') throw DeliberationErrors.transitionIllegal(p.status, action);
      const needed = MATTER_RULES[p.category].approvals;
      const authorityName = APPROVAL_AUTHORITY_NAMES[dto.authority];
      if (!needed.some((a) => a.code === dto.authority)) throw DeliberationErrors.approvalNotNeeded(authorityName);
      const before = await this.records(em, p.id);
      if (before.some((r) => r.authority === dto.authority)) throw DeliberationErrors.approvalAlreadyRecorded(authorityName);
      const now = this.clock.now();
      const passedAt = await this.passedAt(em, p.id);
      const earliest = shanghaiDay(passedAt ?? now);
      const today = shanghaiDay(now);
      if (dto.decidedOn < earliest || dto.decidedOn > today) throw DeliberationErrors.approvalDateInvalid(earliest, today);

      const note = dto.note?.trim() ? dto.note : null;
      const documentNumber = dto.documentNumber.trim();
      const id = await this.repo.insert(em, {
        proposalId: p.id,
        authority: dto.authority,
        decision: dto.decision,
        decidedOn: dto.decidedOn,
        documentNumber,
        note,
        recordedBy: actor.accountId,
        recordedByName: actor.realName,
        recordedAt: now,
      });
      const details = { approvalId: id, authority: dto.authority, decision: dto.decision, decidedOn: dto.decidedOn, documentNumber, note };
      const ref = { id: p.id, villageCode: p.village_code, status: p.status };
      const to = await this.transitions.apply(em, ref, action, 'township', actor, { details });
      const after = [...before, { authority: dto.authority, decision: dto.decision }];
      const status = approvalsStatus(
        needed.map((a) => a.code),
        after,
      );
      if (status === 'approved') {
        await this.transitions.apply(em, { ...ref, status: to }, 'approvals_complete', 'system', systemActor('approvals'), {
          details: { approvals: needed.map((a) => a.code) },
        });
      }
      const outcome =
        status === 'approved'
          ? '批准齐全，决议生效，可以组织实施'
          : status === 'refused'
            ? '不予批准，决议不生效'
            : `尚待${missingApprovals(
                needed.map((a) => a.code),
                after,
              )
                .map((a) => APPROVAL_AUTHORITY_NAMES[a])
                .join('、')}批准`;
      await this.notifications.toCommittee(em, p.village_code, {
        kind: 'approval_recorded',
        proposalId: p.id,
        title: `${authorityName}${APPROVAL_DECISION_NAMES[dto.decision]}：${p.title}`,
        body: `文号：${documentNumber}。${outcome}。`,
      });
      const fresh = await this.repo.subject(em, p.id);
      if (!fresh) throw DeliberationErrors.proposalNotFound();
      return this.view(em, actor, fresh);
    });
  }
}
