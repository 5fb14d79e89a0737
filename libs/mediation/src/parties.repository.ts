import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf } from '#platform';
import type { PartyRecord } from './case-privacy.js';
import type { PartyRole } from './names.js';

/** A party row to insert: identifiers already encrypted, hashed and masked. */
export interface NewPartyRow {
  ord: number;
  role: PartyRole;
  kind: 'person' | 'organization';
  name: string;
  idNumberEnc: Buffer | null;
  idNumberHash: Buffer | null;
  idNumberMasked: string | null;
  phoneEnc: Buffer | null;
  phoneHash: Buffer | null;
  phoneMasked: string | null;
  address: string | null;
  creditCode: string | null;
  personId: string | null;
  representsOrd: number | null;
}

/** A party as the agreement checks it. */
export interface PrincipalCheck {
  id: string;
  ord: number;
  role: PartyRole;
  kind: 'person' | 'organization';
  name: string;
  hasId: boolean;
}

/** The parties of cases (mediation_party): identifiers stay encrypted here; the services decrypt. */
@Injectable()
export class PartiesRepository {
  private view(conn: Conn) {
    return dbOf(conn)
      .selectFrom('mediation_party')
      .select([
        'id',
        'ord',
        'party_role as partyRole',
        'kind',
        'name',
        'id_number_masked as idNumberMasked',
        'phone_masked as phoneMasked',
        'address',
        'credit_code as creditCode',
        'represents_ord as representsOrd',
        'case_id as caseId',
      ]);
  }

  /** The parties of every case of a page, by case (one query). */
  async ofCases(conn: Conn, caseIds: readonly string[]): Promise<Map<string, PartyRecord[]>> {
    const map = new Map<string, PartyRecord[]>();
    if (!caseIds.length) return map;
    const rows = await this.view(conn)
      .where('case_id', '=', sql<string>`ANY(${[...caseIds]}::uuid[])`)
      .orderBy('case_id')
      .orderBy('ord')
      .execute();
    for (const { caseId, ...p } of rows) {
      const list = map.get(caseId) ?? [];
      list.push(p);
      map.set(caseId, list);
    }
    return map;
  }

  /** The parties of a case with their encrypted identifiers (for a print that shows them in full). */
  withSecrets(conn: Conn, caseId: string): Promise<(PartyRecord & { idEnc: Buffer | null; phoneEnc: Buffer | null })[]> {
    return this.view(conn)
      .select(['id_number_enc as idEnc', 'phone_enc as phoneEnc'])
      .where('case_id', '=', caseId)
      .orderBy('ord')
      .execute();
  }

  /** One party's encrypted identifiers (the audited reveal). */
  secrets(conn: Conn, caseId: string, partyId: string): Promise<{ idEnc: Buffer | null; phoneEnc: Buffer | null } | undefined> {
    return dbOf(conn)
      .selectFrom('mediation_party')
      .select(['id_number_enc as idEnc', 'phone_enc as phoneEnc'])
      .where('id', '=', partyId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
  }

  /** Locks a party for completing its ID number. */
  lockForId(em: Conn, caseId: string, partyId: string): Promise<{ kind: 'person' | 'organization'; hasId: boolean } | undefined> {
    return dbOf(em)
      .selectFrom('mediation_party')
      .select(['kind', sql<boolean>`id_number_hash IS NOT NULL`.as('hasId')])
      .where('id', '=', partyId)
      .where('case_id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Stores a completed ID number; links the register record unless one is linked already. */
  async setIdNumber(
    em: Conn,
    caseId: string,
    partyId: string,
    id: { enc: Buffer; hash: Buffer; masked: string; personId: string | null },
  ): Promise<void> {
    await dbOf(em)
      .updateTable('mediation_party')
      .set({
        id_number_enc: id.enc,
        id_number_hash: id.hash,
        id_number_masked: id.masked,
        person_id: sql<string | null>`COALESCE(person_id, ${id.personId}::uuid)`,
      })
      .where('id', '=', partyId)
      .where('case_id', '=', caseId)
      .execute();
  }

  async insert(em: Conn, caseId: string, p: NewPartyRow): Promise<void> {
    await dbOf(em)
      .insertInto('mediation_party')
      .values({
        case_id: caseId,
        ord: p.ord,
        party_role: p.role,
        kind: p.kind,
        name: p.name,
        id_number_enc: p.idNumberEnc,
        id_number_hash: p.idNumberHash,
        id_number_masked: p.idNumberMasked,
        phone_enc: p.phoneEnc,
        phone_hash: p.phoneHash,
        phone_masked: p.phoneMasked,
        address: p.address,
        credit_code: p.creditCode,
        person_id: p.personId,
        represents_ord: p.representsOrd,
      })
      .execute();
  }

  principals(em: Conn, caseId: string): Promise<PrincipalCheck[]> {
    return dbOf(em)
      .selectFrom('mediation_party')
      .select(['id', 'ord', 'party_role as role', 'kind', 'name', sql<boolean>`id_number_hash IS NOT NULL`.as('hasId')])
      .where('case_id', '=', caseId)
      .orderBy('ord')
      .execute();
  }
}
