import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, type ReadConn } from '#platform';
import type { OfficerRole } from './names.js';
import { type CodeMatch, type RegistryFilter, type RegistryStore, registryWhere } from './registry.repository.js';
import type { OrgFigures, OrgRecord, OrgView } from './orgs.service.js';

const day = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
const dayOrNull = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

/** A member row, without the person's register data (identity's, read by id). */
export interface MemberRow {
  id: string;
  personId: string;
  joinedOn: string;
  leftOn: string | null;
  shares: string;
}

/** The SQL of 集体经济组织: the registry record, officers, members, shares, 成员代表 and yearly figures. */
@Injectable()
export class OrgsRepository implements RegistryStore<OrgRecord, OrgView> {
  private view(conn: ReadConn) {
    return dbOf(conn)
      .selectFrom('collective_org as o')
      .innerJoin('division as d', 'd.code', 'o.division_code')
      .select([
        'o.id',
        'o.level',
        'o.division_code as divisionCode',
        'd.name as divisionName',
        'o.name',
        'o.credit_code as creditCode',
        'o.registration_no as registrationNo',
        dayOrNull('o.registered_on').as('registeredOn'),
        dayOrNull('o.charter_filed_on').as('charterFiledOn'),
        'o.chair_name as chairName',
        'o.member_count as memberCount',
        sql<string>`o.total_shares::text`.as('totalShares'),
        'o.status',
        'o.is_demo as isDemo',
        sql<string>`(SELECT coalesce(sum(m.shares), 0)::text FROM collective_member m WHERE m.org_id = o.id)`.as('allocatedShares'),
        sql<number>`(SELECT count(*)::int FROM collective_member m WHERE m.org_id = o.id AND m.left_on IS NULL)`.as('registeredMembers'),
      ]);
  }

  find(conn: Conn, id: string, lock: boolean): Promise<OrgView | undefined> {
    const q = this.view(conn).where('o.id', '=', id);
    return (lock ? q.forUpdate('o') : q).executeTakeFirst();
  }

