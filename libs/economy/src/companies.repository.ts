import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { type Conn, dbOf, type ReadConn } from '#platform';
import type { AllianceView, CompanyRecord, CompanyView, ShareholderView } from './companies.service.js';
import { type CodeMatch, type RegistryFilter, type RegistryStore, registryWhere } from './registry.repository.js';

const dayOrNull = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

/** The SQL of 平台公司: the registry record, shareholders, industry alliance, yearly figures and dividends. */
@Injectable()
export class CompaniesRepository implements RegistryStore<CompanyRecord, CompanyView> {
  private view(conn: ReadConn) {
    return dbOf(conn)
      .selectFrom('platform_company as c')
      .innerJoin('division as d', 'd.code', 'c.division_code')
      .select([
        'c.id',
        'c.level',
        'c.division_code as divisionCode',
        'd.name as divisionName',
        'c.name',
        'c.credit_code as creditCode',
        'c.legal_rep as legalRep',
        sql<string>`c.registered_capital_fen::text`.as('registeredCapitalFen'),
        sql<string>`c.paid_in_capital_fen::text`.as('paidInCapitalFen'),
        dayOrNull('c.founded_on').as('foundedOn'),
        'c.business_scope as businessScope',
        'c.status',
        'c.is_demo as isDemo',
      ]);
  }

  find(conn: Conn, id: string, lock: boolean): Promise<CompanyView | undefined> {
    const q = this.view(conn).where('c.id', '=', id);
    return (lock ? q.forUpdate('c') : q).executeTakeFirst();
  }

