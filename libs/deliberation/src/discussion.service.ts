import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Permission, CommonErrors } from '#platform';
import { CommentsRepository } from './comments.repository.js';
import { DeliberationErrors } from './deliberation.errors.js';
import { isStaffAt } from './proposal-access.js';
import { DISCUSSION_STATES } from './proposal-lifecycle.js';
import { ProposalsService } from './proposals.service.js';
import type { CommentView } from './views.js';

export type { CommentView } from './views.js';

/** Public discussion during deliberation and voting; the committee's answers; the supervision committee's objections. */
@Injectable()
export class DiscussionService {
  constructor(
    private readonly db: DataSource,
    private readonly comments: CommentsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly proposals: ProposalsService,
  ) {}

  /**
   * Residents see comments, questions and answers; a hidden comment shows only its reason. Staff
   * (committee, supervision, township and above) also see hidden text and objections.
   */
  async list(actor: Actor, proposalId: string): Promise<CommentView[]> {
    const p = await this.proposals.load(this.db.manager, actor, proposalId);
    const staff = isStaffAt(actor, p.village_code);
    const rows = await this.comments.list(proposalId, staff);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      parentId: r.parent_id,
      authorName: r.author_name,
      official: r.kind === 'answer',
      body: r.hidden_at && !staff ? null : r.body,
      createdAt: r.created_at.toISOString(),
      hidden: r.hidden_at !== null,
      hiddenReason: r.hidden_reason,
    }));
  }

  private async insert(
    actor: Actor,
    proposalId: string,
    kind: CommentView['kind'],
    body: string,
    parentId: string | null,
    permission: Permission,
  ): Promise<CommentView> {
    return this.db.transaction(async (em) => {
      const p = await this.proposals.load(em, actor, proposalId);
      if (!actor.can(permission, p.village_code)) throw CommonErrors.forbidden();
      const objection = kind === 'objection';
      if (!objection && !DISCUSSION_STATES.includes(p.status)) throw DeliberationErrors.discussionClosed();
      if (objection && (p.status === 'closed' || p.status === 'withdrawn')) throw DeliberationErrors.discussionClosed();
      if (parentId) {
        const parent = await this.comments.kindOf(em, proposalId, parentId);
        if (!parent) throw DeliberationErrors.commentNotFound();
        if (parent !== 'comment' && parent !== 'question') throw DeliberationErrors.answerTarget();
      }
      const now = this.clock.now();
      // Only an account speaks in the discussion (the system actor never does).
      if (!actor.accountId) throw CommonErrors.forbidden();
      const id = await this.comments.insert(em, {
        proposalId,
        kind,
        parentId,
        authorAccount: actor.accountId,
        authorName: actor.realName,
        body,
        at: now,
      });
      await this.audit.record(em, {
        actor,
        action: `proposal.${kind}`,
        targetType: 'proposal_comment',
        targetId: id,
        targetDivision: p.village_code,
        details: { proposalId },
      });
      return {
        id,
        kind,
        parentId,
        authorName: actor.realName,
        official: kind === 'answer',
        body,
        createdAt: now.toISOString(),
        hidden: false,
        hiddenReason: null,
      };
    });
  }

  comment(actor: Actor, proposalId: string, kind: 'comment' | 'question', body: string) {
    return this.insert(actor, proposalId, kind, body, null, 'proposal.comment');
  }

  answer(actor: Actor, proposalId: string, commentId: string, body: string) {
    return this.insert(actor, proposalId, 'answer', body, commentId, 'proposal.answer');
  }

  object(actor: Actor, proposalId: string, body: string) {
    return this.insert(actor, proposalId, 'objection', body, null, 'proposal.object');
  }

  /** Hiding keeps the text (staff still read it) and the reason; audited. */
  async hide(actor: Actor, proposalId: string, commentId: string, reason: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const p = await this.proposals.load(em, actor, proposalId);
      if (!actor.can('proposal.moderate', p.village_code)) throw CommonErrors.forbidden();
      const hidden = await this.comments.hide(em, proposalId, commentId, { at: this.clock.now(), reason, by: actor.accountId });
      if (!hidden) {
        const kind = await this.comments.kindOf(em, proposalId, commentId);
        if (!kind || kind === 'objection') throw DeliberationErrors.commentNotFound();
        throw DeliberationErrors.commentAlreadyHidden();
      }
      await this.audit.record(em, {
        actor,
        action: 'proposal.comment.hide',
        targetType: 'proposal_comment',
        targetId: commentId,
        targetDivision: p.village_code,
        details: { proposalId, reason },
      });
    });
  }
}
