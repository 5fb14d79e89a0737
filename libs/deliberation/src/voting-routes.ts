/** Votes, ballots, electorates, notices, notifications, authorisations and approvals (see routes.ts). */
export const votingRoutes = {};
