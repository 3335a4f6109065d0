import { Alert, Anchor, Loader, Stack } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useCampaign, useDashboard } from './api.ts';
import { CampaignHeader } from './dashboard/CampaignHeader.tsx';
import { DashboardFigures } from './dashboard/DashboardFigures.tsx';

/** /campagnes/:id: status and actions, key figures refreshed every 10 seconds, urgent alerts, charts with their tables, export. */
export function CampaignDashboardPage() {
  const { id = '' } = useParams();
  const campaign = useCampaign(id);
  usePageTitle(campaign.data ? `Campagne « ${campaign.data.name} »` : 'Campagne');
  const dashboard = useDashboard(id);
  if (campaign.isPending) return <Loader aria-label="Chargement" />;
  if (campaign.error) return <Alert color="red">{campaign.error.message}</Alert>;
  const c = campaign.data;
  return (
    <Stack maw={1200}>
      <Anchor component={Link} to="/campagnes" size="sm">
        ← Campagnes d’appels
      </Anchor>
      <CampaignHeader campaign={c} />
      {dashboard.error && <Alert color="red">{dashboard.error.message}</Alert>}
      {dashboard.data && <DashboardFigures data={dashboard.data} updatedAt={dashboard.dataUpdatedAt} campaign={c} />}
    </Stack>
  );
}
