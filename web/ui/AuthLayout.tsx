import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from './usePageTitle.ts';

/** Centered card for the pages before sign-in. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <div>
            <Text fw={700} fz="xl" c="teal.8">
              Lien
            </Text>
            <Text size="sm" c="dimmed">
              Garder le lien avec les locataires
            </Text>
          </div>
          <Title order={1} fz="h3">
            {title}
          </Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
