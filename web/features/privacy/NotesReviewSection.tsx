import { Anchor, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { HomeSummary } from '../../../contracts/home.ts';
import { plural } from '../../../contracts/plural.ts';
import { api } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';

/**
 * The notes review queue (TRUST DP-05) on the DPO's page: how many call notes wait, and the way to
 * them. The count comes from the home summary, so looking at it lists no household.
 */
export function NotesReviewSection() {
  const can = useCan();
  const allowed = can('notes.review');
  const summary = useQuery({ queryKey: ['home'], queryFn: () => api<HomeSummary>('GET', '/api/home'), enabled: allowed && can('home.view') });
  if (!allowed) return null;
  const count = summary.data?.notesToReview ?? null;
  return (
    <Card withBorder component="section" aria-labelledby="notes-review-title">
      <Stack gap="xs">
        <Title order={2} id="notes-review-title">
          Notes d’appel à relire
        </Title>
        <Text size="sm" c="dimmed">
          Notes où un terme péjoratif ou une information de santé a été repéré : le locataire peut les lire, elles sont conservées ou retirées après relecture.
        </Text>
        <Group gap="sm">
          {summary.isPending ? (
            <Loader size="xs" aria-label="Chargement du nombre de notes à relire" />
          ) : (
            <Text fw={600} data-testid="notes-to-review">
              {count === null ? 'Nombre indisponible' : count === 0 ? 'Aucune note à relire' : `${plural(count, 'note', 'notes')} à relire`}
            </Text>
          )}
          <Anchor component={Link} to="/admin/notes">
            Ouvrir les notes à relire
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
