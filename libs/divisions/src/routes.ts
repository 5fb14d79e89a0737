import { type AnswerOf, route } from '../../platform/src/http/contract.js';
import type { DivisionLevel, DivisionView, DivisionWithPath } from './views.js';

export interface DivisionSearchQuery {
  q: string;
  within?: string;
  level?: DivisionLevel;
  limit?: number;
}

/** The divisions module's routes and their types (the web's client is typed by this map). */
export const divisionRoutes = {
  'GET /api/v1/divisions': route<DivisionView[]>(),
  'GET /api/v1/divisions/search': route<DivisionWithPath[], DivisionSearchQuery>(),
  'GET /api/v1/divisions/:code': route<DivisionWithPath>(),
  'GET /api/v1/divisions/:code/children': route<DivisionView[]>(),
};

export type DivisionAnswer<K extends keyof typeof divisionRoutes> = AnswerOf<(typeof divisionRoutes)[K]>;
