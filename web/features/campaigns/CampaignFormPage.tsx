import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function CampaignFormPage() {
  return <Title order={1}>CampaignFormPage</Title>;
}
