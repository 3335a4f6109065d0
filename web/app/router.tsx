import { createBrowserRouter } from 'react-router';
import { AuditPage } from '../features/admin/AuditPage.tsx';
import { NoteReviewPage } from '../features/admin/NoteReviewPage.tsx';
import { OutboxPage } from '../features/admin/OutboxPage.tsx';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage.tsx';
import { SecondFactorPage } from '../features/auth/SecondFactorPage.tsx';
import { SecurityPage } from '../features/auth/SecurityPage.tsx';
import { SetPasswordPage } from '../features/auth/SetPasswordPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { CallerPage } from '../features/calls/CallerPage.tsx';
import { DoorstepPage } from '../features/calls/DoorstepPage.tsx';
import { CampaignDashboardPage } from '../features/campaigns/CampaignDashboardPage.tsx';
import { CampaignFormPage } from '../features/campaigns/CampaignFormPage.tsx';
import { CampaignsPage } from '../features/campaigns/CampaignsPage.tsx';
import { FollowupsPage } from '../features/campaigns/FollowupsPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { HouseholdPage } from '../features/registry/HouseholdPage.tsx';
import { HouseholdsListPage } from '../features/registry/HouseholdsListPage.tsx';
import { ImportPage } from '../features/registry/ImportPage.tsx';
import { ImportRunPage } from '../features/registry/ImportRunPage.tsx';
import { ResidencesPage } from '../features/registry/ResidencesPage.tsx';
import { SearchPage } from '../features/registry/SearchPage.tsx';
import { UsersPage } from '../features/users/UsersPage.tsx';
import { RequireRole, Shell } from './Shell.tsx';

export const router = createBrowserRouter([
  { path: '/connexion', element: <SignInPage /> },
  { path: '/connexion/code', element: <SecondFactorPage /> },
  { path: '/mot-de-passe-oublie', element: <ForgotPasswordPage /> },
  { path: '/reinitialiser', element: <SetPasswordPage purpose="password_reset" /> },
  { path: '/invitation', element: <SetPasswordPage purpose="invitation" /> },
  {
    element: <Shell />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/compte/securite', element: <SecurityPage /> },
      { path: '/aide', lazy: async () => ({ Component: (await import('../features/help/HelpPage.tsx')).HelpPage }) },
      {
        path: '/admin/utilisateurs',
        element: (
          <RequireRole roles={['org_admin']}>
            <UsersPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/messages',
        element: (
          <RequireRole roles={['org_admin']}>
            <OutboxPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/journal',
        element: (
          <RequireRole roles={['org_admin']}>
            <AuditPage />
          </RequireRole>
        ),
      },
      {
        path: '/menages',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'staff', 'social_worker', 'caretaker']}>
            <SearchPage />
          </RequireRole>
        ),
      },
      {
        path: '/menages/liste',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'staff', 'social_worker', 'caretaker']}>
            <HouseholdsListPage />
          </RequireRole>
        ),
      },
      {
        path: '/menages/:id',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'staff', 'social_worker', 'caretaker']}>
            <HouseholdPage />
          </RequireRole>
        ),
      },
      {
        path: '/registre/import',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <ImportPage />
          </RequireRole>
        ),
      },
      {
        path: '/registre/import/:id',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <ImportRunPage />
          </RequireRole>
        ),
      },
      {
        path: '/campagnes',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <CampaignsPage />
          </RequireRole>
        ),
      },
      {
        path: '/campagnes/nouvelle',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <CampaignFormPage />
          </RequireRole>
        ),
      },
      {
        path: '/campagnes/:id/modifier',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <CampaignFormPage />
          </RequireRole>
        ),
      },
      {
        path: '/campagnes/:id',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <CampaignDashboardPage />
          </RequireRole>
        ),
      },
      {
        path: '/appels',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'staff', 'social_worker', 'volunteer', 'partner']}>
            <CallerPage />
          </RequireRole>
        ),
      },
      {
        path: '/residences',
        element: (
          <RequireRole roles={['org_admin', 'manager']}>
            <ResidencesPage />
          </RequireRole>
        ),
      },
      {
        path: '/suivi',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'staff', 'social_worker']}>
            <FollowupsPage />
          </RequireRole>
        ),
      },
      {
        path: '/porte-a-porte',
        element: (
          <RequireRole roles={['org_admin', 'manager', 'caretaker']}>
            <DoorstepPage />
          </RequireRole>
        ),
      },
      {
        path: '/admin/notes',
        element: (
          <RequireRole roles={['org_admin']}>
            <NoteReviewPage />
          </RequireRole>
        ),
      },
      { path: '*', element: <HomePage notFound /> },
    ],
  },
]);
