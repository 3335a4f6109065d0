import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { plural } from '../../../contracts/plural.ts';
import { useRaisedNeeds } from './api.ts';
import { frenchDate } from './CasesPage.tsx';

/**
 * The needs the user raised (on their calls, at the door), the latest first: each says only
 * whether it was taken care of (its case closed), nothing of the household or the case. Nothing
 * is shown while the user has raised none.
 */
export function RaisedNeedsCard() {
  const raised = useRaisedNeeds();
  const rows = raised.data ?? [];
  if (rows.length === 0) return null;
  const done = rows.filter((n) => n.takenCareOf).length;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          Les besoins que vous avez signalés
        </Title>
        <Text size="sm">
          {plural(rows.length, 'besoin signalé', 'besoins signalés')}, dont {plural(done, 'pris en charge', 'pris en charge')}.
        </Text>
        <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: 20 }}>
          {rows.slice(0, 10).map((n) => (
            <Group component="li" key={n.id} gap="xs">
              <Text size="sm">
                {n.label} — {frenchDate(n.raisedAt)}
              </Text>
              <Badge variant="light" color={n.takenCareOf ? 'green' : 'gray'}>
                {n.takenCareOf ? 'Pris en charge' : 'En cours'}
              </Badge>
            </Group>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}
