import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { Role } from '../roles.js';

/** A person holding a role (an unrevoked grant) at a division. */
export interface RoleHolder {
  personId: string;
  name: string;
}

/**
 * Who holds a role at a division, for other modules (a committee's mediators, say): read through
 * identity, never by naming role_grant or person in their SQL. Takes the caller's connection, so a
 * transaction reads under its own locks.
 */
@Injectable()
export class RoleHolders {
  /** Everyone holding `role` at exactly `divisionCode`, by name. */
  async holders(conn: Conn, role: Role, divisionCode: string): Promise<RoleHolder[]> {
    return dbOf(conn)
      .selectFrom('role_grant as g')
      .innerJoin('person as p', 'p.id', 'g.person_id')
      .select(['p.id as personId', 'p.real_name as name'])
      .distinct()
      .where('g.role', '=', role)
      .where('g.division_code', '=', divisionCode)
      .where('g.revoked_at', 'is', null)
      .orderBy('name')
      .orderBy('personId')
      .execute();
  }

  /** Of `personIds`, those holding `role` at exactly `divisionCode`. */
  async holding(conn: Conn, personIds: readonly string[], role: Role, divisionCode: string): Promise<string[]> {
    if (!personIds.length) return [];
    const rows = await dbOf(conn)
      .selectFrom('role_grant')
      .select('person_id')
      .distinct()
      .where('person_id', '=', sql<string>`ANY(${[...personIds]}::uuid[])`)
      .where('role', '=', role)
      .where('division_code', '=', divisionCode)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.person_id);
  }
}
