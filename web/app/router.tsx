import { Center, Loader } from '@mantine/core';
import { type ComponentType, lazy, Suspense } from 'react';
import { type RouteObject, useRoutes } from 'react-router';
import { RequireAbility, Shell } from './Shell.tsx';

/** What a page shows while its code arrives (slow mobile network): the page area only, never a blank screen. */
function PageLoading() {
  return (
    <Center py="xl" role="status">
      <Loader aria-label="Chargement de la page…" />
    </Center>
  );
}

/**
 * A page loaded on first visit (its own chunk, so a caller's phone does not download the
 * dashboards' charts): `page(() => import('…/XPage.tsx'), 'XPage')`, one line per page.
 */
// biome-ignore lint/suspicious/noExplicitAny: any page's props
function page<K extends string, P extends object = any>(load: () => Promise<Record<K, ComponentType<P>>>, name: K): ComponentType<P> {
  const Lazy = lazy(() => load().then((module) => ({ default: module[name] })));
  return (props: P) => (
    <Suspense fallback={<PageLoading />}>
      {/* biome-ignore lint/suspicious/noExplicitAny: the page's own props, passed through */}
      <Lazy {...(props as any)} />
    </Suspense>
  );
}

const RequestsPage = page(() => import('../features/requests/RequestsPage.tsx'), 'RequestsPage');
const PortalArticlesPage = page(() => import('../features/requests/PortalArticlesPage.tsx'), 'PortalArticlesPage');
const RequestPage = page(() => import('../features/requests/RequestPage.tsx'), 'RequestPage');
const HouseholdDocumentsPage = page(() => import('../features/requests/HouseholdDocumentsPage.tsx'), 'HouseholdDocumentsPage');
const FederationPage = page(() => import('../features/federation/FederationPage.tsx'), 'FederationPage');
const ArrearsPage = page(() => import('../features/arrears/ArrearsPage.tsx'), 'ArrearsPage');
const BalanceImportPage = page(() => import('../features/arrears/BalanceImportPage.tsx'), 'BalanceImportPage');
const AuditPage = page(() => import('../features/admin/AuditPage.tsx'), 'AuditPage');
const NoteReviewPage = page(() => import('../features/admin/NoteReviewPage.tsx'), 'NoteReviewPage');
const OutboxPage = page(() => import('../features/admin/OutboxPage.tsx'), 'OutboxPage');
const ForgotPasswordPage = page(() => import('../features/auth/ForgotPasswordPage.tsx'), 'ForgotPasswordPage');
const SecondFactorPage = page(() => import('../features/auth/SecondFactorPage.tsx'), 'SecondFactorPage');
const SecurityPage = page(() => import('../features/auth/SecurityPage.tsx'), 'SecurityPage');
const SetPasswordPage = page(() => import('../features/auth/SetPasswordPage.tsx'), 'SetPasswordPage');
const SignInPage = page(() => import('../features/auth/SignInPage.tsx'), 'SignInPage');
const CallerPage = page(() => import('../features/calls/CallerPage.tsx'), 'CallerPage');
const DoorstepPage = page(() => import('../features/calls/DoorstepPage.tsx'), 'DoorstepPage');
const CampaignDashboardPage = page(() => import('../features/campaigns/CampaignDashboardPage.tsx'), 'CampaignDashboardPage');
const CampaignFormPage = page(() => import('../features/campaigns/CampaignFormPage.tsx'), 'CampaignFormPage');
const CampaignsPage = page(() => import('../features/campaigns/CampaignsPage.tsx'), 'CampaignsPage');
const CasesPage = page(() => import('../features/cases/CasesPage.tsx'), 'CasesPage');
const CasePage = page(() => import('../features/cases/CasePage.tsx'), 'CasePage');
const FollowupsPage = page(() => import('../features/campaigns/FollowupsPage.tsx'), 'FollowupsPage');
const MessagingPage = page(() => import('../features/messaging/MessagingPage.tsx'), 'MessagingPage');
const SendPage = page(() => import('../features/messaging/SendPage.tsx'), 'SendPage');
const PartnersPage = page(() => import('../features/partners/PartnersPage.tsx'), 'PartnersPage');
const ReferralPage = page(() => import('../features/partners/ReferralPage.tsx'), 'ReferralPage');
const ReferralsPage = page(() => import('../features/partners/ReferralsPage.tsx'), 'ReferralsPage');
const PrivacyPage = page(() => import('../features/privacy/PrivacyPage.tsx'), 'PrivacyPage');
const HelpPage = page(() => import('../features/help/HelpPage.tsx'), 'HelpPage');
const HomePage = page(() => import('../features/home/HomePage.tsx'), 'HomePage');
const HouseholdPage = page(() => import('../features/registry/HouseholdPage.tsx'), 'HouseholdPage');
const HouseholdsListPage = page(() => import('../features/registry/HouseholdsListPage.tsx'), 'HouseholdsListPage');
const ImportPage = page(() => import('../features/registry/ImportPage.tsx'), 'ImportPage');
const ImportRunPage = page(() => import('../features/registry/ImportRunPage.tsx'), 'ImportRunPage');
const ResidencesPage = page(() => import('../features/registry/ResidencesPage.tsx'), 'ResidencesPage');
const SearchPage = page(() => import('../features/registry/SearchPage.tsx'), 'SearchPage');
const DashboardsPage = page(() => import('../features/reporting/DashboardsPage.tsx'), 'DashboardsPage');
const UsersPage = page(() => import('../features/users/UsersPage.tsx'), 'UsersPage');
const LendingPage = page(() => import('../features/solidarity/LendingPage.tsx'), 'LendingPage');
const LendingDetailPage = page(() => import('../features/solidarity/LendingDetailPage.tsx'), 'LendingDetailPage');
const DeliveriesPage = page(() => import('../features/solidarity/DeliveriesPage.tsx'), 'DeliveriesPage');
const MyDeliveriesPage = page(() => import('../features/solidarity/MyDeliveriesPage.tsx'), 'MyDeliveriesPage');
const AppointmentsPage = page(() => import('../features/appointments/AppointmentsPage.tsx'), 'AppointmentsPage');
const DistributionsPage = page(() => import('../features/solidarity/DistributionsPage.tsx'), 'DistributionsPage');
const OutreachPage = page(() => import('../features/solidarity/OutreachPage.tsx'), 'OutreachPage');
const VolunteersPage = page(() => import('../features/solidarity/VolunteersPage.tsx'), 'VolunteersPage');
const MyVolunteeringPage = page(() => import('../features/solidarity/MyVolunteeringPage.tsx'), 'MyVolunteeringPage');
const HelpCallsPage = page(() => import('../features/solidarity/HelpCallsPage.tsx'), 'HelpCallsPage');
const HelpCallPage = page(() => import('../features/solidarity/HelpCallsPage.tsx'), 'HelpCallPage');
const HelpAnswerPage = page(() => import('../features/solidarity/HelpAnswerPage.tsx'), 'HelpAnswerPage');
const VolunteerSignUpPage = page(() => import('../features/solidarity/VolunteerSignUpPage.tsx'), 'VolunteerSignUpPage');

