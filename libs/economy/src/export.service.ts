import { Injectable } from '@nestjs/common';
import { PersonCards } from '#identity';
import { type Actor, type ReadConn, ReportingDb } from '#platform';
import { ALLIANCE_KIND_NAMES, COMPANY_LEVEL_NAMES, COMPANY_STATUS_NAMES, CompaniesService } from './companies.service.js';
import { ORG_LEVEL_NAMES } from './credit-code-rules.js';
import { bpToPercent, fenToYuan } from './money.js';
import { reportingLabel, UNREPORTED_NAME } from './names.js';
import { OrgsService } from './orgs.service.js';
import { ORG_STATUS_NAMES, type SheetDef, SHEETS } from './sheets.js';
import { ExportRepository } from './export.repository.js';
import { EconomyStatsService } from './stats.service.js';
import type { RollupRow } from './views.js';
import { type CellOut, writeXlsx } from './workbook.js';

/** Text order as PostgreSQL's C collation gives it (code points). */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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
    private readonly reporting: ReportingDb,
    private readonly repo: ExportRepository,
    private readonly cards: PersonCards,
    private readonly orgs: OrgsService,
    private readonly companies: CompaniesService,
    private readonly stats: EconomyStatsService,
  ) {}

  /** The registry within the caller's scope (and optionally inside `divisionCode`), re-importable as is. */
  async registry(actor: Actor, divisionCode?: string): Promise<Buffer> {
    // An export: the read replica answers when there is one (decision 060).
    return writeXlsx(await this.reporting.read((db) => this.registryTables(db, actor, divisionCode)));
  }

  private async registryTables(
    db: ReadConn,
    actor: Actor,
    divisionCode?: string,
  ): Promise<{ def: SheetDef; rows: Record<string, CellOut>[] }[]> {
    const orgs = await this.orgs.listAll(actor, divisionCode, db);
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
    const figures = await this.repo.orgFigures(db, orgIds);
    tables.push({
      def: SHEETS.org_figures,
      rows: figures.map((f) => ({
        orgCode: f.orgCode,
        orgName: f.orgName,
        year: f.year,
        operatingIncomeFen: yuan(f.op),
        totalIncomeFen: yuan(f.tot),
        reserveFundFen: yuan(f.res),
        distributedFen: yuan(f.dist),
      })),
    });
    const memberRows = await this.repo.members(db, orgIds);
    const cards = await this.cards.byIds(
      db,
      memberRows.map((m) => m.personId),
    );
    const members = memberRows
      .filter((m) => cards.has(m.personId))
      .map((m) => ({ ...m, realName: cards.get(m.personId)!.realName, idNumberMasked: cards.get(m.personId)!.idNumberMasked }))
      .sort(
        (a, b) =>
          byText(a.divisionCode, b.divisionCode) || byText(a.orgName, b.orgName) || byText(a.realName, b.realName) || byText(a.id, b.id),
      );
    tables.push({
      def: SHEETS.members,
      rows: members.map((m) => ({
        orgCode: m.orgCode,
        orgName: m.orgName,
        realName: m.realName,
        idNumberMasked: m.idNumberMasked,
        joinedOn: m.joinedOn,
        leftOn: m.leftOn,
        shares: Number(m.shares),
      })),
    });

    if (actor.scopesFor('economy.company.read').length) {
      const companies = await this.companies.listAll(actor, divisionCode, db);
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
      const holders = await this.repo.shareholders(db, ids);
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
      const cf = await this.repo.companyFigures(db, ids);
      tables.push({
        def: SHEETS.company_figures,
        rows: cf.map((f) => ({ ...f, revenueFen: yuan(f.revenueFen), profitFen: yuan(f.profitFen) })),
      });
      const dv = await this.repo.dividends(db, ids);
      tables.push({ def: SHEETS.dividends, rows: dv.map((d) => ({ ...d, amountFen: yuan(d.amountFen) })) });
      const al = await this.repo.alliance(db, ids);
      tables.push({ def: SHEETS.alliance, rows: al.map((a) => ({ ...a, kind: ALLIANCE_KIND_NAMES[a.kind] })) });
    }
    return tables;
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
