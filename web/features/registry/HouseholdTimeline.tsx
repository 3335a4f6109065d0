import { Anchor, Card, Chip, Group, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { type TimelineEvent, type TimelineType, timelineTypeLabels, timelineTypes } from '../../../contracts/households.ts';
import { useCan } from '../../app/session.ts';

/**
 * « Historique »: one chronological list of what happened to the household — calls, doorstep
 * visits, its cases, their tasks and notes, balances, changes to the file — as the server sends
 * it for the viewer's role; filterable by kind (only the kinds present are offered).
 */
export function HouseholdTimeline({ events }: { events: readonly TimelineEvent[] }) {
  const can = useCan();
  const present = timelineTypes.filter((t) => events.some((e) => e.type === t));
  const [hidden, setHidden] = useState<TimelineType[]>([]);
  const shownTypes = present.filter((t) => !hidden.includes(t));
  const listed = events.filter((e) => !hidden.includes(e.type));
  return (
    <Card withBorder>
      <Title order={4}>Historique</Title>
      {events.length === 0 && <Text size="sm">Rien pour l’instant. Les appels, dossiers, demandes et messages s’y ajouteront.</Text>}
      {present.length > 1 && (
        <Chip.Group multiple value={shownTypes} onChange={(v) => setHidden(present.filter((t) => !v.includes(t)))}>
          <Group gap="xs" my="xs" role="group" aria-label="Types d’événements affichés">
            {present.map((t) => (
              <Chip key={t} value={t} size="xs">
                {timelineTypeLabels[t]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      {events.length > 0 && listed.length === 0 && <Text size="sm">Aucun événement de ces types.</Text>}
      {listed.map((e, i) => (
        <Text size="sm" key={i}>
          {new Date(e.at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })} — {e.label}
          {e.caseId && can('followups.work') && (
            <>
              {' '}
              <Anchor component={Link} to={`/dossiers/${e.caseId}`} size="sm">
                voir le dossier
              </Anchor>
            </>
          )}
        </Text>
      ))}
    </Card>
  );
}
