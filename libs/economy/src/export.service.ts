import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Actor, queryRows } from '#platform';
import { ALLIANCE_KIND_NAMES, COMPANY_LEVEL_NAMES, COMPANY_STATUS_NAMES, CompaniesService } from './companies.service.js';
import { ORG_LEVEL_NAMES } from './credit-code-rules.js';
import { bpToPercent, fenToYuan } from './money.js';
import { reportingLabel, UNREPORTED_NAME } from './names.js';
import { OrgsService } from './orgs.service.js';
import { ORG_STATUS_NAMES, type SheetDef, SHEETS } from './sheets.js';
import { EconomyStatsService } from './stats.service.js';
import type { RollupRow } from './views.js';
import { type CellOut, writeXlsx } from './workbook.js';

const yuan = (fen: string | null): number | null => (fen === null ? null : Number(fenToYuan(fen)));

const ROLLUP_SHEET: SheetDef = {
  kind: 'orgs',
  title: '汇总',
  columns: [
    { key: 'divisionCode', header: '区划代码' },
    { key: 'divisionName', header: '区划' },
    { key: 'companies', header: '平台公司数' },
    { key: 'preparing', header: '筹建' },
    { key: 'operating', header: '运营' },
    { key: 'suspended', header: '停业' },
    { key: 'deregistered', header: '注销' },
    { key: 'registeredCapitalFen', header: '注册资本（元）', type: 'yuan' },
    { key: 'paidInCapitalFen', header: '实缴资本（元）', type: 'yuan' },
    { key: 'revenueFen', header: '营业收入（元）', type: 'yuan' },
    { key: 'profitFen', header: '利润（元）', type: 'yuan' },
    { key: 'dividendsToVillagesFen', header: '分红返村（元）', type: 'yuan' },
    { key: 'orgs', header: '集体经济组织数' },
    { key: 'operatingIncomeFen', header: '经营收入（元）', type: 'yuan' },
    { key: 'totalIncomeFen', header: '总收入（元）', type: 'yuan' },
    { key: 'reserveFundFen', header: '提取公积公益金（元）', type: 'yuan' },
    { key: 'distributedFen', header: '分配给成员（元）', type: 'yuan' },
    { key: 'villageOrgs', header: '村级组织数' },
    { key: 'reporting', header: '填报情况' },
    { key: 'weakVillages', header: '薄弱村数' },
    { key: 'notWeakVillages', header: '非薄弱村数' },
    { key: 'unreportedVillages', header: '未填报村数' },
    { key: 'weakVillagesLastYear', header: '上年薄弱村数' },
    { key: 'unreportedVillagesLastYear', header: '上年未填报村数' },
    { key: 'weakChange', header: '薄弱村增减' },
  ],
};

const UNREPORTED_SHEET: SheetDef = {
  kind: 'orgs',
  title: '未填报的村',
  columns: [
    { key: 'divisionCode', header: '区划代码' },
    { key: 'townshipName', header: '乡镇' },
    { key: 'divisionName', header: '村' },
    { key: 'orgName', header: '集体经济组织' },
    { key: 'reporting', header: '填报情况' },
  ],
};

const NO_COMPANY_SHEET: SheetDef = {
  kind: 'orgs',
  title: '尚无平台公司的乡镇',
  columns: [
    { key: 'code', header: '区划代码' },
    { key: 'name', header: '乡镇' },
  ],
};

/** Excel export of every list (one sheet per table, Chinese headers) and of the roll-ups. */
@Injectable()
export class ExportService {
  constructor(
    private readonly db: DataSource,
    private readonly orgs: OrgsService,
    private readonly companies: CompaniesService,
    private readonly stats: EconomyStatsService,
  ) {}

