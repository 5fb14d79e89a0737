import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { withinScopes } from '#divisions';
import { type Conn, dbOf, startingWith } from '#platform';

/** A notice row; the village's name is looked up by the service, the outcome read by noticeOutcomeOf. */
export interface NoticeRow {
  id: string;
  proposalId: string;
  villageCode: string;
  kind: 'resolution' | 'implementation';
  title: string;
  body: string;
  outcome: unknown;
  committeeName: string;
  publishedAt: Date;
  publicityEndsAt: Date;
  isDemo: boolean;
}

export interface NoticeFilter {
  /** The caller's notice.read scopes. */
  scopes: readonly string[];
  within?: string;
  kind?: 'resolution' | 'implementation';
  /** Only notices in their publicity period at this instant. */
  currentAt?: Date;
}

export interface NewNotice {
  proposalId: string;
  villageCode: string;
  kind: 'resolution' | 'implementation';
  title: string;
  body: string;
  /** The tally a resolution states (JSON), null for an implementation report. */
  outcome: unknown;
  committeeName: string;
  publishedAt: Date;
  publicityEndsAt: Date;
  isDemo: boolean;
}

const COLUMNS = [
  'n.id',
  'n.proposal_id as proposalId',
  'n.village_code as villageCode',
  'n.kind',
  'n.title',
  'n.body',
  'n.outcome',
  'n.committee_name as committeeName',
  'n.published_at as publishedAt',
  'n.publicity_ends_at as publicityEndsAt',
  'n.is_demo as isDemo',
] as const;

/** The notice table's SQL (村务公开栏). */
@Injectable()
export class NoticesRepository {
  /** The latest closed decision vote of a proposal. */
  async latestClosedDecision(conn: Conn, proposalId: string): Promise<string | undefined> {
    const r = await dbOf(conn)
      .selectFrom('vote')
      .select('id')
      .where('proposal_id', '=', proposalId)
      .where('purpose', '=', 'decision')
      .where('status', '=', 'closed')
      .orderBy('opens_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r?.id;
  }

  async insert(conn: Conn, n: NewNotice): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('notice')
      .values({
        proposal_id: n.proposalId,
        village_code: n.villageCode,
        kind: n.kind,
        title: n.title,
        body: n.body,
        outcome: n.outcome === null ? null : JSON.stringify(n.outcome),
        committee_name: n.committeeName,
        published_at: n.publishedAt,
        publicity_ends_at: n.publicityEndsAt,
        is_demo: n.isDemo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Whether the proposal's resolution notice states a passed vote, and how many implementation reports it has. */
  standing(conn: Conn, proposalId: string): Promise<{ passed: boolean; reports: number }> {
    return dbOf(conn)
      .selectNoFrom([
        sql<boolean>`EXISTS (SELECT 1 FROM notice WHERE proposal_id = ${proposalId} AND kind = 'resolution' AND outcome->>'outcome' = 'passed')`.as(
          'passed',
        ),
        sql<number>`(SELECT count(*)::int FROM notice WHERE proposal_id = ${proposalId} AND kind = 'implementation')`.as('reports'),
      ])
      .executeTakeFirstOrThrow();
  }

  private filtered(conn: Conn, f: NoticeFilter) {
    let q = dbOf(conn).selectFrom('notice as n').where(withinScopes('n.village_code', f.scopes));
    if (f.within) q = q.where('n.village_code', 'like', startingWith(f.within));
    if (f.kind) q = q.where('n.kind', '=', f.kind);
    if (f.currentAt) q = q.where('n.published_at', '<=', f.currentAt).where('n.publicity_ends_at', '>', f.currentAt);
    return q;
  }

  async count(conn: Conn, f: NoticeFilter): Promise<number> {
    const r = await this.filtered(conn, f)
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  list(conn: Conn, f: NoticeFilter, limit: number, offset: number): Promise<NoticeRow[]> {
    return this.filtered(conn, f).select(COLUMNS).orderBy('n.published_at', 'desc').orderBy('n.id').limit(limit).offset(offset).execute();
  }

  /** A village's resolution and implementation notices published in [from, to), oldest first. */
  publishedBetween(
    conn: Conn,
    villageCode: string,
    from: Date,
    to: Date,
  ): Promise<{ id: string; proposalId: string; kind: 'resolution' | 'implementation'; title: string; publishedAt: Date }[]> {
    return dbOf(conn)
      .selectFrom('notice')
      .select(['id', 'proposal_id as proposalId', 'kind', 'title', 'published_at as publishedAt'])
      .where('village_code', '=', villageCode)
      .where('published_at', '>=', from)
      .where('published_at', '<', to)
      .orderBy('published_at')
      .execute();
  }

  byId(conn: Conn, id: string): Promise<NoticeRow | undefined> {
    return dbOf(conn).selectFrom('notice as n').select(COLUMNS).where('n.id', '=', id).executeTakeFirst();
  }
}
