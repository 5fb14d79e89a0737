/**
 * The spreadsheet tables of the registry: one sheet per table, Chinese headers. Export writes them,
 * import reads them back by sheet name (xlsx) or by `kind` (csv). Columns marked `info` are written
 * for people to read and ignored on import (names looked up from codes).
 */
import {
  COMPANY_LEVEL_NAMES,
  COMPANY_STATUS_NAMES,
  IMPORT_ORDER,
  type ImportKind,
  ORG_LEVEL_NAMES,
  ORG_STATUS_NAMES as STATUS_NAMES,
  SHEET_TITLES,
  type SheetKind,
} from './names.js';

export { IMPORT_ORDER, type ImportKind, type SheetKind } from './names.js';

export interface Column {
  key: string;
  header: string;
  required?: boolean;
  info?: boolean;
  type?: 'text' | 'int' | 'yuan' | 'percent' | 'date';
}

export interface SheetDef {
  kind: SheetKind;
  title: string;
  columns: Column[];
}

export const SHEETS: Record<SheetKind, SheetDef> = {
  orgs: {
    kind: 'orgs',
    title: SHEET_TITLES.orgs,
    columns: [
      { key: 'level', header: '层级', required: true },
      { key: 'divisionCode', header: '所在区划代码', required: true },
      { key: 'divisionName', header: '所在区划', info: true },
      { key: 'name', header: '组织名称', required: true },
      { key: 'creditCode', header: '统一社会信用代码', required: true },
      { key: 'registrationNo', header: '登记证书编号' },
      { key: 'registeredOn', header: '登记日期', type: 'date' },
      { key: 'charterFiledOn', header: '章程备案日期', type: 'date' },
      { key: 'chairName', header: '理事长', required: true },
      { key: 'memberCount', header: '成员数', required: true, type: 'int' },
      { key: 'totalShares', header: '总份额', required: true, type: 'int' },
      { key: 'status', header: '状态' },
    ],
  },
  companies: {
    kind: 'companies',
    title: SHEET_TITLES.companies,
    columns: [
      { key: 'level', header: '层级', required: true },
      { key: 'divisionCode', header: '所在区划代码', required: true },
      { key: 'divisionName', header: '所在区划', info: true },
      { key: 'name', header: '公司名称', required: true },
      { key: 'creditCode', header: '统一社会信用代码', required: true },
      { key: 'legalRep', header: '法定代表人', required: true },
      { key: 'registeredCapitalFen', header: '注册资本（元）', required: true, type: 'yuan' },
      { key: 'paidInCapitalFen', header: '实缴资本（元）', required: true, type: 'yuan' },
      { key: 'foundedOn', header: '成立日期', type: 'date' },
      { key: 'businessScope', header: '经营范围' },
      { key: 'status', header: '状态', required: true },
    ],
  },
  shareholders: {
    kind: 'shareholders',
    title: SHEET_TITLES.shareholders,
    columns: [
      { key: 'companyCode', header: '公司统一社会信用代码', required: true },
      { key: 'companyName', header: '公司名称', info: true },
      { key: 'holderKind', header: '股东类型', required: true },
      { key: 'orgCode', header: '股东统一社会信用代码' },
      { key: 'holderName', header: '股东名称' },
      { key: 'contributionFen', header: '出资额（元）', required: true, type: 'yuan' },
      { key: 'shareBp', header: '持股比例（%）', required: true, type: 'percent' },
    ],
  },
  org_figures: {
    kind: 'org_figures',
    title: SHEET_TITLES.org_figures,
    columns: [
      { key: 'orgCode', header: '统一社会信用代码', required: true },
      { key: 'orgName', header: '组织名称', info: true },
      { key: 'year', header: '年度', required: true, type: 'int' },
      { key: 'operatingIncomeFen', header: '经营收入（元）', required: true, type: 'yuan' },
      { key: 'totalIncomeFen', header: '总收入（元）', required: true, type: 'yuan' },
      { key: 'reserveFundFen', header: '提取公积公益金（元）', required: true, type: 'yuan' },
      { key: 'distributedFen', header: '分配给成员（元）', required: true, type: 'yuan' },
    ],
  },
  company_figures: {
    kind: 'company_figures',
    title: SHEET_TITLES.company_figures,
    columns: [
      { key: 'companyCode', header: '公司统一社会信用代码', required: true },
      { key: 'companyName', header: '公司名称', info: true },
      { key: 'year', header: '年度', required: true, type: 'int' },
      { key: 'revenueFen', header: '营业收入（元）', required: true, type: 'yuan' },
      { key: 'profitFen', header: '利润（元）', required: true, type: 'yuan' },
    ],
  },
  dividends: {
    kind: 'dividends',
    title: SHEET_TITLES.dividends,
    columns: [
      { key: 'companyCode', header: '公司统一社会信用代码', required: true },
      { key: 'companyName', header: '公司名称', info: true },
      { key: 'year', header: '年度', required: true, type: 'int' },
      { key: 'orgCode', header: '收益组织统一社会信用代码', required: true },
      { key: 'orgName', header: '收益组织名称', info: true },
      { key: 'amountFen', header: '分红金额（元）', required: true, type: 'yuan' },
    ],
  },
  members: {
    kind: 'members',
    title: SHEET_TITLES.members,
    columns: [
      { key: 'orgCode', header: '组织统一社会信用代码', info: true },
      { key: 'orgName', header: '组织名称', info: true },
      { key: 'realName', header: '姓名', info: true },
      { key: 'idNumberMasked', header: '身份证号（脱敏）', info: true },
      { key: 'joinedOn', header: '加入日期', info: true, type: 'date' },
      { key: 'leftOn', header: '退出日期', info: true, type: 'date' },
      { key: 'shares', header: '份额', info: true, type: 'int' },
    ],
  },
  alliance: {
    kind: 'alliance',
    title: SHEET_TITLES.alliance,
    columns: [
      { key: 'companyCode', header: '公司统一社会信用代码', info: true },
      { key: 'companyName', header: '公司名称', info: true },
      { key: 'kind', header: '成员类型', info: true },
      { key: 'name', header: '成员名称', info: true },
      { key: 'joinedOn', header: '加入日期', info: true, type: 'date' },
      { key: 'role', header: '联盟角色', info: true },
    ],
  },
};

export const IMPORT_KIND_BY_TITLE = new Map<string, ImportKind>(IMPORT_ORDER.map((k) => [SHEETS[k].title, k]));

/** A name's code: the import reads the names the export writes. */
const byName = <C extends string>(names: Record<C, string>): Record<string, C> =>
  Object.fromEntries(Object.entries(names).map(([code, name]) => [name, code])) as Record<string, C>;

export const ORG_LEVEL_BY_NAME = byName(ORG_LEVEL_NAMES);
export const ORG_STATUS_BY_NAME = byName(STATUS_NAMES);
/** Widened to string keys: a record's status arrives as a plain string. */
export const ORG_STATUS_NAMES: Record<string, string> = STATUS_NAMES;
export const COMPANY_LEVEL_BY_NAME = byName(COMPANY_LEVEL_NAMES);
export const COMPANY_STATUS_BY_NAME = byName(COMPANY_STATUS_NAMES);
export const HOLDER_KIND_BY_NAME: Record<string, 'org' | 'other'> = { 集体经济组织: 'org', 其他: 'other' };
