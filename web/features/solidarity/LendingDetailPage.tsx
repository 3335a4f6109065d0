import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { lendingAudienceLabels, lendingStatusLabels } from '../../../contracts/solidarity.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useKeys, useLending } from './api.ts';

/** /logements-pretes/:id: one lending, its agreement and its keys. */
export function LendingDetailPage() {
  const { id = '' } = useParams();
  usePageTitle('Prêt de logement');
  const lending = useLending(id);
  const keys = useKeys();
  const manages = useCan()('lending.manage');
  const l = lending.data;
  const record = (event: 'handed' | 'returned') =>
    keys.mutate(
      { id, event },
      {
        onSuccess: () => notifySuccess(event === 'handed' ? 'Clés remises : le logement est occupé.' : 'Clés rendues : le logement est de nouveau vacant.'),
        onError: notifyError,
      },
    );
  return (
    <Stack>
      <Title order={1}>Prêt de logement</Title>
      {lending.isError && <Text>Prêt introuvable.</Text>}
      {l && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>
              <strong>Pour :</strong> {lendingAudienceLabels[l.audience]} — {l.requesterName}
            </Text>
            <Text>
              <strong>Du</strong> {frenchDay(l.from)} <strong>au</strong> {frenchDay(l.to)}
            </Text>
            <Text>
              <strong>Logement :</strong>{' '}
              {l.place
                ? `${l.place.unitRef}, ${l.place.residence} — ${l.place.address}`
                : 'adresse confidentielle (connue de la personne qui garde l’offre et du ou de la référent·e)'}
            </Text>
            <Text>
              <strong>Gardé par</strong> {l.keeper} · <strong>référent·e</strong> {l.referent}
            </Text>
            <Text>
              <strong>Statut :</strong> {lendingStatusLabels[l.status]}
            </Text>
            <Group>
              {l.place && (
                <Anchor href={`/api/solidarity/lendings/${l.id}/agreement`} download>
                  Télécharger la convention d’occupation temporaire (PDF)
                </Anchor>
              )}
              {manages && l.status === 'agreed' && (
                <Button onClick={() => record('handed')} loading={keys.isPending}>
                  Clés remises
                </Button>
              )}
              {manages && l.status === 'occupied' && (
                <Button onClick={() => record('returned')} loading={keys.isPending}>
                  Clés rendues
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
