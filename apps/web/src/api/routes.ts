/** The API's whole contract: every lib's route map (each lib's src/routes.ts), as the server declares it. */
import type { divisionRoutes } from '@libs/divisions/src/routes';
import type { economyRoutes } from '@libs/economy/src/routes';

export type ApiRoutes = typeof divisionRoutes & typeof economyRoutes;
