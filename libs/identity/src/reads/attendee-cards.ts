import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { containing, type Conn, dbOf, startingWith } from '#platform';

/** What a meeting's sign-in sheet shows of an elector: enough to tell namesakes apart, and who is offline. */
export interface AttendeeCard {
  id: string;
  name: string;
  householdNo: string | null;
  /** The last 4 characters of the ID number (from its stored mask). */
  idLast4: string | null;
  noSmartphone: boolean;
  helperName: string | null;
}

/** Identity's register read for meetings (sign-in sheet, staff-phone search, turnout): by batch of ids, never a JOIN from outside. */
@Injectable()
export class AttendeeCards {
  async byIds(conn: Conn, ids: readonly string[]): Promise<Map<string, AttendeeCard>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person as p')
      .leftJoin('person as h', 'h.id', 'p.helper_person_id')
      .select([
        'p.id',
        'p.real_name as name',
        'p.household_no as householdNo',
        'p.id_number_masked as masked',
        'p.no_smartphone as noSmartphone',
        'h.real_name as helperName',
      ])
      .where('p.id', '=', sql<string>`ANY(${unique}::uuid[])`)
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          name: r.name,
          householdNo: r.householdNo,
          idLast4: r.masked.length >= 4 && !r.masked.endsWith('*') ? r.masked.slice(-4) : null,
          noSmartphone: r.noSmartphone,
          helperName: r.helperName,
        },
      ]),
    );
  }

  /** Those of `ids` whose name contains `q` or whose household number starts with it, by name (at most `limit`). */
  async matching(conn: Conn, ids: readonly string[], q: string, limit: number): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select('id')
      .where('id', '=', sql<string>`ANY(${unique}::uuid[])`)
      .where((eb) => eb.or([eb('real_name', 'like', containing(q)), eb('household_no', 'like', startingWith(q))]))
      .orderBy('household_no')
      .orderBy('real_name')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** How many of `ids` the register flags 无智能手机. */
  async offlineAmong(conn: Conn, ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const r = await dbOf(conn)
      .selectFrom('person')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('id', '=', sql<string>`ANY(${[...new Set(ids)]}::uuid[])`)
      .where('no_smartphone', '=', true)
      .executeTakeFirstOrThrow();
    return r.n;
  }
}
