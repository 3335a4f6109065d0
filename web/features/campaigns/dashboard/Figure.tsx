import { Paper, Text } from '@mantine/core';

/** One key figure, named for screen readers. */
export function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Text size="sm">{label}</Text>
      <Text fz={28} fw={700} data-testid={testId}>
        {value}
      </Text>
      {detail && <Text size="sm">{detail}</Text>}
    </Paper>
  );
}
