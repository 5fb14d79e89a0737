/**
 * The 集体经济 codes and their Chinese names: pure data, shared by the API and the web UI (which
 * imports this file through its `@libs` alias). It must import nothing, or only other such pure
 * files: no Nest, no class-validator, no #platform (eslint.config.mjs enforces it). The names are
 * also what the Excel export writes and the import reads back (sheets.ts).
 */

export const ORG_LEVELS = ['group', 'village', 'township'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const ORG_LEVEL_NAMES: Record<OrgLevel, string> = { group: '组级', village: '村级', township: '乡镇级' };

export const ORG_STATUSES = ['active', 'cancelled'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];
export const ORG_STATUS_NAMES: Record<OrgStatus, string> = { active: '正常', cancelled: '注销' };

/** The offices of an organization's board (理事会) and its supervisors. */
export const OFFICER_ROLES = ['chair', 'director', 'supervisor'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
export const OFFICER_ROLE_NAMES: Record<OfficerRole, string> = { chair: '理事长', director: '理事', supervisor: '监事' };

export const COMPANY_LEVELS = ['county', 'township'] as const;
export type CompanyLevel = (typeof COMPANY_LEVELS)[number];
export const COMPANY_LEVEL_NAMES: Record<CompanyLevel, string> = { county: '县级', township: '乡镇级' };

export const COMPANY_STATUSES = ['preparing', 'operating', 'suspended', 'deregistered'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export const COMPANY_STATUS_NAMES: Record<CompanyStatus, string> = {
  preparing: '筹建',
  operating: '运营',
  suspended: '停业',
  deregistered: '注销',
};

/** The kinds of member of a company's industry alliance (产业联盟). */
export const ALLIANCE_KINDS = ['enterprise', 'cooperative', 'collective_org'] as const;
export type AllianceKind = (typeof ALLIANCE_KINDS)[number];
export const ALLIANCE_KIND_NAMES: Record<AllianceKind, string> = {
  enterprise: '企业',
  cooperative: '合作社',
  collective_org: '集体经济组织',
};

/** The tables an import reads, in the order it writes them (the records before their shareholders, figures and dividends). */
export const IMPORT_ORDER = ['orgs', 'companies', 'shareholders', 'org_figures', 'company_figures', 'dividends'] as const;
export type ImportKind = (typeof IMPORT_ORDER)[number];
/** The export writes two more tables, for people to read. */
export type SheetKind = ImportKind | 'members' | 'alliance';

/** Each table's name: the sheet's name in the Excel file, and how the UI and the import's errors call it. */
export const SHEET_TITLES: Record<SheetKind, string> = {
  orgs: '集体经济组织',
  companies: '平台公司',
  shareholders: '平台公司股东',
  org_figures: '集体经济组织年度数据',
  company_figures: '平台公司年度数据',
  dividends: '平台公司分红',
  members: '集体经济组织成员',
  alliance: '产业联盟成员',
};

/** How a village stands for a year in the roll-ups: 薄弱 / 非薄弱 / 未填报 (no figures that year). */
export const UNREPORTED_NAME = '未填报';

/**
 * The 填报情况 of a roll-up row: a village row reads 已填报 / 未填报 (or 无村级组织); a row that sums
 * villages reads how many have not reported.
 */
export function reportingLabel(row: { divisionCode: string; villageOrgs: number; unreportedVillages: number }): string {
  if (row.divisionCode.length === 12) {
    if (row.villageOrgs === 0) return '无村级组织';
    return row.unreportedVillages > 0 ? UNREPORTED_NAME : '已填报';
  }
  if (row.villageOrgs === 0) return '';
  return row.unreportedVillages > 0 ? `${UNREPORTED_NAME} ${row.unreportedVillages} 村` : '全部填报';
}
