import { Anchor, Card, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One part of the summary, with a link back to its step. */
export function ReviewSection({ title, step, onEdit, children }: { title: string; step: number; onEdit: (step: number) => void; children: ReactNode }) {
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3}>{title}</Title>
          <Anchor component="button" type="button" onClick={() => onEdit(step)} aria-label={`Modifier : ${title.toLowerCase()}`}>
            Modifier
          </Anchor>
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
