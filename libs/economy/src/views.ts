/**
 * The shapes of the 集体经济 API's answers that the web UI reads too (through its `@libs` alias),
 * shared with the services that build them. Types only: it may import only from names.ts.
 */
import type { ImportKind } from './names.js';

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
