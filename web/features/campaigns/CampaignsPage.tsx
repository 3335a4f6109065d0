import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { campaignStatusLabels } from '../../../contracts/campaigns.ts';
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
      {campaigns.isPending && <Loader aria-label="Chargement" />}
      {campaigns.error && <Alert color="red">{campaigns.error.message}</Alert>}
      {campaigns.data && campaigns.data.length === 0 && (
        <Text>Aucune campagne pour l’instant. Créez-en une à partir du script prêt à l’emploi « Veille isolement — crise sanitaire ».</Text>
      )}
      {campaigns.data && campaigns.data.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped aria-label="Campagnes d’appels">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Campagne</Table.Th>
                <Table.Th>Statut</Table.Th>
                <Table.Th>Ménages ciblés</Table.Th>
                <Table.Th>Joints</Table.Th>
                <Table.Th>Appelant·es</Table.Th>
                <Table.Th>Lancée le</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/campagnes/${c.id}`}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={statusColors[c.status]} variant="light">
                      {campaignStatusLabels[c.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{c.status === 'draft' ? '—' : c.targeted.toLocaleString('fr-FR')}</Table.Td>
                  <Table.Td>{c.status === 'draft' ? '—' : `${c.reached.toLocaleString('fr-FR')} (${percent(c.reached, c.targeted)})`}</Table.Td>
                  <Table.Td>{c.callers}</Table.Td>
                  <Table.Td>{frenchDate(c.launchedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
