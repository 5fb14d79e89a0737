import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { withinScopes } from '#divisions';
import { type Conn, dbOf, startingWith } from '#platform';
import type { Category } from './names.js';

/** An authorisation row with the title of the granting proposal; names of village and recorder are looked up by the service. */
export interface AuthorisationRow {
  id: string;
  villageCode: string;
  categories: string[];
  validFrom: string;
  validTo: string;
  grantedByProposalId: string | null;
  grantedByTitle: string | null;
  charterClause: string | null;
  note: string | null;
  recordedAt: Date;
  recordedBy: string;
  validToday: boolean;
}

export interface AuthorisationFilter {
  /** The caller's proposal.read scopes. */
  scopes: readonly string[];
  id?: string;
  /** A division whose villages' authorisations are wanted. */
  within?: string;
}

/** representatives_authorisation's SQL. */
@Injectable()
export class AuthorisationsRepository {
  /** Whether an authorisation of the village covers the category on `day`. */
  async covers(conn: Conn, villageCode: string, category: Category, day: string): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('representatives_authorisation')
      .select(sql<number>`1`.as('one'))
      .where('village_code', '=', villageCode)
      .where(sql<boolean>`${category} = ANY(categories)`)
      .where('valid_from', '<=', sql<Date>`${day}::date`)
      .where('valid_to', '>=', sql<Date>`${day}::date`)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** A proposal as the grant of an authorisation: its village, deciding body, and whether its decision vote passed. */
  grantingProposal(conn: Conn, proposalId: string): Promise<{ villageCode: string; decidingBody: string; passed: boolean } | undefined> {
    return dbOf(conn)
      .selectFrom('proposal as p')
      .select([
        'p.village_code as villageCode',
        'p.deciding_body as decidingBody',
        sql<boolean>`EXISTS (SELECT 1 FROM vote v WHERE v.proposal_id = p.id AND v.purpose = 'decision' AND v.outcome = 'passed')`.as(
          'passed',
        ),
      ])
      .where('p.id', '=', proposalId)
      .executeTakeFirst();
  }

  async insert(
    conn: Conn,
    a: {
      villageCode: string;
      categories: Category[];
      validFrom: string;
      validTo: string;
      grantedByProposalId: string | null;
      charterClause: string | null;
      note: string | null;
      recordedBy: string;
      recordedAt: Date;
    },
  ): Promise<string> {
    const r = await dbOf(conn)
      .insertInto('representatives_authorisation')
      .values({
        village_code: a.villageCode,
        categories: a.categories,
        valid_from: a.validFrom,
        valid_to: a.validTo,
        granted_by_proposal_id: a.grantedByProposalId,
        charter_clause: a.charterClause,
        note: a.note,
        recorded_by: a.recordedBy,
        recorded_at: a.recordedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  private filtered(conn: Conn, f: AuthorisationFilter) {
    let q = dbOf(conn).selectFrom('representatives_authorisation as a').where(withinScopes('a.village_code', f.scopes));
    if (f.id) q = q.where('a.id', '=', f.id);
    if (f.within) q = q.where('a.village_code', 'like', startingWith(f.within));
    return q;
  }

  async count(conn: Conn, f: AuthorisationFilter): Promise<number> {
    const r = await this.filtered(conn, f)
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  /** A page, the latest-ending first; `today` decides validToday. */
  list(conn: Conn, f: AuthorisationFilter, today: string, limit: number, offset: number): Promise<AuthorisationRow[]> {
    return this.filtered(conn, f)
      .leftJoin('proposal as gp', 'gp.id', 'a.granted_by_proposal_id')
      .select([
        'a.id',
        'a.village_code as villageCode',
        'a.categories',
        sql<string>`a.valid_from::text`.as('validFrom'),
        sql<string>`a.valid_to::text`.as('validTo'),
        'a.granted_by_proposal_id as grantedByProposalId',
        'gp.title as grantedByTitle',
        'a.charter_clause as charterClause',
        'a.note',
        'a.recorded_at as recordedAt',
        'a.recorded_by as recordedBy',
        sql<boolean>`(a.valid_from <= ${today}::date AND a.valid_to >= ${today}::date)`.as('validToday'),
      ])
      .orderBy('a.valid_to', 'desc')
      .orderBy('a.recorded_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }
}
