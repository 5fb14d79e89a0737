import { Injectable } from '@nestjs/common';
import { type RawBuilder, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { allOf, type Conn, dbOf, startingWith } from '#platform';
import type { JointConvenes, JointKind } from './names.js';
import type { ProposalState } from './proposal-lifecycle.js';
import type { JointRequestView } from './views.js';

/** Proposal states in which a forced meeting is not yet convened (its vote not opened). */
const NOT_CONVENED: readonly ProposalState[] = ['draft', 'proposed', 'consulted', 'party_voting', 'pending_review', 'deliberation'];

/** Which requests a list or lookup covers. */
export interface JointFilter {
  /** The caller's scopes: one `LIKE 'prefix%'` term each. */
  scopes: readonly string[];
  id?: string;
  divisionCode?: string;
  /** Reached and not yet convened. */
  pending?: boolean;
  /** Reached at or before this instant. */
  reachedBy?: Date;
}

/** What the view computes for the caller: their signature, and how long a request has waited. */
export interface JointViewContext {
  personId: string | null;
  now: Date;
  overdueDays: number;
}

const pendingSql = () =>
  sql<SqlBool>`j.status = 'reached' AND EXISTS (SELECT 1 FROM proposal jp WHERE jp.id = j.proposal_id AND jp.status = ANY(${[...NOT_CONVENED]}::text[]))`;

/** 联名提议's SQL (joint_request, joint_signature). */
@Injectable()
export class JointRequestsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The request's village and kind, and whether the person signed it. */
  signerFacts(conn: Conn, id: string, personId: string): Promise<{ village_code: string; kind: JointKind; signed: boolean } | undefined> {
    return dbOf(conn)
      .selectFrom('joint_request as j')
      .select([
        'j.village_code',
        'j.kind',
        sql<boolean>`EXISTS (SELECT 1 FROM joint_signature s WHERE s.request_id = j.id AND s.person_id = ${personId})`.as('signed'),
      ])
      .where('j.id', '=', id)
      .executeTakeFirst();
  }

  head(conn: Conn, id: string): Promise<{ village_code: string; kind: JointKind } | undefined> {
    return dbOf(conn).selectFrom('joint_request').select(['village_code', 'kind']).where('id', '=', id).executeTakeFirst();
  }

  /** Locks the request (`FOR UPDATE`) and reads what a signature needs. */
  lock(conn: Conn, id: string) {
    return dbOf(conn)
      .selectFrom('joint_request')
      .select(['village_code', 'kind', 'convenes', 'title', 'body', 'base', 'status', 'created_by'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  async insert(
    conn: Conn,
    r: {
      villageCode: string;
      kind: JointKind;
      convenes: JointConvenes;
      title: string;
      body: string;
      base: number;
      threshold: number;
      createdBy: string;
      at: Date;
    },
  ): Promise<string> {
    const row = await dbOf(conn)
      .insertInto('joint_request')
      .values({
        village_code: r.villageCode,
        kind: r.kind,
        convenes: r.convenes,
        title: r.title,
        body: r.body,
        base: r.base,
        threshold: r.threshold,
        created_by: r.createdBy,
        created_at: r.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Adds the person's signature; false when they had signed already (ON CONFLICT DO NOTHING). */
  async addSignature(conn: Conn, id: string, personId: string, day: string): Promise<boolean> {
    const r = await dbOf(conn)
      .insertInto('joint_signature')
      .values({ request_id: id, person_id: personId, signed_on: day })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async signers(conn: Conn, id: string): Promise<string[]> {
    const rows = await dbOf(conn).selectFrom('joint_signature').select('person_id').where('request_id', '=', id).execute();
    return rows.map((r) => r.person_id);
  }

  async markReached(conn: Conn, id: string, at: Date, proposalId: string): Promise<void> {
    await dbOf(conn)
      .updateTable('joint_request')
      .set({ status: 'reached', reached_at: at, proposal_id: proposalId })
      .where('id', '=', id)
      .where('status', '=', 'collecting')
      .execute();
  }

  /** `UPDATE … WHERE status = 'collecting'`: false when it was no longer collecting. */
  async withdraw(conn: Conn, id: string, at: Date): Promise<boolean> {
    const r = await dbOf(conn)
      .updateTable('joint_request')
      .set({ status: 'withdrawn', withdrawn_at: at })
      .where('id', '=', id)
      .where('status', '=', 'collecting')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  private where(f: JointFilter): RawBuilder<SqlBool> {
    const w: RawBuilder<SqlBool>[] = [withinScopes('j.village_code', f.scopes)];
    if (f.id) w.push(sql<SqlBool>`j.id = ${f.id}::uuid`);
    if (f.pending) w.push(pendingSql());
    if (f.reachedBy) w.push(sql<SqlBool>`j.reached_at <= ${f.reachedBy}::timestamptz`);
    if (f.divisionCode) w.push(sql<SqlBool>`j.village_code LIKE ${startingWith(f.divisionCode)}`);
    return allOf(w);
  }

  async count(f: JointFilter): Promise<number> {
    const r = await dbOf(this.ds)
      .selectFrom('joint_request as j')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(this.where(f))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  /** The requests as the caller sees them; newest first, or (`byReached`) longest waiting first. */
  async views(f: JointFilter, c: JointViewContext, limit: number, offset: number, byReached = false): Promise<JointRequestView[]> {
    const notConvened = [...NOT_CONVENED];
    let q = dbOf(this.ds)
      .selectFrom('joint_request as j')
      .innerJoin('division as d', 'd.code', 'j.village_code')
      .leftJoin('proposal as p', 'p.id', 'j.proposal_id')
      .select([
        'j.id',
        'j.village_code',
        'd.name as village_name',
        'j.kind',
        'j.convenes',
        'j.title',
        'j.body',
        'j.base',
        'j.threshold',
        sql<number>`(SELECT count(*)::int FROM joint_signature s WHERE s.request_id = j.id)`.as('signatures'),
        'j.status',
        'j.proposal_id',
        'p.status as proposal_status',
        'j.created_at',
        'j.reached_at',
        sql<
          number | null
        >`CASE WHEN p.status = ANY(${notConvened}::text[]) THEN floor(extract(epoch FROM ${c.now}::timestamptz - j.reached_at) / 86400)::int END`.as(
          'pending_days',
        ),
        sql<boolean>`coalesce(p.status = ANY(${notConvened}::text[]) AND j.reached_at <= ${c.now}::timestamptz - make_interval(days => ${c.overdueDays}::int), false)`.as(
          'overdue',
        ),
        sql<boolean>`EXISTS (SELECT 1 FROM joint_signature s WHERE s.request_id = j.id AND s.person_id = ${c.personId}::uuid)`.as(
          'signed_by_me',
        ),
        sql<boolean>`coalesce(j.created_by = ${c.personId}::uuid, false)`.as('created_by_me'),
      ])
      .where(this.where(f));
    q = byReached ? q.orderBy('j.reached_at').orderBy('j.id') : q.orderBy('j.created_at', 'desc').orderBy('j.id');
    const rows = await q.limit(limit).offset(offset).execute();
    return rows.map((r) => ({
      id: r.id,
      villageCode: r.village_code,
      villageName: r.village_name,
      kind: r.kind,
      convenes: r.convenes,
      title: r.title,
      body: r.body,
      base: r.base,
      threshold: r.threshold,
      signatures: r.signatures,
      status: r.status,
      proposalId: r.proposal_id,
      proposalStatus: r.proposal_status,
      createdAt: r.created_at.toISOString(),
      reachedAt: r.reached_at?.toISOString() ?? null,
      pendingDays: r.pending_days,
      overdue: r.overdue,
      signedByMe: r.signed_by_me,
      createdByMe: r.created_by_me,
    }));
  }
}