const routes: RouteObject[] = [
  { path: '/connexion', element: <SignInPage /> },
  { path: '/connexion/code', element: <SecondFactorPage /> },
  { path: '/mot-de-passe-oublie', element: <ForgotPasswordPage /> },
  { path: '/reinitialiser', element: <SetPasswordPage purpose="password_reset" /> },
  { path: '/invitation', element: <SetPasswordPage purpose="invitation" /> },
  { path: '/benevoles/:slug', element: <VolunteerSignUpPage /> },
  { path: '/aide/:token', element: <HelpAnswerPage /> },
  {
    element: <Shell />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/compte/securite', element: <SecurityPage /> },
      { path: '/aide', element: <HelpPage /> },
      {
        path: '/admin/utilisateurs',
        element: (
          <RequireAbility ability="users.manage">
            <UsersPage />
          </RequireAbility>
        ),
      },
      {
        path: '/admin/messages',
        element: (
          <RequireAbility ability="audit.read">
            <OutboxPage />
          </RequireAbility>
        ),
      },
      {
        path: '/admin/donnees',
        element: (
          <RequireAbility ability="privacy.manage">
            <PrivacyPage />
          </RequireAbility>
        ),
      },
      {
        path: '/admin/journal',
        element: (
          <RequireAbility ability="audit.read">
            <AuditPage />
          </RequireAbility>
        ),
      },
      {
        path: '/menages',
        element: (
          <RequireAbility ability="households.read">
            <SearchPage />
          </RequireAbility>
        ),
      },
      {
        path: '/menages/liste',
        element: (
          <RequireAbility ability="households.read">
            <HouseholdsListPage />
          </RequireAbility>
        ),
      },
      {
        path: '/menages/:id',
        element: (
          <RequireAbility ability="households.read">
            <HouseholdPage />
          </RequireAbility>
        ),
      },
      {
        path: '/registre/import',
        element: (
          <RequireAbility ability="imports.run">
            <ImportPage />
          </RequireAbility>
        ),
      },
      {
        path: '/registre/import/:id',
        element: (
          <RequireAbility ability="imports.run">
            <ImportRunPage />
          </RequireAbility>
        ),
      },
      {
        path: '/campagnes',
        element: (
          <RequireAbility ability="campaigns.manage">
            <CampaignsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/campagnes/nouvelle',
        element: (
          <RequireAbility ability="campaigns.manage">
            <CampaignFormPage />
          </RequireAbility>
        ),
      },
      {
        path: '/campagnes/:id/modifier',
        element: (
          <RequireAbility ability="campaigns.manage">
            <CampaignFormPage />
          </RequireAbility>
        ),
      },
      {
        path: '/campagnes/:id',
        element: (
          <RequireAbility ability="campaigns.manage">
            <CampaignDashboardPage />
          </RequireAbility>
        ),
      },
      {
        path: '/appels',
        element: (
          <RequireAbility ability="calls.make">
            <CallerPage />
          </RequireAbility>
        ),
      },
      {
        path: '/residences',
        element: (
          <RequireAbility ability="residences.manage">
            <ResidencesPage />
          </RequireAbility>
        ),
      },
      {
        path: '/federation',
        element: (
          <RequireAbility ability="federation.analyse">
            <FederationPage />
          </RequireAbility>
        ),
      },
      {
        path: '/impayes',
        element: (
          <RequireAbility ability="arrears.work">
            <ArrearsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/tableaux-de-bord',
        element: (
          <RequireAbility ability="reports.view">
            <DashboardsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/impayes/soldes',
        element: (
          <RequireAbility ability="arrears.import">
            <BalanceImportPage />
          </RequireAbility>
        ),
      },
      {
        path: '/demandes',
        element: (
          <RequireAbility ability="followups.work">
            <RequestsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/menages/:id/documents-locataire',
        element: (
          <RequireAbility ability="followups.work">
            <HouseholdDocumentsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/demandes/:id',
        element: (
          <RequireAbility ability="followups.work">
            <RequestPage />
          </RequireAbility>
        ),
      },
      {
        path: '/espace-locataire',
        element: (
          <RequireAbility ability="portal.publish">
            <PortalArticlesPage />
          </RequireAbility>
        ),
      },
      {
        path: '/dossiers',
        element: (
          <RequireAbility ability="followups.work">
            <CasesPage />
          </RequireAbility>
        ),
      },
      {
        path: '/dossiers/:id',
        element: (
          <RequireAbility ability="followups.work">
            <CasePage />
          </RequireAbility>
        ),
      },
      {
        path: '/orientations',
        element: (
          <RequireAbility ability={['referrals.send', 'referrals.receive']}>
            <ReferralsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/orientations/:id',
        element: (
          <RequireAbility ability={['referrals.send', 'referrals.receive']}>
            <ReferralPage />
          </RequireAbility>
        ),
      },
      {
        path: '/messages',
        element: (
          <RequireAbility ability="messages.send">
            <MessagingPage />
          </RequireAbility>
        ),
      },
      {
        path: '/messages/envois/:id',
        element: (
          <RequireAbility ability="messages.send">
            <SendPage />
          </RequireAbility>
        ),
      },
      {
        path: '/admin/partenaires',
        element: (
          <RequireAbility ability="partners.manage">
            <PartnersPage />
          </RequireAbility>
        ),
      },
      {
        path: '/suivi',
        element: (
          <RequireAbility ability="followups.work">
            <FollowupsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/porte-a-porte',
        element: (
          <RequireAbility ability="doorstep.visit">
            <DoorstepPage />
          </RequireAbility>
        ),
      },
      {
        path: '/livraisons',
        element: (
          <RequireAbility ability="deliveries.deliver">
            <MyDeliveriesPage />
          </RequireAbility>
        ),
      },
      {
        path: '/livraisons/suivi',
        element: (
          <RequireAbility ability="deliveries.manage">
            <DeliveriesPage />
          </RequireAbility>
        ),
      },
      {
        path: '/distributions',
        element: (
          <RequireAbility ability={['distributions.manage', 'distributions.partner']}>
            <DistributionsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/rendez-vous',
        element: (
          <RequireAbility ability="appointments.work">
            <AppointmentsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/au-pied-des-immeubles',
        element: (
          <RequireAbility ability="outreach.work">
            <OutreachPage />
          </RequireAbility>
        ),
      },
      {
        path: '/benevoles',
        element: (
          <RequireAbility ability="volunteers.manage">
            <VolunteersPage />
          </RequireAbility>
        ),
      },
      {
        path: '/appels-a-l-aide',
        element: (
          <RequireAbility ability="volunteers.manage">
            <HelpCallsPage />
          </RequireAbility>
        ),
      },
      {
        path: '/appels-a-l-aide/:id',
        element: (
          <RequireAbility ability="volunteers.manage">
            <HelpCallPage />
          </RequireAbility>
        ),
      },
      {
        path: '/mon-benevolat',
        element: (
          <RequireAbility ability="volunteers.self">
            <MyVolunteeringPage />
          </RequireAbility>
        ),
      },
      {
        path: '/logements-pretes',
        element: (
          <RequireAbility ability="lending.request">
            <LendingPage />
          </RequireAbility>
        ),
      },
      {
        path: '/logements-pretes/:id',
        element: (
          <RequireAbility ability="lending.request">
            <LendingDetailPage />
          </RequireAbility>
        ),
      },
      {
        path: '/admin/notes',
        element: (
          <RequireAbility ability="notes.review">
            <NoteReviewPage />
          </RequireAbility>
        ),
      },
      { path: '*', element: <HomePage notFound /> },
    ],
  },
];

/** The application's pages (declarative router: the data router's loaders are not used, and weigh ~20 KB). */
export function AppRoutes() {
  return useRoutes(routes);
}
