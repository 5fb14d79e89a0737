/**
 * The shapes of the 集体经济 API's answers that the web UI reads too (through its `@libs` alias),
 * shared with the services that build them. Types only: it may import only from names.ts.
 */
import type { CompanyStatus, ImportKind } from './names.js';

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
