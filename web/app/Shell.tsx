import { Alert, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, NavLink as RouterLink, useLocation, useNavigate } from 'react-router';
import { plural } from '../../contracts/plural.ts';
import { type Role, roleLabels } from '../../contracts/roles.ts';
import { api } from './api.ts';
import { activeEntry, navigation } from './navigation.ts';
import { useMe } from './session.ts';

const urgentReaders: readonly Role[] = ['org_admin', 'manager', 'staff', 'social_worker'];

/** Layout of every signed-in page: header, role-filtered menu, content. */
export function Shell() {
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const role = me.data?.stage === 'active' ? me.data.role : null;
  // Emergencies raised by calls reach the teams on every page, not only the dashboard.
  const urgent = useQuery({
    queryKey: ['followups', 'urgent-count'],
    queryFn: () => api<{ open: number }>('GET', '/api/followups/urgent-count'),
    enabled: role !== null && urgentReaders.includes(role),
    refetchInterval: 30_000,
  });
  // A stale « nobody » being read again (just signed in) is not yet a reason to leave.
  if (me.isPending || (!me.data && me.isFetching))
    return (
      <Center h="100vh">
        <Loader aria-label="Chargement" />
      </Center>
    );
  if (!me.data) return <Navigate to="/connexion" replace state={{ from: location.pathname + location.search }} />;
  if (me.data.stage === 'second_factor') return <Navigate to="/connexion/code" replace />;
  if (me.data.stage === 'enrolment' && location.pathname !== '/compte/securite') return <Navigate to="/compte/securite" replace />;
  const user = me.data;
  const signOut = async () => {
    await api('POST', '/api/auth/sign-out').catch(() => {});
    client.clear();
    navigate('/connexion', { replace: true });
  };
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700} fz="xl" c="teal.8">
              Lien
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {user.organisation.name}
            </Text>
          </Group>
          <Group>
            {(urgent.data?.open ?? 0) > 0 && (
              // In the fixed header, so the pages never shift when it appears or goes.
              <Button component={RouterLink} to="/suivi?urgent=1" color="red" size="xs">
                {plural(urgent.data?.open ?? 0, 'urgence à traiter', 'urgences à traiter')}
              </Button>
            )}
            <Text size="sm" visibleFrom="sm">
              {user.firstName} {user.lastName} · {roleLabels[user.role]}
            </Text>
            <Button variant="light" size="xs" onClick={signOut}>
              Se déconnecter
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Menu principal">
        {user.stage === 'active' && <Menu role={user.role} pathname={location.pathname} onNavigate={close} />}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** The role's menu entries, one highlighted at most: the page's own entry, or its closest parent. */
function Menu({ role, pathname, onNavigate }: { role: Role; pathname: string; onNavigate: () => void }) {
  const entries = navigation.filter((item) => item.roles.includes(role));
  const active = activeEntry(pathname, entries);
  return entries.map((item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      onClick={onNavigate}
      active={item.to === active}
      aria-current={item.to === active ? 'page' : undefined}
    />
  ));
}

/** Show the page only to these roles (the API checks again on every call). */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const me = useMe();
  if (!me.data || !roles.includes(me.data.role)) {
    return (
      <Alert color="red" title="Accès refusé">
        Votre rôle ne donne pas accès à cette page.
      </Alert>
    );
  }
  return <>{children}</>;
}
