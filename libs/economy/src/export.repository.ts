import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { dbOf, type ReadConn } from '#platform';

const ids = (list: readonly string[]) => sql<string>`ANY(${[...list]}::uuid[])`;

/** The export's statements: the tables under the records in scope, ordered as the sheets list them. */
@Injectable()
export class ExportRepository {
  orgFigures(conn: ReadConn, orgIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('org_year_figures as f')
      .innerJoin('collective_org as o', 'o.id', 'f.org_id')
      .select([
        'o.credit_code as orgCode',
        'o.name as orgName',
        'f.year',
        sql<string>`f.operating_income_fen::text`.as('op'),
        sql<string>`f.total_income_fen::text`.as('tot'),
        sql<string>`f.reserve_fund_fen::text`.as('res'),
        sql<string>`f.distributed_fen::text`.as('dist'),
      ])
      .where('f.org_id', '=', ids(orgIds))
      .orderBy('o.division_code')
      .orderBy('o.level')
      .orderBy('o.name')
      .orderBy('f.year')
      .execute();
  }

  /** Members without the person's register data (identity's, read by id); ordered by the caller. */
  members(conn: ReadConn, orgIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('collective_member as m')
      .innerJoin('collective_org as o', 'o.id', 'm.org_id')
      .select([
        'm.id',
        'm.person_id as personId',
        'o.division_code as divisionCode',
        'o.credit_code as orgCode',
        'o.name as orgName',
        sql<string>`to_char(m.joined_on, 'YYYY-MM-DD')`.as('joinedOn'),
        sql<string | null>`to_char(m.left_on, 'YYYY-MM-DD')`.as('leftOn'),
        sql<string>`m.shares::text`.as('shares'),
      ])
      .where('m.org_id', '=', ids(orgIds))
      .execute();
  }

  shareholders(conn: ReadConn, companyIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('company_shareholder as s')
      .innerJoin('platform_company as c', 'c.id', 's.company_id')
      .leftJoin('collective_org as o', 'o.id', 's.org_id')
      .select([
        'c.credit_code as companyCode',
        'c.name as companyName',
        'o.credit_code as orgCode',
        's.holder_name as holderName',
        sql<string>`s.contribution_fen::text`.as('contributionFen'),
        's.share_bp as shareBp',
      ])
      .where('s.company_id', '=', ids(companyIds))
      .orderBy('c.division_code')
      .orderBy('c.name')
      .orderBy('s.share_bp', 'desc')
      .orderBy('s.holder_name')
      .execute();
  }

  companyFigures(conn: ReadConn, companyIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('company_year_figures as f')
      .innerJoin('platform_company as c', 'c.id', 'f.company_id')
      .select([
        'c.credit_code as companyCode',
        'c.name as companyName',
        'f.year',
        sql<string>`f.revenue_fen::text`.as('revenueFen'),
        sql<string>`f.profit_fen::text`.as('profitFen'),
      ])
      .where('f.company_id', '=', ids(companyIds))
      .orderBy('c.division_code')
      .orderBy('c.name')
      .orderBy('f.year')
      .execute();
  }

  dividends(conn: ReadConn, companyIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('company_dividend as d')
      .innerJoin('platform_company as c', 'c.id', 'd.company_id')
      .innerJoin('collective_org as o', 'o.id', 'd.org_id')
      .select([
        'c.credit_code as companyCode',
        'c.name as companyName',
        'd.year',
        'o.credit_code as orgCode',
        'o.name as orgName',
        sql<string>`d.amount_fen::text`.as('amountFen'),
      ])
      .where('d.company_id', '=', ids(companyIds))
      .orderBy('c.division_code')
      .orderBy('c.name')
      .orderBy('d.year')
      .orderBy('o.name')
      .execute();
  }

  alliance(conn: ReadConn, companyIds: readonly string[]) {
    return dbOf(conn)
      .selectFrom('alliance_member as a')
      .innerJoin('platform_company as c', 'c.id', 'a.company_id')
      .select([
        'c.credit_code as companyCode',
        'c.name as companyName',
        'a.kind',
        'a.name',
        sql<string>`to_char(a.joined_on, 'YYYY-MM-DD')`.as('joinedOn'),
        'a.role',
      ])
      .where('a.company_id', '=', ids(companyIds))
      .orderBy('c.division_code')
      .orderBy('c.name')
      .orderBy('a.joined_on')
      .orderBy('a.name')
      .execute();
  }
}
