import type { AnswerOf } from '../../platform/src/http/contract.js';
import { meetingRoutes } from './meeting-routes.js';
import { proposalRoutes } from './proposal-routes.js';
import { votingRoutes } from './voting-routes.js';

/** 村事共议's routes and their types: proposals and their discussion, the votes, notices and approvals, and the meetings. */
export const deliberationRoutes = { ...proposalRoutes, ...votingRoutes, ...meetingRoutes };

export type DeliberationAnswer<K extends keyof typeof deliberationRoutes> = AnswerOf<(typeof deliberationRoutes)[K]>;
