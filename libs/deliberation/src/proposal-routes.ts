/** Proposals, their discussion, joint requests and statistics (see routes.ts). */
export const proposalRoutes = {};
