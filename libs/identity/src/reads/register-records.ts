import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';

/** A person's register entry as another module may need it to act for them (identifiers encrypted). */
export interface RegisterContact {
  realName: string;
  idNumberEnc: Buffer;
  phoneEnc: Buffer | null;
}

/**
 * The village register (person) as other modules read it: names for display, a record found by its
 * ID number's hash, a person's own identifiers. Batch lookups take every id of a page at once.
 */
@Injectable()
export class RegisterRecords {
  /** Real names by person id (one query for all of them); unknown ids are absent. */
  async names(conn: Conn, personIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds)];
    if (!ids.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select(['id', 'real_name'])
      .where('id', '=', sql<string>`ANY(${ids}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r.real_name]));
  }

  /** The person registered with this ID number (by its keyed hash), if any. */
  async idByIdNumberHash(conn: Conn, hash: Buffer): Promise<string | null> {
    const r = await dbOf(conn).selectFrom('person').select('id').where('id_number_hash', '=', hash).executeTakeFirst();
    return r?.id ?? null;
  }

  /** A person's name and encrypted identifiers (for a resident acting for themselves). */
  async contact(conn: Conn, personId: string): Promise<RegisterContact | null> {
    const r = await dbOf(conn)
      .selectFrom('person')
      .select(['real_name as realName', 'id_number_enc as idNumberEnc', 'phone_enc as phoneEnc'])
      .where('id', '=', personId)
      .executeTakeFirst();
    return r ?? null;
  }
}
