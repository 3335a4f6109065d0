import { Anchor, Badge, Button, Group, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import { campaignStatusLabels } from '../../../contracts/campaigns.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useCampaigns } from './api.ts';

export const statusColors: Record<keyof typeof campaignStatusLabels, string> = { draft: 'gray', active: 'teal', paused: 'orange', closed: 'blue' };

export const percent = (part: number, whole: number) => (whole ? `${Math.round((1000 * part) / whole) / 10} %`.replace('.', ',') : '—');
export const frenchDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('fr-FR') : '—');

/** Call campaigns of the organisation: status, households targeted and reached, callers. */
export function CampaignsPage() {
  usePageTitle('Campagnes d’appels');
  const campaigns = useCampaigns();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Campagnes d’appels</Title>
        <Button component={Link} to="/campagnes/nouvelle">
          Nouvelle campagne
        </Button>
      </Group>
      <DataTable
        label="Campagnes d’appels"
        minWidth={800}
        {...fromQuery(campaigns)}
        empty="Aucune campagne pour l’instant. Créez-en une à partir du script prêt à l’emploi « Veille isolement — crise sanitaire »."
        rowKey={(c) => c.id}
        columns={[
          {
            header: 'Campagne',
            cell: (c) => (
              <Anchor component={Link} to={`/campagnes/${c.id}`}>
                {c.name}
              </Anchor>
            ),
          },
          {
            header: 'Statut',
            cell: (c) => (
              <Badge color={statusColors[c.status]} variant="light">
                {campaignStatusLabels[c.status]}
              </Badge>
            ),
          },
          { header: 'Ménages ciblés', cell: (c) => (c.status === 'draft' ? '—' : c.targeted.toLocaleString('fr-FR')) },
          { header: 'Joints', cell: (c) => (c.status === 'draft' ? '—' : `${c.reached.toLocaleString('fr-FR')} (${percent(c.reached, c.targeted)})`) },
          { header: 'Appelant·es', cell: (c) => c.callers },
          { header: 'Lancée le', cell: (c) => frenchDate(c.launchedAt) },
        ]}
      />
    </Stack>
  );
}
