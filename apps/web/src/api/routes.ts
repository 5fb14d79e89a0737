/** The API's whole contract: every lib's route map (each lib's src/routes.ts), as the server declares it. */
import type { auditRoutes } from '@libs/audit/src/routes';
import type { deliberationRoutes } from '@libs/deliberation/src/routes';
import type { divisionRoutes } from '@libs/divisions/src/routes';
import type { economyRoutes } from '@libs/economy/src/routes';
import type { identityRoutes } from '@libs/identity/src/routes';
import type { mediationRoutes } from '@libs/mediation/src/routes';
import type { opennessRoutes } from '@libs/openness/src/routes';
import type { messagingRoutes } from '@libs/messaging/src/routes';

export type ApiRoutes = typeof divisionRoutes &
  typeof identityRoutes &
  typeof auditRoutes &
  typeof deliberationRoutes &
  typeof economyRoutes &
  typeof mediationRoutes &
  typeof opennessRoutes &
  typeof messagingRoutes;
