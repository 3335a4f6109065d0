import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function CampaignsPage() {
  return <Title order={1}>CampaignsPage</Title>;
}
