import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart and, beside it, the table of the same figures (the chart is an image for screen readers). */
export function ChartWithTable({ title, chart, table, empty }: { title: string; chart: ReactNode; table: ReactNode; empty: boolean }) {
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>{title}</Title>
        {empty ? (
          <Text size="sm">Rien pour l’instant.</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <div role="img" aria-label={`Graphique : ${title.toLowerCase()} (les mêmes chiffres sont dans le tableau)`} style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer width="100%" height="100%">
                {chart as React.ReactElement}
              </ResponsiveContainer>
            </div>
            {table}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}