  /** The registry within the caller's scope (and optionally inside `divisionCode`), re-importable as is. */
  async registry(actor: Actor, divisionCode?: string): Promise<Buffer> {
    const orgs = await this.orgs.listAll(actor, divisionCode);
    const orgIds = orgs.map((o) => o.id);
    const tables: { def: SheetDef; rows: Record<string, CellOut>[] }[] = [];
    tables.push({
      def: SHEETS.orgs,
      rows: orgs.map((o) => ({
        level: ORG_LEVEL_NAMES[o.level],
        divisionCode: o.divisionCode,
        divisionName: o.divisionName,
        name: o.name,
        creditCode: o.creditCode,
        registrationNo: o.registrationNo,
        registeredOn: o.registeredOn,
        charterFiledOn: o.charterFiledOn,
        chairName: o.chairName,
        memberCount: o.memberCount,
        totalShares: Number(o.totalShares),
        status: ORG_STATUS_NAMES[o.status],
      })),
    });
    const figures = await queryRows<Record<string, string | number>>(
      this.db,
      `SELECT o.credit_code AS "orgCode", o.name AS "orgName", f.year, f.operating_income_fen::text AS op, f.total_income_fen::text AS tot,
              f.reserve_fund_fen::text AS res, f.distributed_fen::text AS dist
         FROM org_year_figures f JOIN collective_org o ON o.id = f.org_id WHERE f.org_id = ANY($1::uuid[]) ORDER BY o.division_code, o.level, o.name, f.year`,
      [orgIds],
    );
    tables.push({
      def: SHEETS.org_figures,
      rows: figures.map((f) => ({
        orgCode: f.orgCode,
        orgName: f.orgName,
        year: f.year,
        operatingIncomeFen: yuan(String(f.op)),
        totalIncomeFen: yuan(String(f.tot)),
        reserveFundFen: yuan(String(f.res)),
        distributedFen: yuan(String(f.dist)),
      })),
    });
    const members = await queryRows<Record<string, string | null>>(
      this.db,
      `SELECT o.credit_code AS "orgCode", o.name AS "orgName", p.real_name AS "realName", p.id_number_masked AS "idNumberMasked",
              to_char(m.joined_on, 'YYYY-MM-DD') AS "joinedOn", to_char(m.left_on, 'YYYY-MM-DD') AS "leftOn", m.shares::text AS shares
         FROM collective_member m JOIN collective_org o ON o.id = m.org_id JOIN person p ON p.id = m.person_id
        WHERE m.org_id = ANY($1::uuid[]) ORDER BY o.division_code, o.name, p.real_name, m.id`,
      [orgIds],
    );
    tables.push({ def: SHEETS.members, rows: members.map((m) => ({ ...m, shares: Number(m.shares) })) });

    if (actor.scopesFor('economy.company.read').length) {
      const companies = await this.companies.listAll(actor, divisionCode);
      const ids = companies.map((c) => c.id);
      tables.push({
        def: SHEETS.companies,
        rows: companies.map((c) => ({
          level: COMPANY_LEVEL_NAMES[c.level],
          divisionCode: c.divisionCode,
          divisionName: c.divisionName,
          name: c.name,
          creditCode: c.creditCode,
          legalRep: c.legalRep,
          registeredCapitalFen: yuan(c.registeredCapitalFen),
          paidInCapitalFen: yuan(c.paidInCapitalFen),
          foundedOn: c.foundedOn,
          businessScope: c.businessScope,
          status: COMPANY_STATUS_NAMES[c.status],
        })),
      });
      const holders = await queryRows<{
        companyCode: string;
        companyName: string;
        orgCode: string | null;
        holderName: string;
        contributionFen: string;
        shareBp: number;
      }>(
        this.db,
        `SELECT c.credit_code AS "companyCode", c.name AS "companyName", o.credit_code AS "orgCode", s.holder_name AS "holderName",
                s.contribution_fen::text AS "contributionFen", s.share_bp AS "shareBp"
           FROM company_shareholder s JOIN platform_company c ON c.id = s.company_id LEFT JOIN collective_org o ON o.id = s.org_id
          WHERE s.company_id = ANY($1::uuid[]) ORDER BY c.division_code, c.name, s.share_bp DESC, s.holder_name`,
        [ids],
      );
      tables.push({
        def: SHEETS.shareholders,
        rows: holders.map((h) => ({
          companyCode: h.companyCode,
          companyName: h.companyName,
          holderKind: h.orgCode ? '集体经济组织' : '其他',
          orgCode: h.orgCode,
          holderName: h.holderName,
          contributionFen: yuan(h.contributionFen),
          shareBp: Number(bpToPercent(h.shareBp)),
        })),
      });
      const cf = await queryRows<{ companyCode: string; companyName: string; year: number; revenueFen: string; profitFen: string }>(
        this.db,
        `SELECT c.credit_code AS "companyCode", c.name AS "companyName", f.year, f.revenue_fen::text AS "revenueFen", f.profit_fen::text AS "profitFen"
           FROM company_year_figures f JOIN platform_company c ON c.id = f.company_id WHERE f.company_id = ANY($1::uuid[]) ORDER BY c.division_code, c.name, f.year`,
        [ids],
      );
      tables.push({
        def: SHEETS.company_figures,
        rows: cf.map((f) => ({ ...f, revenueFen: yuan(f.revenueFen), profitFen: yuan(f.profitFen) })),
      });
      const dv = await queryRows<{
        companyCode: string;
        companyName: string;
        year: number;
        orgCode: string;
        orgName: string;
        amountFen: string;
      }>(
        this.db,
        `SELECT c.credit_code AS "companyCode", c.name AS "companyName", d.year, o.credit_code AS "orgCode", o.name AS "orgName", d.amount_fen::text AS "amountFen"
           FROM company_dividend d JOIN platform_company c ON c.id = d.company_id JOIN collective_org o ON o.id = d.org_id
          WHERE d.company_id = ANY($1::uuid[]) ORDER BY c.division_code, c.name, d.year, o.name`,
        [ids],
      );
      tables.push({ def: SHEETS.dividends, rows: dv.map((d) => ({ ...d, amountFen: yuan(d.amountFen) })) });
      const al = await queryRows<{
        companyCode: string;
        companyName: string;
        kind: keyof typeof ALLIANCE_KIND_NAMES;
        name: string;
        joinedOn: string;
        role: string;
      }>(
        this.db,
        `SELECT c.credit_code AS "companyCode", c.name AS "companyName", a.kind, a.name, to_char(a.joined_on, 'YYYY-MM-DD') AS "joinedOn", a.role
           FROM alliance_member a JOIN platform_company c ON c.id = a.company_id WHERE a.company_id = ANY($1::uuid[]) ORDER BY c.division_code, c.name, a.joined_on, a.name`,
        [ids],
      );
      tables.push({ def: SHEETS.alliance, rows: al.map((a) => ({ ...a, kind: ALLIANCE_KIND_NAMES[a.kind] })) });
    }
    return writeXlsx(tables);
  }

