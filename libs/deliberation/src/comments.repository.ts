import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Conn, dbOf } from '#platform';
import type { CommentView } from './views.js';

export type CommentKind = CommentView['kind'];

export interface CommentRow {
  id: string;
  kind: CommentKind;
  parent_id: string | null;
  author_name: string;
  body: string;
  created_at: Date;
  hidden_at: Date | null;
  hidden_reason: string | null;
}

/** The discussion's SQL (proposal_comment). */
@Injectable()
export class CommentsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The proposal's comments in order; without objections unless `withObjections`. */
  list(proposalId: string, withObjections: boolean): Promise<CommentRow[]> {
    let q = dbOf(this.ds)
      .selectFrom('proposal_comment')
      .select(['id', 'kind', 'parent_id', 'author_name', 'body', 'created_at', 'hidden_at', 'hidden_reason'])
      .where('proposal_id', '=', proposalId);
    if (!withObjections) q = q.where('kind', '<>', 'objection');
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** The kind of a comment of the proposal, or undefined. */
  async kindOf(conn: Conn, proposalId: string, commentId: string): Promise<CommentKind | undefined> {
    const r = await dbOf(conn)
      .selectFrom('proposal_comment')
      .select('kind')
      .where('id', '=', commentId)
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
    return r?.kind;
  }

  async insert(
    conn: Conn,
    c: {
      proposalId: string;
      kind: CommentKind;
      parentId: string | null;
      authorAccount: string;
      authorName: string;
      body: string;
      at: Date;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('proposal_comment')
      .values({
        proposal_id: c.proposalId,
        kind: c.kind,
        parent_id: c.parentId,
        author_account: c.authorAccount,
        author_name: c.authorName,
        body: c.body,
        created_at: c.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Hides a visible comment (never an objection); false when there was none to hide. */
  async hide(conn: Conn, proposalId: string, commentId: string, h: { at: Date; reason: string; by: string | null }): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('proposal_comment')
      .set({ hidden_at: h.at, hidden_reason: h.reason, hidden_by: h.by })
      .where('id', '=', commentId)
      .where('proposal_id', '=', proposalId)
      .where('hidden_at', 'is', null)
      .where('kind', '<>', 'objection')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
