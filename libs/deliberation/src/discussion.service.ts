import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#audit';
import { type Actor, Clock, type Permission, CommonErrors, queryRows } from '#platform';
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
    const rows = await queryRows<{
      id: string;
      kind: CommentView['kind'];
      parent_id: string | null;
      author_name: string;
      body: string;
      created_at: Date;
      hidden_at: Date | null;
      hidden_reason: string | null;
    }>(
      this.db,
      `SELECT id, kind, parent_id, author_name, body, created_at, hidden_at, hidden_reason FROM proposal_comment
        WHERE proposal_id = $1 ${staff ? '' : `AND kind <> 'objection'`} ORDER BY created_at, id`,
      [proposalId],
    );
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
        const parent = await queryRows<{ kind: string }>(em, `SELECT kind FROM proposal_comment WHERE id = $1 AND proposal_id = $2`, [
          parentId,
          proposalId,
        ]);
        if (!parent[0]) throw DeliberationErrors.commentNotFound();
        if (!['comment', 'question'].includes(parent[0].kind)) throw DeliberationErrors.answerTarget();
      }
      const now = this.clock.now();
      const [{ id }] = await queryRows<{ id: string }>(
        em,
        `INSERT INTO proposal_comment (proposal_id, kind, parent_id, author_account, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [proposalId, kind, parentId, actor.accountId, actor.realName, body, now],
      );
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
      const rows = await queryRows<{ id: string }>(
        em,
        `UPDATE proposal_comment SET hidden_at = $3, hidden_reason = $4, hidden_by = $5
          WHERE id = $1 AND proposal_id = $2 AND hidden_at IS NULL AND kind <> 'objection' RETURNING id`,
        [commentId, proposalId, this.clock.now(), reason, actor.accountId],
      );
      if (!rows.length) {
        const exists = await queryRows<{ kind: string }>(em, `SELECT kind FROM proposal_comment WHERE id = $1 AND proposal_id = $2`, [
          commentId,
          proposalId,
        ]);
        if (!exists[0] || exists[0].kind === 'objection') throw DeliberationErrors.commentNotFound();
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
