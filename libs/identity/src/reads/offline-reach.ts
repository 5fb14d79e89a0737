import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';

/**
 * A person the app does not reach (no active account, or flagged 无智能手机 in the register), with
 * whether the register has a phone for them and for their helper (a family member who relays notices).
 */
export interface OfflinePerson {
  personId: string;
  name: string;
  hasPhone: boolean;
  helperId: string | null;
  helperName: string | null;
  helperHasPhone: boolean;
}

/**
 * Identity's reads for messages outside the app: who among some people is offline, and a recipient's
 * encrypted phone at send time (the outbox keeps no phone number of its own).
 */
@Injectable()
export class OfflineReach {
  /** Those of `personIds` with no active account or flagged no_smartphone, one statement for all of them. */
  async offlineAmong(conn: Conn, personIds: readonly string[]): Promise<OfflinePerson[]> {
    const ids = [...new Set(personIds)];
    if (!ids.length) return [];
    return dbOf(conn)
      .selectFrom('person as p')
      .leftJoin('person as h', 'h.id', 'p.helper_person_id')
      .select([
        'p.id as personId',
        'p.real_name as name',
        sql<boolean>`p.phone_enc IS NOT NULL`.as('hasPhone'),
        'h.id as helperId',
        'h.real_name as helperName',
        sql<boolean>`h.phone_enc IS NOT NULL`.as('helperHasPhone'),
      ])
      .where('p.id', '=', sql<string>`ANY(${ids}::uuid[])`)
      .where((eb) =>
        eb.or([
          eb('p.no_smartphone', '=', true),
          eb.not(
            eb.exists(eb.selectFrom('account as a').select('a.id').whereRef('a.person_id', '=', 'p.id').where('a.status', '=', 'active')),
          ),
        ]),
      )
      .orderBy('p.id')
      .execute();
  }

  /** A recipient's encrypted phone and masked phone as the register has them now (null: none, or no such person). */
  async phoneOf(conn: Conn, personId: string): Promise<{ phoneEnc: Buffer; phoneMasked: string } | null> {
    const r = await dbOf(conn)
      .selectFrom('person')
      .select(['phone_enc as phoneEnc', 'phone_masked as phoneMasked'])
      .where('id', '=', personId)
      .executeTakeFirst();
    return r?.phoneEnc && r.phoneMasked ? { phoneEnc: r.phoneEnc, phoneMasked: r.phoneMasked } : null;
  }

  /** Names and masked phones by person id, for a page of the outbox (unknown ids are absent). */
  async cards(conn: Conn, personIds: readonly string[]): Promise<Map<string, { name: string; phoneMasked: string | null }>> {
    const ids = [...new Set(personIds)];
    if (!ids.length) return new Map();
    const rows = await dbOf(conn)
      .selectFrom('person')
      .select(['id', 'real_name as name', 'phone_masked as phoneMasked'])
      .where('id', '=', sql<string>`ANY(${ids}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, { name: r.name, phoneMasked: r.phoneMasked }]));
  }
}
