import { Alert, Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { type CampaignDetail, campaignStatusLabels } from '../../../../contracts/campaigns.ts';
import { plural } from '../../../../contracts/plural.ts';
import { notifyError } from '../../../ui/errors.ts';
import { type CampaignAction, type LaunchResult, useCampaignAction } from '../api.ts';
import { frenchDate, statusColors } from '../CampaignsPage.tsx';

/** The campaign's name, status and actions (launch, pause, resume, edit, close after a confirmation, export), and the launch's result. */
export function CampaignHeader({ campaign: c }: { campaign: CampaignDetail }) {
  const action = useCampaignAction(c.id);
  const [confirmClose, setConfirmClose] = useState(false);
  const [launched, setLaunched] = useState<LaunchResult | null>(null);
  const run = (a: CampaignAction) =>
    action.mutate(a, {
      onSuccess: (result) => {
        if (a === 'launch') setLaunched(result as LaunchResult);
        setConfirmClose(false);
      },
      onError: (error) => {
        setConfirmClose(false);
        notifyError(error);
      },
    });
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="start">
        <Group>
          <Title order={1}>{c.name}</Title>
          <Badge color={statusColors[c.status]} variant="light" size="lg">
            {campaignStatusLabels[c.status]}
          </Badge>
        </Group>
        <Group>
          {c.status === 'draft' && (
            <Button onClick={() => run('launch')} loading={action.isPending && action.variables === 'launch'}>
              Lancer
            </Button>
          )}
          {c.status === 'active' && (
            <Button variant="light" onClick={() => run('pause')} loading={action.isPending && action.variables === 'pause'}>
              Mettre en pause
            </Button>
          )}
          {c.status === 'paused' && (
            <Button onClick={() => run('resume')} loading={action.isPending && action.variables === 'resume'}>
              Reprendre
            </Button>
          )}
          {c.status !== 'closed' && (
            <>
              <Button variant="default" component={Link} to={`/campagnes/${c.id}/modifier`}>
                Modifier
              </Button>
              <Button variant="outline" color="red" onClick={() => setConfirmClose(true)}>
                Terminer
              </Button>
            </>
          )}
          <Button variant="default" component="a" href={`/api/campaigns/${c.id}/export`} download="campagne.xlsx">
            Exporter (XLSX)
          </Button>
        </Group>
      </Group>
      {c.purpose && <Text>{c.purpose}</Text>}
      <Text size="sm">
        Plages d’appel : {c.callWindowsText} · {plural(c.callers, 'appelant·e')} · créée le {frenchDate(c.createdAt)}
        {c.launchedAt ? ` · lancée le ${frenchDate(c.launchedAt)}` : ''}
      </Text>
      {launched && (
        <Alert color="teal" title="Campagne lancée" withCloseButton closeButtonLabel="Fermer" onClose={() => setLaunched(null)} role="status">
          {plural(launched.targets, 'ménage')} dans la file d’appels — {plural(launched.excludedNoCall, 'exclu')} (« ne pas appeler »).
        </Alert>
      )}
      <Modal closeButtonProps={{ 'aria-label': 'Fermer' }} opened={confirmClose} onClose={() => setConfirmClose(false)} title="Terminer la campagne ?">
        <Stack>
          <Text>
            Les ménages encore dans la file ne seront plus appelés et la campagne ne pourra plus être modifiée ni relancée. Les suivis déjà ouverts restent à
            traiter.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmClose(false)}>
              Annuler
            </Button>
            <Button color="red" onClick={() => run('close')} loading={action.isPending && action.variables === 'close'}>
              Terminer la campagne
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
