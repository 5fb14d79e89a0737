import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';

/** Names of people from the register, by person or by account: one query for all ids of a page. */
@Injectable()
export class PersonNames {
  /** person id → real name (ids not found are absent). */
  async ofPeople(conn: Conn, personIds: readonly string[]): Promise<Map<string, string>> {
    if (!personIds.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select(['id', 'real_name'])
      .where('id', '=', sql<string>`ANY(${[...new Set(personIds)]}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r.real_name]));
  }

  /** account id → the account holder's real name (ids not found are absent). */
  async ofAccounts(conn: Conn, accountIds: readonly string[]): Promise<Map<string, string>> {
    if (!accountIds.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('account as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['a.id', 'p.real_name'])
      .where('a.id', '=', sql<string>`ANY(${[...new Set(accountIds)]}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r.real_name]));
  }
}