  async rollup(actor: Actor, year: number, divisionCode?: string): Promise<Buffer> {
    const r = await this.stats.rollup(actor, year, divisionCode);
    const line = (x: RollupRow): Record<string, CellOut> => ({
      divisionCode: x.divisionCode,
      divisionName: x.divisionName,
      companies: x.companies.total,
      preparing: x.companies.preparing,
      operating: x.companies.operating,
      suspended: x.companies.suspended,
      deregistered: x.companies.deregistered,
      registeredCapitalFen: yuan(x.registeredCapitalFen),
      paidInCapitalFen: yuan(x.paidInCapitalFen),
      revenueFen: yuan(x.revenueFen),
      profitFen: yuan(x.profitFen),
      dividendsToVillagesFen: yuan(x.dividendsToVillagesFen),
      orgs: x.orgs,
      operatingIncomeFen: yuan(x.operatingIncomeFen),
      totalIncomeFen: yuan(x.totalIncomeFen),
      reserveFundFen: yuan(x.reserveFundFen),
      distributedFen: yuan(x.distributedFen),
      villageOrgs: x.villageOrgs,
      reporting: reportingLabel(x),
      weakVillages: x.weakVillages,
      notWeakVillages: x.notWeakVillages,
      unreportedVillages: x.unreportedVillages,
      weakVillagesLastYear: x.weakVillagesLastYear,
      unreportedVillagesLastYear: x.unreportedVillagesLastYear,
      weakChange: x.weakChange,
    });
    return writeXlsx([
      {
        def: { ...ROLLUP_SHEET, title: `${r.year}年汇总` },
        rows: [...r.rows.map(line), { ...line(r.total), divisionName: `${r.divisionName}合计` }],
      },
      { def: NO_COMPANY_SHEET, rows: r.townshipsWithoutCompany },
      { def: UNREPORTED_SHEET, rows: r.unreportedVillages.map(({ orgId: _, ...v }) => ({ ...v, reporting: UNREPORTED_NAME })) },
    ]);
  }
}
