/** The API's whole contract: every lib's route map (each lib's src/routes.ts), as the server declares it. */
import type { divisionRoutes } from '@libs/divisions/src/routes';
import type { proposalRoutes } from '@libs/deliberation/src/proposal-routes';

export type ApiRoutes = typeof divisionRoutes & typeof proposalRoutes;
