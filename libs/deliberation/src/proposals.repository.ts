import { Injectable } from '@nestjs/common';
import { type RawBuilder, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { allOf, type Conn, containing, dbOf, HotStatements, MicroBatcher, startingWith } from '#platform';
import type { BallotType, Category, DecidingBody, ReportKind } from './names.js';
import type { ProposalState } from './proposal-lifecycle.js';
import type { AttachmentView, ProposalEventView, ProposalVoteItem } from './views.js';

/** A proposal as the services read it (with its village's name). */
export interface ProposalRow {
  id: string;
  village_code: string;
  village_name: string;
  title: string;
  body: string;
  category: Category;
  amount_fen: string | null;
  deciding_body: DecidingBody;
  ballot_type: BallotType;
  allow_ballot_change: boolean;
  deliberation_days: number;
  publicity_days: number;
  status: ProposalState;
  origin: 'committee' | 'joint';
  joint_request_id: string | null;
  deliberation_started_at: Date | null;
  meeting_place: string | null;
  created_at: Date;
  updated_at: Date;
  is_demo: boolean;
}

/** The list's filters, already resolved to SQL terms by the service (visibility, scopes) or plain values. */
export interface ProposalListFilter {
  /** canSeeProposal's SQL form over alias `p` (proposal-access.ts visibleSql). */
  visible: RawBuilder<SqlBool>;
  divisionCode?: string;
  status?: ProposalState;
  category?: Category;
  decidingBody?: DecidingBody;
  from?: string;
  to?: string;
  q?: string;
  /** Open votes the person is an elector of and has not voted in yet, at `now`. */
  needsVoteOf?: { personId: string | null; now: Date };
  /** Proposals pending the township's review within these scopes. */
  reviewScopes?: readonly string[];
}

export interface NewProposal {
  villageCode: string;
  title: string;
  body: string;
  category: Category;
  amountFen: number | null;
  decidingBody: DecidingBody;
  ballotType: BallotType;
  allowBallotChange: boolean;
  deliberationDays: number;
  publicityDays: number;
  meetingPlace: string | null;
  createdBy: string | null;
  at: Date;
}

/** The fields a draft's edit may change; undefined or null leaves a field as it is (but amountFen: null clears it). */
export interface ProposalEdit {
  title?: string | null;
  body?: string | null;
  category?: Category | null;
  amountFen?: number | null;
  decidingBody?: DecidingBody | null;
  ballotType?: BallotType | null;
  allowBallotChange?: boolean | null;
  deliberationDays?: number | null;
  publicityDays?: number | null;
  meetingPlace?: string | null;
}

export interface NewEvent {
  proposalId: string;
  action: string;
  from: ProposalState | null;
  to: ProposalState;
  at: Date;
  actorAccountId: string | null;
  actorName: string;
  details: Record<string, unknown> | null;
}

/** The WHERE of the list: every term ANDed, the scope terms one `LIKE 'prefix%'` each. */
export function proposalListWhere(f: ProposalListFilter): RawBuilder<SqlBool> {
  const w: RawBuilder<SqlBool>[] = [f.visible];
  if (f.divisionCode) w.push(sql<SqlBool>`p.village_code LIKE ${startingWith(f.divisionCode)}`);
  if (f.status) w.push(sql<SqlBool>`p.status = ${f.status}`);
  if (f.category) w.push(sql<SqlBool>`p.category = ${f.category}`);
  if (f.decidingBody) w.push(sql<SqlBool>`p.deciding_body = ${f.decidingBody}`);
  if (f.from) w.push(sql<SqlBool>`p.created_at >= ${f.from}::timestamptz`);
  if (f.to) w.push(sql<SqlBool>`p.created_at < ${f.to}::timestamptz`);
  if (f.q) {
    const term = f.q.trim() || f.q;
    const like = sql<SqlBool>`(p.title || ' ' || p.body) ILIKE ${containing(term)}`;
    // One or two characters: no trigram to use; the character/pair index finds the candidates
    // (migration 1764376000000), ILIKE stays the exact check. Longer terms use the trigram index.
    if ([...term].length <= 2 && !/\s/.test(term)) {
      w.push(sql<SqlBool>`text_short_grams(p.title || ' ' || p.body) @> ARRAY[lower(${term}::text)]`, like);
    } else {
      w.push(like);
    }
  }
  if (f.needsVoteOf) {
    const { personId, now } = f.needsVoteOf;
    w.push(sql<SqlBool>`EXISTS (SELECT 1 FROM vote v JOIN vote_elector e ON e.vote_id = v.id AND e.person_id = ${personId}::uuid
                        WHERE v.proposal_id = p.id AND v.status = 'open' AND v.opens_at <= ${now} AND v.closes_at > ${now}
                          AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = e.person_id))`);
  }
  if (f.reviewScopes) w.push(sql<SqlBool>`p.status = 'pending_review'`, withinScopes('p.village_code', f.reviewScopes));
  return allOf(w);
}

/**
 * openVotesAwaiting's statement, for a batch of people: the same conditions as the "needs my vote" term of
 * proposalListWhere, each person at their own time, tagged with their place in the batch.
 */
const AWAITING_SQL = `SELECT i.idx, v.proposal_id, p.village_code, v.closes_at
  FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS i(person_id, at, idx)
  JOIN vote_elector e ON e.person_id = i.person_id
  JOIN vote v ON v.id = e.vote_id
  JOIN proposal p ON p.id = v.proposal_id
 WHERE v.status = 'open' AND v.opens_at <= i.at AND v.closes_at > i.at
   AND NOT EXISTS (SELECT 1 FROM ballot_participation b WHERE b.vote_id = v.id AND b.person_id = e.person_id)`;

/** A vote open now that awaits the person (openVotesAwaiting). */
export interface AwaitingVote {
  proposalId: string;
  villageCode: string;
  closesAt: Date;
}

/** An event's details: always a JSON object when written (insertEvent), else null. */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The proposal, its history and attachments: every statement over those tables. */
@Injectable()
export class ProposalsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly hot: HotStatements,
  ) {}

  /**
   * The proposals with a vote open now in which this person is an elector and has not yet taken part: the
   * candidates of the list's "needs my vote" term (proposalListWhere), read from the person's own electors
   * (vote_elector_person_idx) by a statement prepared once per connection, for every person asking at the
   * same moment in one round trip (MicroBatcher). Most residents have none most of the time, and then the
   * list is empty without its two planned statements (docs/performance.md).
   */
  openVotesAwaiting(personId: string, now: Date): Promise<AwaitingVote[]> {
    return this.awaitingBatch.submit({ personId, now });
  }

  private readonly awaitingBatch = new MicroBatcher<{ personId: string; now: Date }, AwaitingVote[]>(
    async (asks) => {
      const rows = await this.hot.rows<{ idx: string; proposal_id: string; village_code: string; closes_at: Date }>(AWAITING_SQL, [
        asks.map((a) => a.personId),
        asks.map((a) => a.now),
      ]);
      const out: AwaitingVote[][] = asks.map(() => []);
      for (const r of rows) out[Number(r.idx) - 1].push({ proposalId: r.proposal_id, villageCode: r.village_code, closesAt: r.closes_at });
      return out;
    },
    { maxBatch: 100, maxInFlight: 1 },
  );

  private rows(conn: Conn) {
    return dbOf(conn)
      .selectFrom('proposal as p')
      .innerJoin('division as d', 'd.code', 'p.village_code')
      .select([
        'p.id',
        'p.village_code',
        'd.name as village_name',
        'p.title',
        'p.body',
        'p.category',
        'p.amount_fen',
        'p.deciding_body',
        'p.ballot_type',
        'p.allow_ballot_change',
        'p.deliberation_days',
        'p.publicity_days',
        'p.status',
        'p.origin',
        'p.joint_request_id',
        'p.deliberation_started_at',
        'p.meeting_place',
        'p.created_at',
        'p.updated_at',
        'p.is_demo',
      ]);
  }

  /** The proposal, optionally locked (`FOR UPDATE OF p`). */
  find(conn: Conn, id: string, lock = false): Promise<ProposalRow | undefined> {
    let q = this.rows(conn).where('p.id', '=', id);
    if (lock) q = q.forUpdate('p');
    return q.executeTakeFirst();
  }

  async villageExists(conn: Conn, code: string): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('division')
      .select('code')
      .where('code', '=', code)
      .where('level', '=', 'village')
      .executeTakeFirst();
    return r !== undefined;
  }

  async insert(conn: Conn, p: NewProposal): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('proposal')
      .values({
        village_code: p.villageCode,
        title: p.title,
        body: p.body,
        category: p.category,
        amount_fen: p.amountFen,
        deciding_body: p.decidingBody,
        ballot_type: p.ballotType,
        allow_ballot_change: p.allowBallotChange,
        deliberation_days: p.deliberationDays,
        publicity_days: p.publicityDays,
        meeting_place: p.meetingPlace,
        created_by: p.createdBy,
        created_at: p.at,
        updated_at: p.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** The draft a 联名提议 forces when it reaches its threshold (category 'other', secret ballot, origin 'joint'). */
  async insertJoint(
    conn: Conn,
    p: { villageCode: string; title: string; body: string; decidingBody: DecidingBody; jointRequestId: string; at: Date },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('proposal')
      .values({
        village_code: p.villageCode,
        title: p.title,
        body: p.body,
        category: 'other',
        deciding_body: p.decidingBody,
        ballot_type: 'secret',
        origin: 'joint',
        joint_request_id: p.jointRequestId,
        created_at: p.at,
        updated_at: p.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Applies a draft's edit (only while it is a draft); the edit clears the pre-rules mark. */
  async updateDraft(conn: Conn, id: string, e: ProposalEdit): Promise<void> {
    await dbOf(conn)
      .updateTable('proposal')
      .set({
        ...(e.title != null && { title: e.title }),
        ...(e.body != null && { body: e.body }),
        ...(e.category != null && { category: e.category }),
        ...(e.amountFen !== undefined && { amount_fen: e.amountFen }),
        ...(e.decidingBody != null && { deciding_body: e.decidingBody }),
        ...(e.ballotType != null && { ballot_type: e.ballotType }),
        ...(e.allowBallotChange != null && { allow_ballot_change: e.allowBallotChange }),
        ...(e.deliberationDays != null && { deliberation_days: e.deliberationDays }),
        ...(e.publicityDays != null && { publicity_days: e.publicityDays }),
        ...(e.meetingPlace != null && { meeting_place: e.meetingPlace }),
        predates_matter_rules: false,
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .execute();
  }

  /**
   * The state transition itself: `UPDATE … WHERE id = $id AND status = $from`. False when another
   * transaction moved the proposal first (0 rows): the caller answers 409.
   */
  async transition(
    conn: Conn,
    id: string,
    from: ProposalState,
    to: ProposalState,
    at: Date,
    set: { deliberation_started_at?: Date } = {},
  ): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('proposal')
      .set({ status: to, updated_at: at, ...set })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async insertEvent(conn: Conn, e: NewEvent): Promise<void> {
    await dbOf(conn)
      .insertInto('proposal_event')
      .values({
        proposal_id: e.proposalId,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        at: e.at,
        actor_account_id: e.actorAccountId,
        actor_name: e.actorName,
        details: e.details ? JSON.stringify(e.details) : null,
      })
      .execute();
  }

  async deliberationStartedAt(conn: Conn, id: string): Promise<Date | null> {
    const r = await dbOf(conn).selectFrom('proposal').select('deliberation_started_at').where('id', '=', id).executeTakeFirstOrThrow();
    return r.deliberation_started_at;
  }

  async history(id: string): Promise<ProposalEventView[]> {
    const rows = await dbOf(this.ds)
      .selectFrom('proposal_event')
      .select(['action', 'from_status', 'to_status', 'at', 'actor_name', 'details'])
      .where('proposal_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      at: r.at.toISOString(),
      actorName: r.actor_name,
      details: isRecord(r.details) ? r.details : null,
    }));
  }

  async attachments(id: string): Promise<AttachmentView[]> {
    const rows = await dbOf(this.ds)
      .selectFrom('proposal_attachment')
      .select(['id', 'name', 'url', 'content_type', 'size_bytes', 'report_kind', 'created_at'])
      .where('proposal_id', '=', id)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      url: r.url,
      contentType: r.content_type,
      sizeBytes: r.size_bytes,
      reportKind: r.report_kind,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async votes(id: string): Promise<ProposalVoteItem[]> {
    const rows = await dbOf(this.ds)
      .selectFrom('vote')
      .select([
        'id',
        'purpose',
        'body',
        'ballot_type as ballotType',
        'status',
        'opens_at as opensAt',
        'closes_at as closesAt',
        'electorate',
        'households',
        'outcome',
      ])
      .where('proposal_id', '=', id)
      .orderBy('opens_at')
      .execute();
    return rows.map((r) => ({ ...r, opensAt: r.opensAt.toISOString(), closesAt: r.closesAt.toISOString() }));
  }

  /** Cuts the window of the proposal's open votes to `now` (at least a millisecond after opening); their ids. */
  async cutOpenVotes(conn: Conn, proposalId: string, now: Date): Promise<string[]> {
    const rows = await dbOf(conn)
      .updateTable('vote')
      .set({ closes_at: sql<Date>`greatest(opens_at + interval '1 millisecond', ${now})` })
      .where('proposal_id', '=', proposalId)
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async insertAttachment(
    conn: Conn,
    a: {
      proposalId: string;
      name: string;
      url: string | null;
      content: Buffer | null;
      contentType: string | null;
      reportKind: ReportKind | null;
      at: Date;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('proposal_attachment')
      .values({
        proposal_id: a.proposalId,
        name: a.name,
        url: a.url,
        content: a.content,
        content_type: a.contentType,
        size_bytes: a.content?.length ?? 0,
        report_kind: a.reportKind,
        created_at: a.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  attachment(proposalId: string, attachmentId: string) {
    return dbOf(this.ds)
      .selectFrom('proposal_attachment')
      .select(['name', 'url', 'content', 'content_type as contentType'])
      .where('id', '=', attachmentId)
      .where('proposal_id', '=', proposalId)
      .executeTakeFirst();
  }

  async count(f: ProposalListFilter): Promise<number> {
    const where = proposalListWhere(f);
    const r = await dbOf(this.ds)
      .selectFrom('proposal as p')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(where)
      .executeTakeFirstOrThrow();
    return r.total;
  }

  page(f: ProposalListFilter, limit: number, offset: number): Promise<ProposalRow[]> {
    const where = proposalListWhere(f);
    return this.rows(this.ds).where(where).orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(limit).offset(offset).execute();
  }
}
