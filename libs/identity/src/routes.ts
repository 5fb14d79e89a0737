import { type AnswerOf, type NoContent, type Page, route } from '../../platform/src/http/contract.js';
import type { Role } from './role-names.js';
import type {
  AccountStatusView,
  GrantView,
  MeView,
  PersonView,
  RegisteredResident,
  RegisterImportResult,
  RepresentativesMeetingView,
  RevealedField,
  TokenPair,
} from './views.js';

export interface LoginBody {
  phone: string;
  password: string;
}

export interface RefreshBody {
  refreshToken: string;
}

export interface ActivateBody {
  phone: string;
  activationCode: string;
  password: string;
}

export interface ChangePasswordBody {
  oldPassword: string;
  newPassword: string;
}

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface PeopleQuery extends PageQuery {
  divisionCode?: string;
  /** A part of the name. */
  q?: string;
  role?: Role;
  /** Only those marked 无智能手机 (true) or only the others (false). */
  noSmartphone?: boolean;
}

export interface RevealBody {
  field: 'idNumber' | 'phone';
}

export interface RegisterResidentBody {
  realName: string;
  idNumber: string;
  phone?: string;
  householdNo?: string;
  extraRoles?: Role[];
  /** 无智能手机: left out, a person registered again keeps the flag they have. */
  noSmartphone?: boolean;
  /** The family member who relays notices (people.service.ts `checkHelper`); left out, unchanged. */
  helperPersonId?: string;
}

/** How notices reach a person who is not online, in full: a helper left out means none (the API takes no nulls). */
export interface OfflineBody {
  noSmartphone: boolean;
  helperPersonId?: string;
}

export interface ImportRegisterBody {
  csv: string;
  dryRun?: boolean;
}

export interface GrantsQuery extends PageQuery {
  divisionCode?: string;
  role?: Role;
  personId?: string;
}

export interface GrantBody {
  personId: string;
  role: Role;
  divisionCode: string;
}

export interface AccountStatusBody {
  status: 'active' | 'disabled';
}

/** The identity module's routes and their types (the web's client is typed by this map). */
export const identityRoutes = {
  'POST /api/v1/auth/login': route<TokenPair, never, LoginBody>(),
  'POST /api/v1/auth/refresh': route<TokenPair, never, RefreshBody>(),
  'POST /api/v1/auth/activate': route<TokenPair, never, ActivateBody>(),
  'POST /api/v1/auth/logout': route<NoContent>(),
  'POST /api/v1/auth/password': route<NoContent, never, ChangePasswordBody>(),
  'GET /api/v1/me': route<MeView>(),
  'GET /api/v1/people': route<Page<PersonView>, PeopleQuery>(),
  'GET /api/v1/people/:id': route<PersonView>(),
  'POST /api/v1/people/:id/reveal': route<RevealedField, never, RevealBody>(),
  'PUT /api/v1/people/:id/offline': route<PersonView, never, OfflineBody>(),
  'POST /api/v1/villages/:code/residents': route<RegisteredResident, never, RegisterResidentBody>(),
  'POST /api/v1/villages/:code/residents/import': route<RegisterImportResult, never, ImportRegisterBody>(),
  'GET /api/v1/villages/:code/representatives-meeting': route<RepresentativesMeetingView>(),
  'GET /api/v1/grants': route<Page<GrantView>, GrantsQuery>(),
  'POST /api/v1/grants': route<GrantView, never, GrantBody>(),
  'POST /api/v1/grants/:id/revoke': route<NoContent>(),
  'PATCH /api/v1/accounts/:id/status': route<AccountStatusView, never, AccountStatusBody>(),
};

export type IdentityAnswer<K extends keyof typeof identityRoutes> = AnswerOf<(typeof identityRoutes)[K]>;
