import { Alert, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { type DeliveryKind, deliveryKindLabels, deliveryKinds, deliveryStatusLabels } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useAssignDelivery, useDeliverers, useDeliveries } from './api.ts';

/** /livraisons/suivi: staff assign a delivery to a volunteer or a caretaker and follow them. */
export function DeliveriesPage() {
  usePageTitle('Livraisons');
  const list = useDeliveries();
  return (
    <Stack>
      <Title order={1}>Livraisons</Title>
      <Text size="sm">
        Repas, courses ou médicaments apportés à un ménage par un·e bénévole ou un·e gardien·ne. La personne qui livre ne voit que le prénom, la porte et un
        téléphone ; une livraison de médicaments ne porte aucun détail. Absent deux fois : une visite de porte-à-porte s’ouvre.
      </Text>
      <AssignDelivery />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Livraisons confiées
        </Title>
        {list.data?.length === 0 && <Text size="sm">Aucune livraison.</Text>}
        {!!list.data?.length && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ménage</Table.Th>
                <Table.Th>Livraison</Table.Th>
                <Table.Th>Le</Table.Th>
                <Table.Th>Confiée à</Table.Th>
                <Table.Th>Statut</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.household}</Table.Td>
                  <Table.Td>
                    {deliveryKindLabels[d.kind]}
                    {d.detail ? ` — ${d.detail}` : ''}
                  </Table.Td>
                  <Table.Td>{frenchDay(d.dueOn)}</Table.Td>
                  <Table.Td>{d.assignee}</Table.Td>
                  <Table.Td>{deliveryStatusLabels[d.status]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

function AssignDelivery() {
  const deliverers = useDeliverers();
  const assign = useAssignDelivery();
  const [query, setQuery] = useState('');
  const [household, setHousehold] = useState<HouseholdHit | null>(null);
  const [kind, setKind] = useState<DeliveryKind>('meal');
  const [detail, setDetail] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [assigneeId, setAssignee] = useState<string | null>(null);
  const hits = useQuery({
    queryKey: ['deliveries-search', query],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query }),
    enabled: query !== '',
    retry: false,
  });
  const submit = () => {
    if (!household || !assigneeId) return notifyError(new Error('Choisissez le ménage et la personne qui livre.'));
    assign.mutate(
      { householdId: household.id, kind, dueOn, assigneeId, ...(kind !== 'medicines' && detail.trim() ? { detail: detail.trim() } : {}) },
      {
        onSuccess: () => {
          notifySuccess('Livraison confiée.');
          setHousehold(null);
          setDetail('');
        },
        onError: notifyError,
      },
    );
  };
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Confier une livraison
        </Title>
        {!household && (
          <form
            aria-label="Rechercher le ménage"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery(String(new FormData(e.currentTarget).get('query') ?? '').trim());
            }}
          >
            <Group align="end">
              <TextInput name="query" label="Ménage" description="Nom, téléphone, adresse ou référence" style={{ flex: 1 }} />
              <Button type="submit" variant="default">
                Rechercher
              </Button>
            </Group>
          </form>
        )}
        {hits.error && <Alert color="red">{hits.error.message}</Alert>}
        {!household && hits.data && (
          <Stack gap={4} role="list" aria-label="Ménages trouvés">
            {hits.data.length === 0 && <Text c="dimmed">Aucun ménage trouvé.</Text>}
            {hits.data.map((h) => (
              <Group key={h.id} role="listitem" justify="space-between">
                <Text size="sm">
                  {h.persons.join(', ')} — {h.erpRef}
                </Text>
                <Button size="xs" variant="light" onClick={() => setHousehold(h)}>
                  Choisir le ménage {h.erpRef}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        {household && (
          <>
            <Text size="sm">
              Ménage : {household.persons.join(', ')} — {household.erpRef}{' '}
              <Button size="xs" variant="subtle" onClick={() => setHousehold(null)}>
                Changer
              </Button>
            </Text>
            <Group grow align="start">
              <Select
                label="Livraison"
                data={deliveryKinds.map((k) => ({ value: k, label: deliveryKindLabels[k] }))}
                value={kind}
                onChange={(v) => v && setKind(v as DeliveryKind)}
                allowDeselect={false}
              />
              <TextInput type="date" label="Le" value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} />
              <Select
                label="Confiée à"
                data={(deliverers.data ?? []).map((d) => ({ value: d.id, label: `${d.name} (${roleLabels[d.role as Role].toLowerCase()})` }))}
                value={assigneeId}
                onChange={setAssignee}
                searchable
              />
            </Group>
            {kind === 'medicines' ? (
              <Text size="xs" c="dimmed">
                Médicaments : aucun détail (secret médical).
              </Text>
            ) : (
              <TextInput label="Détail (facultatif)" value={detail} onChange={(e) => setDetail(e.currentTarget.value)} maxLength={200} />
            )}
            <Group>
              <Button onClick={submit} loading={assign.isPending}>
                Confier la livraison
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