  async page(conn: Conn, filter: RegistryFilter, page: { limit: number; offset: number }): Promise<{ items: OrgView[]; total: number }> {
    const where = registryWhere('o', filter);
    const [{ total }] = await dbOf(conn)
      .selectFrom('collective_org as o')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(where)
      .execute();
    const items = await this.view(conn)
      .where(where)
      .orderBy('o.division_code')
      .orderBy('o.level')
      .orderBy('o.name')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items, total };
  }

  all(conn: ReadConn, filter: RegistryFilter): Promise<OrgView[]> {
    return this.view(conn).where(registryWhere('o', filter)).orderBy('o.division_code').orderBy('o.level').orderBy('o.name').execute();
  }

  byCreditCode(conn: Conn, code: string): Promise<CodeMatch | undefined> {
    return dbOf(conn)
      .selectFrom('collective_org')
      .select(['id', 'division_code as divisionCode', 'level'])
      .where('credit_code', '=', code)
      .executeTakeFirst();
  }

  // created_at/updated_at are written from the service's clock; the generated types cannot take a Date for a
  // column with a default (Generated<Timestamp>), so these statements are written out.
  async insert(conn: Conn, rec: OrgRecord, opts: { isDemo: boolean; at: Date }): Promise<string> {
    const { rows } = await sql<{ id: string }>`INSERT INTO collective_org (name, credit_code, registration_no, registered_on,
        charter_filed_on, chair_name, member_count, total_shares, status, level, division_code, is_demo, created_at, updated_at)
      VALUES (${rec.name}, ${rec.creditCode}, ${rec.registrationNo}, ${rec.registeredOn}, ${rec.charterFiledOn}, ${rec.chairName},
        ${rec.memberCount}, ${rec.totalShares}, ${rec.status}, ${rec.level}, ${rec.divisionCode}, ${opts.isDemo}, ${opts.at}, ${opts.at})
      RETURNING id`.execute(dbOf(conn));
    return rows[0].id;
  }

  async update(conn: Conn, id: string, rec: OrgRecord, at: Date): Promise<void> {
    await sql`UPDATE collective_org SET name = ${rec.name}, credit_code = ${rec.creditCode}, registration_no = ${rec.registrationNo},
        registered_on = ${rec.registeredOn}, charter_filed_on = ${rec.charterFiledOn}, chair_name = ${rec.chairName},
        member_count = ${rec.memberCount}, total_shares = ${rec.totalShares}, status = ${rec.status}, updated_at = ${at}
      WHERE id = ${id}`.execute(dbOf(conn));
  }

  async otherActiveVillageOrg(conn: Conn, divisionCode: string, selfId: string | null): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('collective_org')
      .select('id')
      .where('division_code', '=', divisionCode)
      .where('level', '=', 'village')
      .where('status', '=', 'active')
      .where(sql<boolean>`id IS DISTINCT FROM ${selfId}::uuid`)
      .executeTakeFirst();
    return r !== undefined;
  }

  // ---------- officers ----------

  officers(conn: Conn, orgId: string): Promise<{ personId: string; role: OfficerRole }[]> {
    return dbOf(conn).selectFrom('collective_org_officer').select(['person_id as personId', 'role']).where('org_id', '=', orgId).execute();
  }

  async replaceOfficers(conn: Conn, orgId: string, rows: { personId: string; role: OfficerRole }[]): Promise<void> {
    const db = dbOf(conn);
    await db.deleteFrom('collective_org_officer').where('org_id', '=', orgId).execute();
    await sql`INSERT INTO collective_org_officer (org_id, person_id, role)
      SELECT ${orgId}, p, r FROM unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.role)}::text[]) AS t(p, r)`.execute(db);
  }

  async setChairName(conn: Conn, id: string, chairName: string, at: Date): Promise<void> {
    await sql`UPDATE collective_org SET chair_name = ${chairName}, updated_at = ${at} WHERE id = ${id}`.execute(dbOf(conn));
  }

  // ---------- members and shares ----------

  members(conn: Conn, orgId: string): Promise<MemberRow[]> {
    return dbOf(conn)
      .selectFrom('collective_member as m')
      .select([
        'm.id',
        'm.person_id as personId',
        day('m.joined_on').as('joinedOn'),
        dayOrNull('m.left_on').as('leftOn'),
        sql<string>`m.shares::text`.as('shares'),
      ])
      .where('m.org_id', '=', orgId)
      .execute();
  }

  shareChanges(conn: Conn, orgId: string) {
    return dbOf(conn)
      .selectFrom('collective_share_change as c')
      .innerJoin('collective_member as m', 'm.id', 'c.member_id')
      .select([
        sql<string>`c.id::text`.as('id'),
        'c.member_id as memberId',
        'm.person_id as personId',
        sql<string>`c.old_shares::text`.as('oldShares'),
        sql<string>`c.new_shares::text`.as('newShares'),
        'c.reason',
        'c.changed_at as changedAt',
        'c.actor_name as actorName',
      ])
      .where('c.org_id', '=', orgId)
      .orderBy('c.id')
      .execute();
  }

  async sharesAgainstTotal(conn: Conn, orgId: string): Promise<{ allocated: string; total: string; over: boolean }> {
    const { rows } = await sql<{ allocated: string; total: string; over: boolean }>`
      SELECT coalesce(sum(m.shares), 0)::text AS allocated, o.total_shares::text AS total, coalesce(sum(m.shares), 0) > o.total_shares AS over
        FROM collective_org o LEFT JOIN collective_member m ON m.org_id = o.id WHERE o.id = ${orgId} GROUP BY o.id`.execute(dbOf(conn));
    return rows[0];
  }

  async appendShareChange(
    conn: Conn,
    c: {
      memberId: string;
      orgId: string;
      oldShares: string;
      newShares: string;
      reason: string;
      at: Date;
      accountId: string | null;
      actorName: string;
    },
  ): Promise<void> {
    await dbOf(conn)
      .insertInto('collective_share_change')
      .values({
        member_id: c.memberId,
        org_id: c.orgId,
        old_shares: c.oldShares,
        new_shares: c.newShares,
        reason: c.reason,
        changed_at: c.at,
        account_id: c.accountId,
        actor_name: c.actorName,
      })
      .execute();
  }

  /** The new member's id; undefined when the person is already a member (ON CONFLICT). */
  async insertMember(conn: Conn, m: { orgId: string; personId: string; joinedOn: string; shares: string }): Promise<string | undefined> {
    const { rows } = await sql<{ id: string }>`INSERT INTO collective_member (org_id, person_id, joined_on, shares)
      VALUES (${m.orgId}, ${m.personId}, ${m.joinedOn}, ${m.shares}) ON CONFLICT (org_id, person_id) DO NOTHING RETURNING id`.execute(
      dbOf(conn),
    );
    return rows[0]?.id;
  }

  memberForUpdate(conn: Conn, memberId: string, orgId: string) {
    return dbOf(conn)
      .selectFrom('collective_member')
      .select([
        sql<string>`shares::text`.as('shares'),
        dayOrNull('left_on').as('leftOn'),
        'person_id as personId',
        day('joined_on').as('joinedOn'),
      ])
      .where('id', '=', memberId)
      .where('org_id', '=', orgId)
      .forUpdate()
      .executeTakeFirst();
  }

  member(conn: Conn, memberId: string, orgId: string) {
    return dbOf(conn)
      .selectFrom('collective_member')
      .select([dayOrNull('left_on').as('leftOn'), day('joined_on').as('joinedOn')])
      .where('id', '=', memberId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
  }

  async setMemberShares(conn: Conn, memberId: string, shares: string, leftOn: string | null): Promise<void> {
    await dbOf(conn).updateTable('collective_member').set({ shares, left_on: leftOn }).where('id', '=', memberId).execute();
  }

  /** Whether the person is still a member of another organization of the same division. */
  async stillMemberIn(conn: Conn, personId: string, divisionCode: string, exceptMemberId: string): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('collective_member as m')
      .innerJoin('collective_org as o', 'o.id', 'm.org_id')
      .select('m.id')
      .where('m.person_id', '=', personId)
      .where('o.division_code', '=', divisionCode)
      .where('m.left_on', 'is', null)
      .where('m.id', '<>', exceptMemberId)
      .executeTakeFirst();
    return r !== undefined;
  }

  // ---------- 成员代表 ----------

  /** Every election of the organization, with whether it is in office on `today`. */
  representatives(conn: Conn, orgId: string, today: string) {
    return dbOf(conn)
      .selectFrom('collective_member_representative as r')
      .innerJoin('collective_member as m', 'm.id', 'r.member_id')
      .select([
        'r.id',
        'r.member_id as memberId',
        'm.person_id as personId',
        day('r.elected_on').as('electedOn'),
        day('r.term_ends_on').as('termEndsOn'),
        dayOrNull('r.ended_on').as('endedOn'),
        sql<boolean>`(r.elected_on <= ${today}::date AND r.term_ends_on > ${today}::date AND (r.ended_on IS NULL OR r.ended_on > ${today}::date)
          AND m.joined_on <= ${today}::date AND (m.left_on IS NULL OR m.left_on > ${today}::date))`.as('inOffice'),
      ])
      .where('r.org_id', '=', orgId)
      .execute();
  }

  /** Whether another election of this member has a term covering any day of one elected on `electedOn`. */
  async overlappingTerm(conn: Conn, memberId: string, electedOn: string, termYears: number): Promise<boolean> {
    const r = await dbOf(conn)
      .selectFrom('collective_member_representative')
      .select('id')
      .where('member_id', '=', memberId)
      .where(sql<boolean>`elected_on < (${electedOn}::date + make_interval(years => ${termYears}))::date`)
      .where(sql<boolean>`term_ends_on > ${electedOn}::date`)
      .where(sql<boolean>`(ended_on IS NULL OR ended_on > ${electedOn}::date)`)
      .executeTakeFirst();
    return r !== undefined;
  }

  async insertRepresentative(conn: Conn, r: { orgId: string; memberId: string; electedOn: string; termYears: number }): Promise<string> {
    const { rows } = await sql<{ id: string }>`INSERT INTO collective_member_representative (org_id, member_id, elected_on, term_ends_on)
      VALUES (${r.orgId}, ${r.memberId}, ${r.electedOn}::date, (${r.electedOn}::date + make_interval(years => ${r.termYears}))::date) RETURNING id`.execute(
      dbOf(conn),
    );
    return rows[0].id;
  }

  openRepresentativeForUpdate(conn: Conn, id: string, orgId: string) {
    return dbOf(conn)
      .selectFrom('collective_member_representative')
      .select(day('elected_on').as('electedOn'))
      .where('id', '=', id)
      .where('org_id', '=', orgId)
      .where('ended_on', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  }

  async endRepresentative(conn: Conn, id: string, endedOn: string): Promise<void> {
    await dbOf(conn).updateTable('collective_member_representative').set({ ended_on: endedOn }).where('id', '=', id).execute();
  }

  /** Member person ids of the village's active village-level organization on `day`. */
  async villageMembersOn(conn: Conn, villageCode: string, onDay: string): Promise<string[]> {
    const rows = await dbOf(conn)
      .selectFrom('collective_org as o')
      .innerJoin('collective_member as m', 'm.org_id', 'o.id')
      .select('m.person_id')
      .where('o.division_code', '=', villageCode)
      .where('o.level', '=', 'village')
      .where('o.status', '=', 'active')
      .where(sql<boolean>`m.joined_on <= ${onDay}::date AND (m.left_on IS NULL OR m.left_on > ${onDay}::date)`)
      .execute();
    return rows.map((r) => r.person_id);
  }

  /** Person ids of the village organization's 成员代表 in office on `day` who are still members. */
  async seatedRepresentativesOn(conn: Conn, villageCode: string, onDay: string): Promise<string[]> {
    const rows = await dbOf(conn)
      .selectFrom('collective_org as o')
      .innerJoin('collective_member_representative as r', 'r.org_id', 'o.id')
      .innerJoin('collective_member as m', 'm.id', 'r.member_id')
      .select('m.person_id')
      .distinct()
      .where('o.division_code', '=', villageCode)
      .where('o.level', '=', 'village')
      .where('o.status', '=', 'active')
      .where(sql<boolean>`m.joined_on <= ${onDay}::date AND (m.left_on IS NULL OR m.left_on > ${onDay}::date)`)
      .where(
        sql<boolean>`r.elected_on <= ${onDay}::date AND r.term_ends_on > ${onDay}::date AND (r.ended_on IS NULL OR r.ended_on > ${onDay}::date)`,
      )
      .execute();
    return rows.map((r) => r.person_id);
  }

  // ---------- yearly figures ----------

  private figureRows(conn: Conn, orgId: string) {
    return dbOf(conn)
      .selectFrom('org_year_figures as f')
      .select([
        'f.year',
        sql<string>`f.operating_income_fen::text`.as('operatingIncomeFen'),
        sql<string>`f.total_income_fen::text`.as('totalIncomeFen'),
        sql<string>`f.reserve_fund_fen::text`.as('reserveFundFen'),
        sql<string>`f.distributed_fen::text`.as('distributedFen'),
      ])
      .where('f.org_id', '=', orgId);
  }

  figures(conn: Conn, orgId: string): Promise<(OrgFigures & { year: number })[]> {
    return this.figureRows(conn, orgId).orderBy('f.year').execute();
  }

  figuresOfYear(conn: Conn, orgId: string, year: number, lock = false): Promise<(OrgFigures & { year: number }) | undefined> {
    const q = this.figureRows(conn, orgId).where('f.year', '=', year);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  }

  async upsertFigures(conn: Conn, orgId: string, year: number, f: OrgFigures, at: Date): Promise<void> {
    await sql`INSERT INTO org_year_figures (org_id, year, operating_income_fen, total_income_fen, reserve_fund_fen, distributed_fen, updated_at)
       VALUES (${orgId}, ${year}, ${f.operatingIncomeFen}, ${f.totalIncomeFen}, ${f.reserveFundFen}, ${f.distributedFen}, ${at})
       ON CONFLICT (org_id, year) DO UPDATE SET operating_income_fen = EXCLUDED.operating_income_fen, total_income_fen = EXCLUDED.total_income_fen,
         reserve_fund_fen = EXCLUDED.reserve_fund_fen, distributed_fen = EXCLUDED.distributed_fen, updated_at = EXCLUDED.updated_at`.execute(
      dbOf(conn),
    );
  }

  dividendsReceived(conn: Conn, orgId: string, year: number): Promise<{ companyName: string; amountFen: string }[]> {
    return dbOf(conn)
      .selectFrom('company_dividend as d')
      .innerJoin('platform_company as c', 'c.id', 'd.company_id')
      .select(['c.name as companyName', sql<string>`d.amount_fen::text`.as('amountFen')])
      .where('d.org_id', '=', orgId)
      .where('d.year', '=', year)
      .orderBy('c.name')
      .execute();
  }

  holdings(conn: Conn, orgId: string): Promise<{ companyName: string; contributionFen: string; shareBp: number }[]> {
    return dbOf(conn)
      .selectFrom('company_shareholder as s')
      .innerJoin('platform_company as c', 'c.id', 's.company_id')
      .select(['c.name as companyName', sql<string>`s.contribution_fen::text`.as('contributionFen'), 's.share_bp as shareBp'])
      .where('s.org_id', '=', orgId)
      .orderBy('c.name')
      .execute();
  }
}
