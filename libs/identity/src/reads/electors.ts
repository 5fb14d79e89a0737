import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { Role } from '../role-names.js';

/** A person holding live role grants at a division, with the roles held there. */
export interface RosterEntry {
  personId: string;
  householdNo: string | null;
  /** The live roles among those asked for. */
  roles: Role[];
}

/** What a proxy check needs to know of a person: household, home division, age on a day. */
export interface HouseholdFacts {
  personId: string;
  householdNo: string | null;
  homeDivisionCode: string;
  /** 18 or over on the day asked for. */
  adult: boolean;
}

export interface RosterFilter {
  /** Only those 18 or over on that day (a 长治 calendar day, 'YYYY-MM-DD'). */
  adultOn?: string;
  /** Only this person. */
  personId?: string;
}

/**
 * The people holding any of `roles` (live grants) at `divisionCode`, each once with the roles held
 * there, as a query (columns personId, householdNo, roles) that a caller may run or build on: the
 * electorate freeze inserts from it in one statement, so a 10,000-person village never leaves the database.
 */
export function divisionRosterQuery(conn: Conn, divisionCode: string, roles: readonly Role[], only: RosterFilter = {}) {
  let q = dbOf(conn)
    .selectFrom('role_grant as g')
    .innerJoin('person as p', 'p.id', 'g.person_id')
    .select(['p.id as personId', 'p.household_no as householdNo', sql<Role[]>`array_agg(DISTINCT g.role)`.as('roles')])
    .where('g.division_code', '=', divisionCode)
    .where('g.revoked_at', 'is', null)
    .where('g.role', '=', sql<Role>`ANY(${[...roles]}::text[])`)
    .groupBy(['p.id', 'p.household_no']);
  if (only.adultOn) q = q.where('p.birth_date', '<=', sql<Date>`(${only.adultOn}::date - interval '18 years')::date`);
  if (only.personId) q = q.where('p.id', '=', only.personId);
  return q;
}

export type RosterQuery = ReturnType<typeof divisionRosterQuery>;

/** The people holding any of `roles` (live grants) at `divisionCode`, each once with the roles held. */
export function divisionRoster(conn: Conn, divisionCode: string, roles: readonly Role[], only: RosterFilter = {}): Promise<RosterEntry[]> {
  return divisionRosterQuery(conn, divisionCode, roles, only).execute();
}

/** Identity's reads for who may vote, sign or be told: role holders of a division and household facts. */
@Injectable()
export class ElectorReads {
  divisionRoster(conn: Conn, divisionCode: string, roles: readonly Role[], only?: RosterFilter): Promise<RosterEntry[]> {
    return divisionRoster(conn, divisionCode, roles, only);
  }

  divisionRosterQuery(conn: Conn, divisionCode: string, roles: readonly Role[], only?: RosterFilter): RosterQuery {
    return divisionRosterQuery(conn, divisionCode, roles, only);
  }

  /** The ids of the people holding `role` (live) at `divisionCode`. */
  async holdersOf(conn: Conn, divisionCode: string, role: Role): Promise<string[]> {
    const rows = await dbOf(conn)
      .selectFrom('role_grant')
      .select('person_id')
      .distinct()
      .where('division_code', '=', divisionCode)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.person_id);
  }

  /** The live holders of `role` at each of `divisionCodes` (codes without holders are absent): one statement for a batch. */
  async holdersIn(conn: Conn, divisionCodes: readonly string[], role: Role): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!divisionCodes.length) return out;
    const rows = await dbOf(conn)
      .selectFrom('role_grant')
      .select(['division_code', 'person_id'])
      .distinct()
      .where('division_code', '=', sql<string>`ANY(${[...new Set(divisionCodes)]}::varchar[])`)
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .execute();
    for (const r of rows) out.set(r.division_code, [...(out.get(r.division_code) ?? []), r.person_id]);
    return out;
  }

  /**
   * Whether the person held `role` at `divisionCode` at the instant `at`: granted at or before it and not
   * revoked by then (a grant's dates are the record of a sanction's start and end).
   */
  async heldAt(conn: Conn, personId: string, role: Role, divisionCode: string, at: Date): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('role_grant')
      .select('id')
      .where('person_id', '=', personId)
      .where('role', '=', role)
      .where('division_code', '=', divisionCode)
      .where('granted_at', '<=', at)
      .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', at)]))
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Household, home division and adulthood on `day` of one person (undefined: no such person). */
  householdFacts(conn: Conn, personId: string, day: string): Promise<HouseholdFacts | undefined> {
    return dbOf(conn)
      .selectFrom('person')
      .select([
        'id as personId',
        'household_no as householdNo',
        'home_division_code as homeDivisionCode',
        sql<boolean>`birth_date <= (${day}::date - interval '18 years')::date`.as('adult'),
      ])
      .where('id', '=', personId)
      .executeTakeFirst();
  }
}
