/**
 * The shapes of the 集体经济 API's answers that the web UI reads too (through its `@libs` alias),
 * shared with the services that build them. Types only: it may import only from names.ts.
 */
import type { AllianceKind, CompanyLevel, CompanyStatus, ImportKind, OfficerRole, OrgLevel } from './names.js';
import type { Page } from '../../platform/src/http/contract.js';

/** One entry of a record's history: who changed which fields, old → new. */
export interface ChangeView {
  id: string;
  action: string;
  changedAt: string;
  accountId: string | null;
  actorName: string;
  changes: Record<string, { old: unknown; new: unknown }>;
}

/** A bad cell of an import: the sheet (its title), the row as the spreadsheet numbers it, the column's header. */
export interface ImportRowError {
  sheet: string;
  row: number;
  column: string;
  code: string;
  message: string;
}

/** How many rows of one table an import created, updated, or found unchanged. */
export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportJobView {
  id: string;
  fileName: string;
  dryRun: boolean;
  status: 'running' | 'succeeded' | 'failed';
  total: number;
  processed: number;
  errors: ImportRowError[] | null;
  result: { written: boolean; counts: Partial<Record<ImportKind, KindCounts>> } | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One election of a 成员代表 (农村集体经济组织法 Art. 28): five-year term from the election day. */
export interface MemberRepresentativeView {
  id: string;
  memberId: string;
  personId: string;
  realName: string;
  gender: 'M' | 'F';
  electedOn: string;
  termEndsOn: string;
  endedOn: string | null;
  /** In office today: term not run out, not ended early, still a member. */
  inOffice: boolean;
}

export interface MemberRepresentativesView {
  items: MemberRepresentativeView[];
  /** 成员代表 in office today: the seats of a 成员代表大会 opened today. */
  seated: number;
  women: number;
  /** What the register lacks for a lawful 成员代表大会 (shown, not enforced here; opening the vote refuses ≤ 20). */
  warnings: string[];
}

/** One row of a roll-up (a division one level down, or the division's own-level records). */
export interface RollupRow {
  divisionCode: string;
  divisionName: string;
  companies: Record<CompanyStatus | 'total', number>;
  /** Capital of companies not deregistered. */
  registeredCapitalFen: string;
  paidInCapitalFen: string;
  revenueFen: string;
  profitFen: string;
  /** Dividends paid by platform companies to collective organizations located here. */
  dividendsToVillagesFen: string;
  orgs: number;
  orgsWithFigures: number;
  operatingIncomeFen: string;
  totalIncomeFen: string;
  reserveFundFen: string;
  distributedFen: string;
  /**
   * Villages, counted by their active village-level organization, split three ways for the year:
   * weak (operating income under the yardstick), not weak, and 未填报 (no figures for the year).
   * `villageOrgs = weakVillages + notWeakVillages + unreportedVillages`.
   */
  villageOrgs: number;
  weakVillages: number;
  notWeakVillages: number;
  unreportedVillages: number;
  weakVillagesLastYear: number;
  unreportedVillagesLastYear: number;
  /** Weak this year minus weak last year: read it beside the 未填报 counts (a village that stops reporting leaves `weak`). */
  weakChange: number;
}

/** A village whose organization has no figures for the year: shown as 未填报, never dropped. */
export interface UnreportedVillage {
  divisionCode: string;
  divisionName: string;
  townshipName: string;
  orgId: string;
  orgName: string;
}

export interface Rollup {
  year: number;
  divisionCode: string;
  divisionName: string;
  weakThresholdFen: string;
  total: RollupRow;
  /** One row per division one level down; a row for the division itself holds its own-level companies. */
  rows: RollupRow[];
  townshipsWithoutCompany: { code: string; name: string }[];
  unreportedVillages: UnreportedVillage[];
}

// ---------- 集体经济组织 ----------

export interface OrgInput {
  level: OrgLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  registrationNo?: string | null;
  registeredOn?: string | null;
  charterFiledOn?: string | null;
  chairName: string;
  memberCount: number;
  /** Integer number of shares (份额), as a decimal string. */
  totalShares: string;
  status?: 'active' | 'cancelled';
}

export type OrgPatch = Partial<Omit<OrgInput, 'level' | 'divisionCode'>>;

/** The fields kept in history and compared on re-import. */
export interface OrgRecord {
  level: OrgLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  registrationNo: string | null;
  registeredOn: string | null;
  charterFiledOn: string | null;
  chairName: string;
  memberCount: number;
  totalShares: string;
  status: string;
}

export interface OrgView extends OrgRecord {
  id: string;
  divisionName: string;
  allocatedShares: string;
  registeredMembers: number;
  isDemo: boolean;
}

export interface OfficerView {
  personId: string;
  realName: string;
  role: OfficerRole;
}

export interface MemberView {
  id: string;
  personId: string;
  realName: string;
  idNumberMasked: string;
  joinedOn: string;
  leftOn: string | null;
  shares: string;
}

export interface ShareChangeView {
  id: string;
  memberId: string;
  realName: string;
  oldShares: string;
  newShares: string;
  reason: string;
  changedAt: string;
  actorName: string;
}

export interface OrgFigures {
  operatingIncomeFen: string;
  totalIncomeFen: string;
  reserveFundFen: string;
  distributedFen: string;
}

export interface OrgDetail extends OrgView {
  officers: OfficerView[];
  history: ChangeView[];
}

export interface MembersView {
  items: MemberView[];
  totalShares: string;
  allocatedShares: string;
}

/** A year's figures with whether the year is confirmed (locked) for the record's township or county. */
export type OrgFiguresYear = OrgFigures & { year: number; locked: boolean };

/** 民主理财: the yearly report members and the supervision committee read. */
export interface OrgYearReport {
  org: Pick<OrgView, 'id' | 'name' | 'creditCode' | 'divisionCode' | 'divisionName' | 'totalShares' | 'memberCount'>;
  year: number;
  figures: (OrgFigures & { year: number }) | null;
  locked: boolean;
  dividendsReceived: { companyName: string; amountFen: string }[];
  holdings: { companyName: string; contributionFen: string; shareBp: number }[];
}

export interface OrgQuery {
  divisionCode?: string;
  q?: string;
  level?: string;
  status?: string;
  page?: number;
  pageSize?: number;
}

export interface OfficersInput {
  chairPersonId: string;
  directorPersonIds: string[];
  supervisorPersonIds: string[];
}

export interface MemberAddInput {
  personId?: string;
  idNumber?: string;
  shares: string;
  joinedOn: string;
}

export interface MemberSharesInput {
  shares: string;
  reason: string;
  leftOn?: string;
}

export interface MemberRepresentativeElectInput {
  memberId: string;
  electedOn: string;
}

export interface MemberRepresentativeEndInput {
  endedOn: string;
}

// ---------- 平台公司 ----------

export interface CompanyRecord {
  level: CompanyLevel;
  divisionCode: string;
  name: string;
  creditCode: string;
  legalRep: string;
  registeredCapitalFen: string;
  paidInCapitalFen: string;
  foundedOn: string | null;
  businessScope: string | null;
  status: CompanyStatus;
}

export interface CompanyView extends CompanyRecord {
  id: string;
  divisionName: string;
  isDemo: boolean;
}

export interface ShareholderInput {
  orgId?: string | null;
  holderName?: string | null;
  contributionFen: string;
  shareBp: number;
}

export interface ShareholderView {
  orgId: string | null;
  orgCreditCode: string | null;
  holderName: string;
  contributionFen: string;
  shareBp: number;
}

export interface AllianceInput {
  kind: AllianceKind;
  orgId?: string | null;
  name?: string | null;
  joinedOn: string;
  role: string;
}

export interface AllianceView {
  kind: AllianceKind;
  orgId: string | null;
  name: string;
  joinedOn: string;
  role: string;
}

export interface CompanyFigures {
  revenueFen: string;
  profitFen: string;
  dividends: { orgId: string; amountFen: string }[];
}

export interface CompanyDetail extends CompanyView {
  shareholders: ShareholderView[];
  alliance: AllianceView[];
  history: ChangeView[];
}

export interface CompanyFiguresYear {
  year: number;
  revenueFen: string;
  profitFen: string;
  dividends: { orgId: string; orgName: string; orgCreditCode: string; amountFen: string }[];
  locked: boolean;
}

export type CompanyInput = Omit<CompanyRecord, 'foundedOn' | 'businessScope'> & { foundedOn?: string; businessScope?: string };
export type CompanyPatch = Partial<Omit<CompanyInput, 'level' | 'divisionCode'>>;

export interface CompanyQuery {
  divisionCode?: string;
  status?: string;
  level?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface ShareholdersInput {
  shareholders: { orgId?: string; holderName?: string; contributionFen: string; shareBp: number }[];
}

export interface AllianceListInput {
  members: { kind: AllianceKind; orgId?: string; name?: string; joinedOn: string; role: string }[];
}

// ---------- 年度确认、汇总、设置、导入导出 ----------

export interface LockView {
  id: string;
  divisionCode: string;
  year: number;
  lockedAt: string;
  unlockedAt: string | null;
  unlockReason: string | null;
}

export interface YearLockInput {
  divisionCode: string;
  year: number;
}

export interface YearUnlockInput extends YearLockInput {
  reason: string;
}

export interface LocksQuery {
  year?: number;
}

export interface StatsQuery {
  year: number;
  divisionCode?: string;
}

export interface ExportQuery {
  divisionCode?: string;
}

export interface WeakThreshold {
  weakThresholdFen: string;
}

export interface ImportInput {
  fileName: string;
  contentBase64: string;
  kind?: ImportKind;
  dryRun?: boolean;
}

export type OrgPage = Page<OrgView>;
export type CompanyPage = Page<CompanyView>;
