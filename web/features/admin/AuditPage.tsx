import { Button, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditEvent } from '../../../contracts/admin.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const actions = [
  { value: 'auth.', label: 'Connexions' },
  { value: 'user.', label: 'Utilisateurs' },
  { value: 'access.', label: 'Accès refusés et fiches introuvables' },
  { value: 'alert.', label: 'Alertes' },
  { value: 'audit.read', label: 'Lectures du journal' },
  { value: 'outbox.', label: 'Boîte d’envoi' },
];

/** The organisation's audit trail: who saw or changed what, when, from where. */
export function AuditPage() {
  usePageTitle('Journal d’audit');
  const [filters, setFilters] = useState<{ action?: string; from?: string; to?: string }>({});
  const events = useQuery({ queryKey: ['audit', filters], queryFn: () => api<AuditEvent[]>('POST', '/api/audit/search', { ...filters, limit: 200 }) });
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const day = (name: string) => {
      const v = String(form.get(name) ?? '');
      return v ? new Date(`${v}T00:00:00`).toISOString() : undefined;
    };
    const action = String(form.get('action') ?? '');
    setFilters({ ...(action ? { action } : {}), ...(day('from') ? { from: day('from') } : {}), ...(day('to') ? { to: day('to') } : {}) });
  };
  return (
    <Stack>
      <Title order={1}>Journal d’audit</Title>
      <Text size="sm" c="dimmed">
        Le journal est en ajout seul : personne, pas même un administrateur, ne peut le modifier.
      </Text>
      <form onSubmit={submit}>
        <Group align="end">
          <Select name="action" label="Type d’action" data={actions} clearable placeholder="Toutes les actions" />
          <TextInput name="from" type="date" label="Du" />
          <TextInput name="to" type="date" label="Au (exclu)" />
          <Button type="submit">Filtrer</Button>
        </Group>
      </form>
      <Table.ScrollContainer minWidth={800}>
        <Table striped aria-label="Journal d’audit">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Qui</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Objet</Table.Th>
              <Table.Th>Adresse IP</Table.Th>
              <Table.Th>Détails</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(events.data ?? []).map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{new Date(e.at).toLocaleString('fr-FR')}</Table.Td>
                <Table.Td>{e.actorName ?? '—'}</Table.Td>
                <Table.Td>
                  <Code>{e.action}</Code>
                </Table.Td>
                <Table.Td>{e.objectType ? `${e.objectType} ${e.objectId?.slice(0, 8) ?? ''}` : '—'}</Table.Td>
                <Table.Td>{e.ip ?? '—'}</Table.Td>
                <Table.Td>
                  <Code>{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