  async page(
    conn: Conn,
    filter: RegistryFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: CompanyView[]; total: number }> {
    const where = registryWhere('c', filter);
    const [{ total }] = await dbOf(conn)
      .selectFrom('platform_company as c')
      .select(sql<number>`count(*)::int`.as('total'))
      .where(where)
      .execute();
    const items = await this.view(conn)
      .where(where)
      .orderBy('c.division_code')
      .orderBy('c.name')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items, total };
  }

  all(conn: ReadConn, filter: RegistryFilter): Promise<CompanyView[]> {
    return this.view(conn).where(registryWhere('c', filter)).orderBy('c.division_code').orderBy('c.name').execute();
  }

  byCreditCode(conn: Conn, code: string): Promise<CodeMatch | undefined> {
    return dbOf(conn)
      .selectFrom('platform_company')
      .select(['id', 'division_code as divisionCode', 'level'])
      .where('credit_code', '=', code)
      .executeTakeFirst();
  }

  // created_at/updated_at are written from the service's clock; the generated types cannot take a Date for a
  // column with a default (Generated<Timestamp>), so these statements are written out.
  async insert(conn: Conn, rec: CompanyRecord, opts: { isDemo: boolean; at: Date }): Promise<string> {
    const { rows } = await sql<{ id: string }>`INSERT INTO platform_company (name, credit_code, legal_rep, registered_capital_fen,
        paid_in_capital_fen, founded_on, business_scope, status, level, division_code, is_demo, created_at, updated_at)
      VALUES (${rec.name}, ${rec.creditCode}, ${rec.legalRep}, ${rec.registeredCapitalFen}, ${rec.paidInCapitalFen}, ${rec.foundedOn},
        ${rec.businessScope}, ${rec.status}, ${rec.level}, ${rec.divisionCode}, ${opts.isDemo}, ${opts.at}, ${opts.at})
      RETURNING id`.execute(dbOf(conn));
    return rows[0].id;
  }

  async update(conn: Conn, id: string, rec: CompanyRecord, at: Date): Promise<void> {
    await sql`UPDATE platform_company SET name = ${rec.name}, credit_code = ${rec.creditCode}, legal_rep = ${rec.legalRep},
        registered_capital_fen = ${rec.registeredCapitalFen}, paid_in_capital_fen = ${rec.paidInCapitalFen}, founded_on = ${rec.foundedOn},
        business_scope = ${rec.businessScope}, status = ${rec.status}, updated_at = ${at}
      WHERE id = ${id}`.execute(dbOf(conn));
  }

  // ---------- shareholders ----------

  shareholders(conn: Conn, companyId: string): Promise<ShareholderView[]> {
    return dbOf(conn)
      .selectFrom('company_shareholder as s')
      .leftJoin('collective_org as o', 'o.id', 's.org_id')
      .select([
        's.org_id as orgId',
        'o.credit_code as orgCreditCode',
        's.holder_name as holderName',
        sql<string>`s.contribution_fen::text`.as('contributionFen'),
        's.share_bp as shareBp',
      ])
      .where('s.company_id', '=', companyId)
      .orderBy('s.share_bp', 'desc')
      .orderBy('s.holder_name')
      .execute();
  }

  orgsByIds(conn: Conn, ids: readonly string[]): Promise<{ id: string; divisionCode: string; name: string }[]> {
    if (!ids.length) return Promise.resolve([]);
    return dbOf(conn)
      .selectFrom('collective_org')
      .select(['id', 'division_code as divisionCode', 'name'])
      .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
      .execute();
  }

  async replaceShareholders(
    conn: Conn,
    companyId: string,
    list: { orgId: string | null; holderName: string; contributionFen: string; shareBp: number }[],
  ): Promise<void> {
    const db = dbOf(conn);
    await db.deleteFrom('company_shareholder').where('company_id', '=', companyId).execute();
    await sql`INSERT INTO company_shareholder (company_id, org_id, holder_name, contribution_fen, share_bp)
       SELECT ${companyId}, o, n, c, b FROM unnest(${list.map((s) => s.orgId)}::uuid[], ${list.map((s) => s.holderName)}::text[],
         ${list.map((s) => s.contributionFen)}::bigint[], ${list.map((s) => s.shareBp)}::int[]) AS t(o, n, c, b)`.execute(db);
  }

  // ---------- industry alliance ----------

  alliance(conn: Conn, companyId: string): Promise<AllianceView[]> {
    return dbOf(conn)
      .selectFrom('alliance_member')
      .select(['kind', 'org_id as orgId', 'name', sql<string>`to_char(joined_on, 'YYYY-MM-DD')`.as('joinedOn'), 'role'])
      .where('company_id', '=', companyId)
      .orderBy('joined_on')
      .orderBy('name')
      .execute();
  }

  async replaceAlliance(conn: Conn, companyId: string, list: AllianceView[]): Promise<void> {
    const db = dbOf(conn);
    await db.deleteFrom('alliance_member').where('company_id', '=', companyId).execute();
    await sql`INSERT INTO alliance_member (company_id, kind, org_id, name, joined_on, role)
       SELECT ${companyId}, k, o, n, j, r FROM unnest(${list.map((a) => a.kind)}::text[], ${list.map((a) => a.orgId)}::uuid[],
         ${list.map((a) => a.name)}::text[], ${list.map((a) => a.joinedOn)}::date[], ${list.map((a) => a.role)}::text[]) AS t(k, o, n, j, r)`.execute(
      db,
    );
  }

  // ---------- yearly figures and dividends ----------

  figures(conn: Conn, companyId: string, year?: number): Promise<{ year: number; revenueFen: string; profitFen: string }[]> {
    let q = dbOf(conn)
      .selectFrom('company_year_figures')
      .select(['year', sql<string>`revenue_fen::text`.as('revenueFen'), sql<string>`profit_fen::text`.as('profitFen')])
      .where('company_id', '=', companyId);
    if (year !== undefined) q = q.where('year', '=', year);
    return q.orderBy('year').execute();
  }

  dividends(
    conn: Conn,
    companyId: string,
    year?: number,
  ): Promise<{ year: number; orgId: string; orgName: string; orgCreditCode: string; amountFen: string }[]> {
    let q = dbOf(conn)
      .selectFrom('company_dividend as d')
      .innerJoin('collective_org as o', 'o.id', 'd.org_id')
      .select([
        'd.year',
        'd.org_id as orgId',
        'o.name as orgName',
        'o.credit_code as orgCreditCode',
        sql<string>`d.amount_fen::text`.as('amountFen'),
      ])
      .where('d.company_id', '=', companyId);
    if (year !== undefined) q = q.where('d.year', '=', year);
    return q.orderBy('d.year').orderBy('o.name').execute();
  }

  async replaceFigures(
    conn: Conn,
    companyId: string,
    year: number,
    f: { revenueFen: string; profitFen: string; dividends: { orgId: string; amountFen: string }[] },
    at: Date,
  ): Promise<void> {
    const db = dbOf(conn);
    await db.deleteFrom('company_dividend').where('company_id', '=', companyId).where('year', '=', year).execute();
    await sql`INSERT INTO company_year_figures (company_id, year, revenue_fen, profit_fen, updated_at) VALUES (${companyId}, ${year}, ${f.revenueFen}, ${f.profitFen}, ${at})
       ON CONFLICT (company_id, year) DO UPDATE SET revenue_fen = EXCLUDED.revenue_fen, profit_fen = EXCLUDED.profit_fen, updated_at = EXCLUDED.updated_at`.execute(
      db,
    );
    await sql`INSERT INTO company_dividend (company_id, year, org_id, amount_fen)
       SELECT ${companyId}, ${year}, o, a FROM unnest(${f.dividends.map((d) => d.orgId)}::uuid[], ${f.dividends.map((d) => d.amountFen)}::bigint[]) AS t(o, a)`.execute(
      db,
    );
  }
}
