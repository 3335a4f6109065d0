import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function FollowupsPage() {
  return <Title order={1}>FollowupsPage</Title>;
}
