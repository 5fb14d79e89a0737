import { Injectable } from '@nestjs/common';
import { type Expression, sql, type SqlBool } from 'kysely';
import { DataSource } from 'typeorm';
import { withinScopes } from '#divisions';
import { type Conn, containing, dbOf, shortGramsOf, startingWith } from '#platform';
import type { Role } from './role-names.js';
import type { PersonHelper, PersonView } from './views.js';

/** The register's row for a person being registered again (locked for the update). */
export interface RegisteredPerson {
  id: string;
  id_number_hash: Buffer;
  home_division_code: string;
  real_name: string;
  phone_hash: Buffer | null;
  household_no: string | null;
  no_smartphone: boolean;
  helper_person_id: string | null;
}

/** What the offline flag's edit needs of the person (locked) and of a proposed helper. */
export interface OfflineFacts {
  id: string;
  homeDivisionCode: string;
  noSmartphone: boolean;
  helperPersonId: string | null;
}

export interface HelperFacts {
  id: string;
  homeDivisionCode: string;
  /** 18 or over on the day asked for. */
  adult: boolean;
}

/** A person's columns as registerResident writes them (the PII already encrypted, hashed and masked). */
export interface PersonColumns {
  real_name: string;
  phone_enc: Buffer | null;
  phone_hash: Buffer | null;
  phone_masked: string | null;
  household_no: string | null;
  home_division_code: string;
}

export interface NewPerson extends PersonColumns {
  id_number_enc: Buffer;
  id_number_hash: Buffer;
  id_number_masked: string;
  birth_date: string;
  gender: 'M' | 'F';
  is_demo: boolean;
}

export interface PeopleFilter {
  divisionCode?: string;
  q?: string;
  role?: Role;
  noSmartphone?: boolean;
}

/** The signed-in person's own register entry (for /me). */
export interface PersonProfile {
  realName: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  homeDivisionCode: string;
}

