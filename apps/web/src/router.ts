import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ApiError, hasTokens } from './api/client';
import { useSession } from './stores/session';
import LoginView from './views/LoginView.vue';

// Every page is its own chunk, loaded when first visited, except the login page: it is the first page
// of a new phone, and part of the entry it arrives in one round trip, not two (docs/performance.md).
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/activate', name: 'activate', component: () => import('./views/ActivateView.vue'), meta: { public: true } },
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  { path: '/me', name: 'me', component: () => import('./views/MeView.vue') },
  { path: '/register', component: () => import('./views/register/RegisterListView.vue') },
  { path: '/register/new', component: () => import('./views/register/ResidentFormView.vue') },
  { path: '/register/import', component: () => import('./views/register/RegisterImportView.vue') },
  { path: '/register/:id', component: () => import('./views/register/ResidentView.vue') },
  { path: '/grants', component: () => import('./views/admin/GrantsView.vue') },
  { path: '/audit', component: () => import('./views/admin/AuditView.vue') },
  { path: '/divisions', component: () => import('./views/admin/DivisionsView.vue') },
  { path: '/proposals', component: () => import('./views/deliberation/ProposalListView.vue') },
  { path: '/proposals/new', component: () => import('./views/deliberation/ProposalFormView.vue') },
  { path: '/proposals/:id', component: () => import('./views/deliberation/ProposalDetailView.vue') },
  { path: '/proposals/:id/meeting/sign-in', component: () => import('./views/deliberation/meeting/MeetingSignInView.vue') },
  { path: '/proposals/:id/meeting/sheet', component: () => import('./views/deliberation/meeting/SignInSheetView.vue') },
  { path: '/proposals/:id/meeting/totals', component: () => import('./views/deliberation/meeting/PaperTotalsView.vue') },
  { path: '/proposals/:id/meeting/tally-sheet', component: () => import('./views/deliberation/meeting/TallySheetView.vue') },
  { path: '/proposals/:id/meeting/confirm', component: () => import('./views/deliberation/meeting/MeetingConfirmView.vue') },
  { path: '/proposals/:id/meeting/assist', component: () => import('./views/deliberation/meeting/AssistedVoteView.vue') },
  { path: '/proposals/:id/edit', component: () => import('./views/deliberation/ProposalFormView.vue') },
  { path: '/proposals-stats', component: () => import('./views/deliberation/ProposalStatsView.vue') },
  { path: '/joint-requests', component: () => import('./views/deliberation/JointRequestsView.vue') },
  { path: '/joint-requests/overdue', component: () => import('./views/deliberation/JointOverdueView.vue') },
  { path: '/authorisations', component: () => import('./views/deliberation/AuthorisationsView.vue') },
  { path: '/notices', component: () => import('./views/deliberation/NoticeBoardView.vue') },
  { path: '/notices/:id', component: () => import('./views/deliberation/NoticeDetailView.vue') },
  { path: '/notifications', component: () => import('./views/NotificationsView.vue') },
  { path: '/outbox', component: () => import('./views/messaging/OutboxView.vue') },
  { path: '/mediation', component: () => import('./views/mediation/CaseListView.vue') },
  { path: '/mediation/mine', component: () => import('./views/mediation/CaseListView.vue') },
  { path: '/mediation/new', component: () => import('./views/mediation/CaseFormView.vue') },
  { path: '/mediation/apply', component: () => import('./views/mediation/CaseFormView.vue') },
  { path: '/mediation/cases/:id', component: () => import('./views/mediation/CaseDetailView.vue') },
  { path: '/mediation/mine/:id', component: () => import('./views/mediation/CaseDetailView.vue') },
  { path: '/mediation/dashboard', component: () => import('./views/mediation/MediationDashboardView.vue') },
  { path: '/economy/import', component: () => import('./views/economy/EconomyImportView.vue') },
  { path: '/economy/companies', component: () => import('./views/economy/CompanyListView.vue') },
  { path: '/economy/companies/new', component: () => import('./views/economy/CompanyFormView.vue') },
  { path: '/economy/companies/:id/edit', component: () => import('./views/economy/CompanyFormView.vue') },
  { path: '/economy/companies/:id', component: () => import('./views/economy/CompanyDetailView.vue') },
  { path: '/economy/orgs', component: () => import('./views/economy/OrgListView.vue') },
  { path: '/economy/orgs/new', component: () => import('./views/economy/OrgFormView.vue') },
  { path: '/economy/orgs/:id/edit', component: () => import('./views/economy/OrgFormView.vue') },
  { path: '/economy/orgs/:id', component: () => import('./views/economy/OrgDetailView.vue') },
  { path: '/economy/dashboard', component: () => import('./views/economy/EconomyDashboardView.vue') },
  { path: '/disclosures', component: () => import('./views/openness/DisclosureListView.vue') },
  { path: '/disclosures/new', component: () => import('./views/openness/DisclosureFormView.vue') },
  { path: '/disclosures/:id', component: () => import('./views/openness/DisclosureDetailView.vue') },
  { path: '/disclosures/:id/edit', component: () => import('./views/openness/DisclosureEditView.vue') },
  { path: '/disclosure-queries', component: () => import('./views/openness/QueryListView.vue') },
  { path: '/openness/oversight', component: () => import('./views/openness/OversightView.vue') },
  { path: '/openness/schedule', component: () => import('./views/openness/VillageScheduleView.vue') },
  { path: '/openness/villages/:code', component: () => import('./views/openness/VillageScheduleView.vue') },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { public: true } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  const session = useSession();
  if (!session.loggedIn && hasTokens()) {
    try {
      await session.loadMe();
    } catch (e) {
      session.forget();
      // The stored session could not be renewed: say so on the login page instead of a bare form.
      if (e instanceof ApiError && e.status === 401) return { name: 'login', query: { redirect: to.fullPath, expired: '1' } };
    }
  }
  if (!session.loggedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  return true;
});
