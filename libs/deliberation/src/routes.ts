import type { AnswerOf } from '../../platform/src/http/contract.js';
import { proposalRoutes } from './proposal-routes.js';
import { votingRoutes } from './voting-routes.js';

/** 村事共议's routes and their types: proposals and their discussion, and the votes, notices and approvals. */
export const deliberationRoutes = { ...proposalRoutes, ...votingRoutes };

export type DeliberationAnswer<K extends keyof typeof deliberationRoutes> = AnswerOf<(typeof deliberationRoutes)[K]>;