/** The person table's SQL. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly ds: DataSource) {}

  private get db() {
    return dbOf(this.ds);
  }

  private views() {
    return this.db
      .selectFrom('person as p')
      .leftJoin('account as a', 'a.person_id', 'p.id')
      .leftJoin('person as h', 'h.id', 'p.helper_person_id')
      .select([
        'p.id',
        'p.real_name as realName',
        'p.id_number_masked as idNumberMasked',
        'p.phone_masked as phoneMasked',
        'p.gender',
        sql<string>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birthDate'),
        'p.home_division_code as homeDivisionCode',
        'p.household_no as householdNo',
        'p.is_demo as isDemo',
        'a.status as accountStatus',
        'p.no_smartphone as noSmartphone',
        sql<PersonHelper | null>`CASE WHEN h.id IS NULL THEN NULL
          ELSE json_build_object('id', h.id, 'realName', h.real_name, 'householdNo', h.household_no) END`.as('helper'),
        // role_grant.role's CHECK lists the roles, so the array holds Role values only.
        sql<Role[]>`COALESCE((SELECT array_agg(DISTINCT g.role ORDER BY g.role) FROM role_grant g
                  WHERE g.person_id = p.id AND g.revoked_at IS NULL AND g.division_code = p.home_division_code), '{}')`.as('roles'),
      ]);
  }

  /** The list's filter: inside the scopes (one prefix term each), then the caller's narrowing. */
  private filter(scopes: readonly string[], f: PeopleFilter): Expression<SqlBool>[] {
    const where: Expression<SqlBool>[] = [withinScopes('p.home_division_code', scopes)];
    // Under the "C" collation a prefix LIKE is a range of person_list_order_idx, which also gives the list's order.
    if (f.divisionCode) where.push(sql<SqlBool>`(p.home_division_code COLLATE "C") LIKE ${startingWith(f.divisionCode)}`);
    // The name's characters and pairs (person_name_grams_idx) find the candidates; LIKE is the exact check.
    if (f.q)
      where.push(
        sql<SqlBool>`text_short_grams(p.real_name) @> ${shortGramsOf(f.q)}::text[]`,
        sql<SqlBool>`p.real_name LIKE ${containing(f.q)}`,
      );
    if (f.role)
      where.push(
        sql<SqlBool>`EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.revoked_at IS NULL AND g.role = ${f.role})`,
      );
    if (f.noSmartphone !== undefined) where.push(sql<SqlBool>`p.no_smartphone = ${f.noSmartphone}`);
    return where;
  }

  /**
   * How many match, counting no further than `cap` + 1: a county holds 120,000 people and counting them all
   * was what remained of its first page's cost (34 ms of 34; docs/performance.md, "City scale").
   */
  async count(scopes: readonly string[], f: PeopleFilter, cap: number): Promise<number> {
    const r = await this.db
      .selectFrom(
        this.db
          .selectFrom('person as p')
          .select(sql<number>`1`.as('one'))
          .where((eb) => eb.and(this.filter(scopes, f)))
          .limit(cap + 1)
          .as('matching'),
      )
      .select(sql<number>`count(*)::int`.as('total'))
      .executeTakeFirstOrThrow();
    return r.total;
  }

  list(scopes: readonly string[], f: PeopleFilter, limit: number, offset: number): Promise<PersonView[]> {
    return (
      this.views()
        .where((eb) => eb.and(this.filter(scopes, f)))
        // Division codes are digits: the "C" order is their order, and person_list_order_idx's (docs/performance.md,
        // "City scale": a county's first page sorted 120,000 people, 308 ms; read in index order, 0.1 ms).
        .orderBy(sql`p.home_division_code COLLATE "C"`)
        .orderBy(sql`p.household_no NULLS LAST`)
        .orderBy('p.real_name')
        .orderBy('p.id')
        .limit(limit)
        .offset(offset)
        .execute()
    );
  }

  view(personId: string): Promise<PersonView | undefined> {
    return this.views().where('p.id', '=', personId).executeTakeFirst();
  }

  /** The encrypted ID number and phone, for the one audited way they leave the server. */
  secrets(personId: string): Promise<{ id_number_enc: Buffer; phone_enc: Buffer | null } | undefined> {
    return this.db.selectFrom('person').select(['id_number_enc', 'phone_enc']).where('id', '=', personId).executeTakeFirst();
  }

  profile(personId: string): Promise<PersonProfile | undefined> {
    return this.db
      .selectFrom('person')
      .select([
        'real_name as realName',
        'id_number_masked as idNumberMasked',
        'phone_masked as phoneMasked',
        'home_division_code as homeDivisionCode',
      ])
      .where('id', '=', personId)
      .executeTakeFirst();
  }

  async homeOf(personId: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('person').select('home_division_code').where('id', '=', personId).executeTakeFirst();
    return r?.home_division_code;
  }

  /** The people registered with these ID numbers (by hash), locked for their update, in id order (one lock order for every writer). */
  lockByIdNumberHashes(em: Conn, idHashes: readonly Buffer[]): Promise<RegisteredPerson[]> {
    if (!idHashes.length) return Promise.resolve([]);
    return dbOf(em)
      .selectFrom('person')
      .select([
        'id',
        'id_number_hash',
        'home_division_code',
        'real_name',
        'phone_hash',
        'household_no',
        'no_smartphone',
        'helper_person_id',
      ])
      .where('id_number_hash', '=', sql<Buffer>`ANY(${[...idHashes]}::bytea[])`)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  async idByIdNumberHash(em: Conn, idHash: Buffer): Promise<string | null> {
    const r = await dbOf(em).selectFrom('person').select('id').where('id_number_hash', '=', idHash).executeTakeFirst();
    return r?.id ?? null;
  }

  /** For a register import: where each already registered ID number lives. */
  homesByIdNumberHashes(idHashes: readonly Buffer[]): Promise<{ h: Buffer; home: string }[]> {
    if (!idHashes.length) return Promise.resolve([]);
    return this.db
      .selectFrom('person')
      .select(['id_number_hash as h', 'home_division_code as home'])
      .where('id_number_hash', '=', sql<Buffer>`ANY(${[...idHashes]}::bytea[])`)
      .execute();
  }

  /** Rewrites the register's columns of these people, one statement for all of them. */
  async updateMany(em: Conn, people: readonly (PersonColumns & { id: string })[]): Promise<void> {
    if (!people.length) return;
    const col = <K extends keyof (PersonColumns & { id: string })>(k: K) => people.map((p) => p[k]);
    await sql`UPDATE person p
                 SET real_name = v.real_name, phone_enc = v.phone_enc, phone_hash = v.phone_hash, phone_masked = v.phone_masked,
                     household_no = v.household_no, home_division_code = v.home_division_code, updated_at = now()
                FROM unnest(${col('id')}::uuid[], ${col('real_name')}::text[], ${col('phone_enc')}::bytea[], ${col('phone_hash')}::bytea[],
                            ${col('phone_masked')}::text[], ${col('household_no')}::text[], ${col('home_division_code')}::text[])
                  AS v (id, real_name, phone_enc, phone_hash, phone_masked, household_no, home_division_code)
               WHERE p.id = v.id`.execute(dbOf(em));
  }

  lockOfflineFacts(em: Conn, personId: string): Promise<OfflineFacts | undefined> {
    return dbOf(em)
      .selectFrom('person')
      .select(['id', 'home_division_code as homeDivisionCode', 'no_smartphone as noSmartphone', 'helper_person_id as helperPersonId'])
      .where('id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
  }

  /** lockOfflineFacts for several people at once, in id order. */
  lockOfflineFactsOf(em: Conn, personIds: readonly string[]): Promise<OfflineFacts[]> {
    if (!personIds.length) return Promise.resolve([]);
    return dbOf(em)
      .selectFrom('person')
      .select(['id', 'home_division_code as homeDivisionCode', 'no_smartphone as noSmartphone', 'helper_person_id as helperPersonId'])
      .where('id', '=', sql<string>`ANY(${[...personIds]}::uuid[])`)
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /** A proposed helper's village and adulthood on `day` ('YYYY-MM-DD'), locked so the check holds until the commit. */
  helperFacts(em: Conn, personId: string, day: string): Promise<HelperFacts | undefined> {
    return dbOf(em)
      .selectFrom('person')
      .select([
        'id',
        'home_division_code as homeDivisionCode',
        sql<boolean>`birth_date <= (${day}::date - interval '18 years')::date`.as('adult'),
      ])
      .where('id', '=', personId)
      .forShare()
      .executeTakeFirst();
  }

  /** Sets 无智能手机 and the helper of these people, one statement for all of them. */
  async setOfflineMany(
    em: Conn,
    people: readonly { id: string; no_smartphone: boolean; helper_person_id: string | null }[],
  ): Promise<void> {
    if (!people.length) return;
    await sql`UPDATE person p SET no_smartphone = v.no_smartphone, helper_person_id = v.helper_person_id, updated_at = now()
                FROM unnest(${people.map((x) => x.id)}::uuid[], ${people.map((x) => x.no_smartphone)}::boolean[],
                            ${people.map((x) => x.helper_person_id)}::uuid[]) AS v (id, no_smartphone, helper_person_id)
               WHERE p.id = v.id`.execute(dbOf(em));
  }

  /** A person who moves village is no one's helper there any more, and their own helper (of the old village) is dropped. */
  async clearHelpersOnMove(em: Conn, personId: string): Promise<number> {
    const r = await dbOf(em)
      .updateTable('person')
      .set({ helper_person_id: null, updated_at: sql<Date>`now()` })
      .where((eb) => eb.or([eb('id', '=', personId).and('helper_person_id', 'is not', null), eb('helper_person_id', '=', personId)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Inserts the people in one statement; answers each one's id by the hash of its ID number. */
  async insertMany(em: Conn, people: readonly NewPerson[]): Promise<Map<string, string>> {
    if (!people.length) return new Map();
    // One array a column (a row of parameters each would pass PostgreSQL's 65,535 at 5,000 people).
    const col = <K extends keyof NewPerson>(k: K) => people.map((p) => p[k]);
    const { rows } = await sql<{ id: string; h: Buffer }>`
      INSERT INTO person (real_name, id_number_enc, id_number_hash, id_number_masked, birth_date, gender, phone_enc, phone_hash, phone_masked,
                          home_division_code, household_no, is_demo)
      SELECT * FROM unnest(${col('real_name')}::text[], ${col('id_number_enc')}::bytea[], ${col('id_number_hash')}::bytea[],
                           ${col('id_number_masked')}::text[], ${col('birth_date')}::date[], ${col('gender')}::text[], ${col('phone_enc')}::bytea[],
                           ${col('phone_hash')}::bytea[], ${col('phone_masked')}::text[], ${col('home_division_code')}::text[],
                           ${col('household_no')}::text[], ${col('is_demo')}::boolean[])
      RETURNING id, id_number_hash AS h`.execute(dbOf(em));
    return new Map(rows.map((r) => [r.h.toString('hex'), r.id]));
  }
}
