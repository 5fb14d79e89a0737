/** The identity module's answers (the web imports this file: types only, no server code). */
import type { Role } from './role-names.js';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  tokenType: 'Bearer';
}

/** One grant of the signed-in person, with its division's names and what it permits. */
export interface MeGrant {
  role: Role;
  roleName: string;
  divisionCode: string;
  divisionName: string;
  /** 长治市 / 长子县 / 鲍店镇 / … down to the division itself. */
  divisionFullName: string;
  /** Permission names (identity's permissions.ts). */
  permissions: string[];
}

export interface MeView {
  accountId: string | null;
  personId: string | null;
  realName: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  homeDivisionCode: string;
  homeDivisionName: string;
  grants: MeGrant[];
}

export type AccountStatus = 'pending' | 'active' | 'disabled';

export interface PersonView {
  id: string;
  realName: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  gender: 'M' | 'F';
  birthDate: string;
  homeDivisionCode: string;
  householdNo: string | null;
  /** The person's live roles at their home division, sorted. */
  roles: Role[];
  accountStatus: AccountStatus | null;
  isDemo: boolean;
  /** 无智能手机: notices reach them on the printed board, over the loudspeaker, or through their helper. */
  noSmartphone: boolean;
  /** The family member who relays notices (a registered adult of the same village), by name. */
  helper: PersonHelper | null;
}

export interface PersonHelper {
  id: string;
  realName: string;
  householdNo: string | null;
}

export interface RevealedField {
  field: 'idNumber' | 'phone';
  value: string | null;
}

export interface RegisterResult {
  personId: string;
  created: boolean;
  /** One-time code for the resident to set a password; shown once, only to the committee. */
  activationCode: string | null;
}

export interface RegisteredResident extends RegisterResult {
  person: PersonView;
}

export interface RegisterImportResult {
  total: number;
  created: number;
  updated: number;
  dryRun: boolean;
  activationCodes: { row: number; realName: string; personId: string; activationCode: string }[];
}

/** A row of a refused register import (CSV_ROWS_INVALID's details.errors). */
export interface RegisterRowError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface RepresentativesMeetingCounts {
  /** Committee members who are not also representatives. */
  committeeMembers: number;
  representatives: number;
  /** Women among the representatives. */
  womenRepresentatives: number;
}

export interface RepresentativesMeetingComposition extends RepresentativesMeetingCounts {
  /** 组成人员: everyone who sits, each person once. */
  members: number;
  warnings: string[];
}

export interface RepresentativesMeetingView extends RepresentativesMeetingComposition {
  villageCode: string;
}

export interface GrantView {
  id: string;
  personId: string;
  realName: string;
  role: Role;
  divisionCode: string;
  divisionName: string;
  grantedAt: string;
  /** After a seat of the 村民代表会议 is granted: what its make-up lacks (Art. 25), if anything. */
  warnings?: string[];
}

export interface AccountStatusView {
  id: string;
  status: 'active' | 'disabled';
}
