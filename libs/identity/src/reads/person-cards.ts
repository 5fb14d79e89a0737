import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, type ReadConn, startingWith } from '#platform';

/** What other modules may show of a registered person: name, masked id number, gender, household. */
export interface PersonCard {
  id: string;
  realName: string;
  idNumberMasked: string;
  gender: 'M' | 'F';
  householdNo: string | null;
}

/**
 * Identity's register read by id, for modules that keep person ids in their own tables (the
 * collective organizations' members and officers): one statement per batch, never a JOIN from outside.
 */
@Injectable()
export class PersonCards {
  /** The cards of `ids` (unknown ids are left out), by id. */
  async byIds(conn: ReadConn, ids: readonly string[]): Promise<Map<string, PersonCard>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select(['id', 'real_name as realName', 'id_number_masked as idNumberMasked', 'gender', 'household_no as householdNo'])
      .where('id', '=', sql<string>`ANY(${unique}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The cards of those of `ids` whose home lies inside `divisionCode`. */
  async livingWithin(conn: Conn, ids: readonly string[], divisionCode: string): Promise<Map<string, PersonCard>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select(['id', 'real_name as realName', 'id_number_masked as idNumberMasked', 'gender', 'household_no as householdNo'])
      .where('id', '=', sql<string>`ANY(${unique}::uuid[])`)
      .where('home_division_code', 'like', startingWith(divisionCode))
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Those of `ids` of full age on `day` (18 or over, 民法典 Art. 17–18), with their household, ordered
   * by id: the electors a register yields.
   */
  adultsOn(conn: Conn, ids: readonly string[], day: string): Promise<{ personId: string; householdNo: string | null }[]> {
    if (!ids.length) return Promise.resolve([]);
    return dbOf(conn)
      .selectFrom('person')
      .select(['id as personId', 'household_no as householdNo'])
      .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
      .where(sql<boolean>`birth_date <= (${day}::date - interval '18 years')::date`)
      .orderBy('id')
      .execute();
  }

  /** Those of `ids` in the register, with their household, ordered by id. */
  async households(conn: Conn, ids: readonly string[]): Promise<{ personId: string; householdNo: string | null }[]> {
    if (!ids.length) return [];
    return dbOf(conn)
      .selectFrom('person')
      .select(['id as personId', 'household_no as householdNo'])
      .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
      .orderBy('id')
      .execute();
  }
}
