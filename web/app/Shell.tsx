import { Alert, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Navigate, Outlet, NavLink as RouterLink, useLocation, useNavigate } from 'react-router';
import type { Ability } from '../../contracts/abilities.ts';
import { plural } from '../../contracts/plural.ts';
import { roleLabels } from '../../contracts/roles.ts';
import { api } from './api.ts';
import { activeEntry, navigation } from './navigation.ts';
import { useCan, useMe } from './session.ts';

/** Layout of every signed-in page: header, menu of what the user may do, content. */
export function Shell() {
  const me = useMe();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const can = useCan();
  // Emergencies raised by calls reach the teams on every page, not only the dashboard.
  const urgent = useQuery({
    queryKey: ['followups', 'urgent-count'],
    queryFn: () => api<{ open: number }>('GET', '/api/followups/urgent-count'),
    enabled: can('followups.work'),
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
        {/* The administrator's menu is taller than a laptop screen: it scrolls on its own. */}
        <AppShell.Section grow style={{ overflowY: 'auto', minHeight: 0 }}>
          {user.stage === 'active' && <Menu pathname={location.pathname} onNavigate={close} />}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** The user's menu entries, one highlighted at most: the page's own entry, or its closest parent. */
function Menu({ pathname, onNavigate }: { pathname: string; onNavigate: () => void }) {
  const can = useCan();
  const entries = navigation.filter((item) => !item.ability || can(item.ability));
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

/** Show the page only to users with this ability (the API checks again on every call). */
export function RequireAbility({ ability, children }: { ability: Ability | readonly Ability[]; children: ReactNode }) {
  const can = useCan();
  // One of them is enough (a page two roles reach for different work: the referrals, sent or received).
  if (!(typeof ability === 'string' ? [ability] : ability).some(can)) {
    return (
      <Alert color="red" title="Accès refusé">
        Votre rôle ne donne pas accès à cette page.
      </Alert>
    );
  }
  return <>{children}</>;
}
