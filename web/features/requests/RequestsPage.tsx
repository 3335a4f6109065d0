import { Alert, Anchor, Badge, Card, Center, Checkbox, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { plural } from '../../../contracts/plural.ts';
import {
  type RequestCategory,
  type RequestStatus,
  requestCategories,
  requestCategoryLabels,
  requestStatuses,
  requestStatusLabels,
} from '../../../contracts/portal-labels.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type InboxFilter, useInbox } from './api.ts';

export const parisDate = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso));
const statusOptions = [{ value: 'open', label: 'À traiter (non résolues)' }, ...requestStatuses.map((s) => ({ value: s, label: requestStatusLabels[s] }))];

/** /demandes: tenants' requests from the portal, in the agencies the user works for, the nearest deadline first. */
export function RequestsPage() {
  usePageTitle('Demandes des locataires');
  const [filter, setFilter] = useState<InboxFilter>({ status: 'open' });
  const inbox = useInbox(filter);
  return (
    <Stack>
      <Title order={1}>Demandes des locataires</Title>
      <Text>Les demandes déposées dans l’espace locataire, de vos agences, l’échéance la plus proche d’abord.</Text>
      <Group align="end">
        <Select
          label="Statut"
          data={statusOptions}
          value={filter.status}
          allowDeselect={false}
          onChange={(v) => setFilter({ ...filter, status: (v ?? 'open') as RequestStatus | 'open' })}
        />
        <Select
          label="Catégorie"
          placeholder="Toutes"
          clearable
          data={requestCategories.map((c) => ({ value: c, label: requestCategoryLabels[c] }))}
          value={filter.category ?? null}
          onChange={(v) => setFilter({ ...filter, category: (v ?? undefined) as RequestCategory | undefined })}
        />
        <Checkbox label="Attribuées à moi" checked={filter.mine ?? false} onChange={(e) => setFilter({ ...filter, mine: e.currentTarget.checked })} />
      </Group>
      {inbox.error && (
        <Alert color="red" role="alert">
          {inbox.error.message}
        </Alert>
      )}
      {!inbox.data && !inbox.error && (
        <Center role="status">
          <Loader aria-label="Chargement des demandes…" />
        </Center>
      )}
      {inbox.data && (
        <>
          <Text size="sm">{plural(inbox.data.length, 'demande', 'demandes')}</Text>
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {inbox.data.map((r) => (
              <Card withBorder key={r.id} component="li">
                <Group justify="space-between">
                  <Anchor component={Link} to={`/demandes/${r.id}`} fw={600}>
                    {requestCategoryLabels[r.category]} — {r.householdName}
                  </Anchor>
                  <Group gap="xs">
                    <Badge variant="light">{requestStatusLabels[r.status]}</Badge>
                    {r.overdue && <Badge color="red">En retard</Badge>}
                  </Group>
                </Group>
                <Text size="sm" lineClamp={2}>
                  {r.description}
                </Text>
                <Text size="sm" c="dimmed">
                  Déposée le {parisDate(r.createdAt)} · à traiter avant le {parisDate(r.dueAt)}
                  {r.assignedTo ? '' : ' · non attribuée'}
                </Text>
              </Card>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
