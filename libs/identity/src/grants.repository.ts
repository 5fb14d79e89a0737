import { Injectable } from '@nestjs/common';
import { type Expression, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { type Conn, dbOf, startingWith } from '#platform';
import type { Role } from './role-names.js';
import type { RepresentativesMeetingCounts } from './views.js';

/** A live grant with its holder's name (the division's name is looked up per page). */
export interface GrantRow {
  id: string;
  personId: string;
  realName: string;
  role: Role;
  divisionCode: string;
  grantedAt: Date;
}

export interface GrantsFilter {
  divisionCode?: string;
  role?: Role;
  personId?: string;
}

/** The role_grant table's SQL. */
@Injectable()
export class GrantsRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  private rows() {
    return this.db
      .selectFrom('role_grant as g')
      .innerJoin('person as p', 'p.id', 'g.person_id')
      .select([
        'g.id',
        'g.person_id as personId',
        'p.real_name as realName',
        'g.role',
        'g.division_code as divisionCode',
        'g.granted_at as grantedAt',
      ]);
  }

  async insert(em: Conn, personId: string, role: Role, divisionCode: string, grantedBy: string | null, now: Date): Promise<string> {
    const r = await dbOf(em)
      .insertInto('role_grant')
      .values({ person_id: personId, role, division_code: divisionCode, granted_by: grantedBy, granted_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Grants `role` unless the person already holds it live there; returns the new grant's id, if any. */
  async ensure(
    em: Conn,
    personId: string,
    role: Role,
    divisionCode: string,
    grantedBy: string | null,
    now: Date,
  ): Promise<string | undefined> {
    const { rows } = await sql<{ id: string }>`INSERT INTO role_grant (person_id, role, division_code, granted_by, granted_at)
       VALUES (${personId}, ${role}, ${divisionCode}, ${grantedBy}, ${now})
       ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING RETURNING id`.execute(dbOf(em));
    return rows[0]?.id;
  }

  /** Grants each person the `roles` they do not already hold live at the village: the (person, role) pairs added, in one statement. */
  async ensureManyOf(
    em: Conn,
    wanted: readonly { personId: string; roles: readonly Role[] }[],
    divisionCode: string,
    grantedBy: string | null,
  ): Promise<{ personId: string; role: Role }[]> {
    const persons = wanted.flatMap((w) => w.roles.map(() => w.personId));
    if (!persons.length) return [];
    const { rows } = await sql<{ personId: string; role: Role }>`INSERT INTO role_grant (person_id, role, division_code, granted_by)
       SELECT w.person_id, w.role, ${divisionCode}, ${grantedBy}::uuid FROM unnest(${persons}::uuid[], ${wanted.flatMap((w) => w.roles)}::text[]) AS w (person_id, role)
       ON CONFLICT (person_id, role, division_code) WHERE revoked_at IS NULL DO NOTHING RETURNING person_id AS "personId", role`.execute(
      dbOf(em),
    );
    return rows;
  }

  /** Ends the person's live grants of `role` at the division; returns the ids ended. */
  async endLive(em: Conn, personId: string, role: Role, divisionCode: string, now: Date, revokedBy: string | null): Promise<string[]> {
    const rows = await dbOf(em)
      .updateTable('role_grant')
      .set({ revoked_at: now, revoked_by: revokedBy })
      .where('person_id', '=', personId)
      .where('role', '=', role)
      .where('division_code', '=', divisionCode)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Whether the person holds `role` live at the division, locking that grant (FOR SHARE) for the caller's transaction. */
  async lockLive(em: Conn, personId: string, role: Role, divisionCode: string): Promise<boolean> {
    const r = await dbOf(em)
      .selectFrom('role_grant')
      .select('id')
      .where('person_id', '=', personId)
      .where('role', '=', role)
      .where('division_code', '=', divisionCode)
      .where('revoked_at', 'is', null)
      .forShare()
      .executeTakeFirst();
    return r !== undefined;
  }

  live(grantId: string): Promise<{ role: Role; division_code: string; person_id: string } | undefined> {
    return this.db
      .selectFrom('role_grant')
      .select(['role', 'division_code', 'person_id'])
      .where('id', '=', grantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** Revokes a live grant; returns the rows changed (0: it was revoked meanwhile). */
  async revoke(em: Conn, grantId: string, revokedBy: string | null, now: Date): Promise<number> {
    const r = await dbOf(em)
      .updateTable('role_grant')
      .set({ revoked_at: now, revoked_by: revokedBy })
      .where('id', '=', grantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * The 村民代表会议's seats at the village, each person once: one who holds both seats counts as a
   * representative; women are counted among the representatives.
   */
  async meetingCounts(villageCode: string, roles: readonly Role[]): Promise<RepresentativesMeetingCounts> {
    const { rows } = await sql<RepresentativesMeetingCounts>`SELECT count(*) FILTER (WHERE NOT rep)::int AS "committeeMembers",
              count(*) FILTER (WHERE rep)::int AS representatives,
              count(*) FILTER (WHERE rep AND gender = 'F')::int AS "womenRepresentatives"
         FROM (SELECT p.id, p.gender, bool_or(g.role = 'village_representative') AS rep
                 FROM role_grant g JOIN person p ON p.id = g.person_id
                WHERE g.division_code = ${villageCode} AND g.revoked_at IS NULL AND g.role = ANY(${[...roles]}::text[])
                GROUP BY p.id, p.gender) x`.execute(this.db);
    return rows[0];
  }

  row(id: string): Promise<GrantRow | undefined> {
    return this.rows().where('g.id', '=', id).executeTakeFirst();
  }

  private filter(scopes: readonly string[], f: GrantsFilter): Expression<SqlBool>[] {
    const where: Expression<SqlBool>[] = [withinScopes('g.division_code', scopes), sql<SqlBool>`g.revoked_at IS NULL`];
    if (f.divisionCode) where.push(sql<SqlBool>`g.division_code LIKE ${startingWith(f.divisionCode)}`);
    if (f.role) where.push(sql<SqlBool>`g.role = ${f.role}`);
    if (f.personId) where.push(sql<SqlBool>`g.person_id = ${f.personId}::uuid`);
    return where;
  }

  async count(scopes: readonly string[], f: GrantsFilter): Promise<number> {
    const r = await this.db
      .selectFrom('role_grant as g')
      .select(sql<number>`count(*)::int`.as('total'))
      .where((eb) => eb.and(this.filter(scopes, f)))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  list(scopes: readonly string[], f: GrantsFilter, limit: number, offset: number): Promise<GrantRow[]> {
    return this.rows()
      .where((eb) => eb.and(this.filter(scopes, f)))
      .orderBy('g.division_code')
      .orderBy('g.role')
      .orderBy('p.real_name')
      .limit(limit)
      .offset(offset)
      .execute();
  }
}
