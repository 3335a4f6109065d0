import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { formatPhone } from '../../../contracts/phone.ts';
import { deliveryKindLabels, deliveryStatusLabels } from '../../../contracts/solidarity.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useDeliveryOutcome, useMyDeliveries } from './api.ts';

/**
 * /livraisons: the deliverer's phone page (a volunteer or a caretaker): each delivery with only the
 * first name, the door and a phone; « Livré », « Absent », « Refusé ». Medicines: no detail.
 */
export function MyDeliveriesPage() {
  usePageTitle('Mes livraisons');
  const mine = useMyDeliveries();
  const record = useDeliveryOutcome();
  const say = (outcome: 'done' | 'not_home' | 'refused', id: string) =>
    record.mutate(
      { id, outcome },
      {
        onSuccess: (r) =>
          notifySuccess(
            outcome === 'done'
              ? 'Livraison enregistrée : livré.'
              : outcome === 'refused'
                ? 'Livraison enregistrée : refusée.'
                : r.doorstep
                  ? 'Absent deux fois : le ou la gardien·ne passera voir.'
                  : 'Absent : la livraison reste à faire.',
          ),
        onError: notifyError,
      },
    );
  const cards = mine.data?.cards ?? [];
  return (
    <Stack>
      <Title order={1}>Mes livraisons</Title>
      {mine.data?.message && <Alert color="yellow">{mine.data.message}</Alert>}
      {mine.data && !mine.data.blocked && cards.length === 0 && <Text>Aucune livraison à faire.</Text>}
      {cards.map((c) => (
        <Card key={c.id} withBorder aria-label={`Livraison pour ${c.firstName}`}>
          <Stack gap={6}>
            <Group justify="space-between">
              <Text fw={700}>
                {deliveryKindLabels[c.kind]} pour {c.firstName}
              </Text>
              <Badge color={c.status === 'assigned' ? 'blue' : c.status === 'done' ? 'teal' : 'gray'}>{deliveryStatusLabels[c.status]}</Badge>
            </Group>
            {c.detail && <Text size="sm">{c.detail}</Text>}
            <Text size="sm">
              {c.address} — logement {c.unit}
              {c.floor === null ? '' : c.floor === 0 ? ', rez-de-chaussée' : `, étage ${c.floor}`}
            </Text>
            <Text size="sm">Le {frenchDay(c.dueOn)}</Text>
            {c.phone && (
              <Anchor href={`tel:${c.phone}`} size="sm">
                Appeler {formatPhone(c.phone)}
              </Anchor>
            )}
            {c.notHomeCount > 0 && c.status === 'assigned' && <Text size="sm">Déjà absent une fois.</Text>}
            {c.status === 'assigned' && (
              <Group grow>
                <Button color="teal" onClick={() => say('done', c.id)} loading={record.isPending}>
                  Livré
                </Button>
                <Button variant="light" onClick={() => say('not_home', c.id)} loading={record.isPending}>
                  Absent
                </Button>
                <Button variant="light" color="gray" onClick={() => say('refused', c.id)} loading={record.isPending}>
                  Refusé
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
