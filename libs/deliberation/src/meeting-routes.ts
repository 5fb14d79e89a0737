import { route } from '../../platform/src/http/contract.js';
import type { Choice } from './names.js';
import type {
  AssistedBallotView,
  BallotReceiptView,
  LiveTurnoutView,
  MeetingAnswer,
  MeetingView,
  PaperEntryAnswer,
  SignInAnswer,
  SignInRow,
  SignInSheet,
} from './views.js';

/** Arranging the decision vote's meeting: when, where, who chairs, counts and oversees, which parts it holds. */
export interface MeetingBody {
  /** When the on-site meeting is held (ISO 8601). */
  heldAt: string;
  place: string;
  chairPersonId: string;
  tellerPersonIds: string[];
  scrutineerPersonIds: string[];
  onlinePart: boolean;
  onsitePart: boolean;
}

export interface SignInBody {
  personId: string;
}

export interface SignInQuery {
  /** A name, its pinyin initials, or a household number. */
  q?: string;
}

/** An open on-site ballot (举手 or 记名): the choice a teller saw a signed-in elector make. */
export interface OnsiteChoiceBody {
  personId: string;
  choice: Choice;
}

/** One teller's independent count of the paper ballots (secret on-site ballot). */
export interface PaperTotalsBody {
  issued: number;
  returned: number;
  yes: number;
  no: number;
  abstain: number;
  spoiled: number;
  representativesYes?: number;
}

/** The photo of the signed 计票单 (JPEG or PNG, at most 2 MB). */
export interface TallySheetBody {
  contentBase64: string;
  contentType: string;
}

/** 代投: a villager without a phone votes on a staff device; the record says who assisted, never the choice of a secret ballot. */
export interface AssistedBallotBody {
  personId: string;
  choice: Choice;
}

/** The meeting of a decision vote: its on-site part, sign-in, paper totals and assisted ballots (see routes.ts). */
export const meetingRoutes = {
  'GET /api/v1/proposals/:id/meeting': route<MeetingAnswer>(),
  'PUT /api/v1/proposals/:id/meeting': route<MeetingView, never, MeetingBody>(),
  'GET /api/v1/proposals/:id/meeting/sign-in-sheet': route<SignInSheet>(),
  'GET /api/v1/proposals/:id/meeting/electors': route<SignInRow[], SignInQuery>(),
  'POST /api/v1/proposals/:id/meeting/sign-ins': route<SignInAnswer, never, SignInBody>(),
  'POST /api/v1/proposals/:id/meeting/choices': route<SignInRow, never, OnsiteChoiceBody>(),
  'POST /api/v1/proposals/:id/meeting/paper-totals': route<PaperEntryAnswer, never, PaperTotalsBody>(),
  'POST /api/v1/proposals/:id/meeting/tally-sheet': route<MeetingView, never, TallySheetBody>(),
  'POST /api/v1/proposals/:id/meeting/confirmation': route<MeetingView>(),
  'GET /api/v1/proposals/:id/meeting/turnout': route<LiveTurnoutView>(),
  'POST /api/v1/proposals/:id/assisted-ballots': route<BallotReceiptView, never, AssistedBallotBody>(),
  'GET /api/v1/proposals/:id/assisted-ballots': route<AssistedBallotView[]>(),
};
