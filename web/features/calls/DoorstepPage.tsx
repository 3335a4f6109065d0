import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function DoorstepPage() {
  return <Title order={1}>DoorstepPage</Title>;
}
