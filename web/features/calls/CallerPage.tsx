import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function CallerPage() {
  return <Title order={1}>CallerPage</Title>;
}
