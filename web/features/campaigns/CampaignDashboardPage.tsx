import { Title } from '@mantine/core';

/** Placeholder, being written. */
export function CampaignDashboardPage() {
  return <Title order={1}>CampaignDashboardPage</Title>;
}
