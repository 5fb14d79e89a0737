import { type FileAnswer, type Page, route } from '../../platform/src/http/contract.js';
import type { Category } from './names.js';
import type {
  AuthorisationView,
  BallotReceiptView,
  BallotsView,
  NoticeView,
  ProxyView,
  ReceiptCheckView,
  ResultView,
  TurnoutView,
} from './views.js';

interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface BallotBody {
  choice: 'yes' | 'no' | 'abstain';
  /** 成员大会: the grantor whose ballot the holder of a written proxy casts. */
  onBehalfOf?: string;
  /** Changing a secret ballot: the receipt it was given. */
  receiptCode?: string;
}

export interface ProxyBody {
  grantorPersonId: string;
  proxyPersonId: string;
}

export interface VotePurposeQuery {
  purpose?: 'party_review' | 'decision';
}

export interface NoticeQuery extends PageQuery {
  divisionCode?: string;
  kind?: 'resolution' | 'implementation';
  current?: boolean;
}

export interface AuthorisationBody {
  villageCode: string;
  categories: Category[];
  validFrom: string;
  validTo: string;
  grantedByProposalId?: string;
  charterClause?: string;
  note?: string;
}

export interface AuthorisationQuery extends PageQuery {
  divisionCode?: string;
}

/** Votes, ballots, electorates, notices, notifications and authorisations (see routes.ts). */
export const votingRoutes = {
  'POST /api/v1/proposals/:id/ballots': route<BallotReceiptView, never, BallotBody>(),
  'POST /api/v1/proposals/:id/proxies': route<ProxyView, never, ProxyBody>(),
  'GET /api/v1/proposals/:id/turnout': route<TurnoutView>(),
  'GET /api/v1/proposals/:id/results': route<ResultView, VotePurposeQuery>(),
  'GET /api/v1/proposals/:id/ballots': route<BallotsView, VotePurposeQuery>(),
  'GET /api/v1/proposals/:id/receipts/:code': route<ReceiptCheckView>(),
  'GET /api/v1/notices': route<Page<NoticeView>, NoticeQuery>(),
  'GET /api/v1/notices/:id': route<NoticeView>(),
  'GET /api/v1/notices/:id/print': route<FileAnswer>(),
  'POST /api/v1/representatives-authorisations': route<AuthorisationView, never, AuthorisationBody>(),
  'GET /api/v1/representatives-authorisations': route<Page<AuthorisationView>, AuthorisationQuery>(),
  'GET /api/v1/representatives-authorisations/:id': route<AuthorisationView>(),
};
