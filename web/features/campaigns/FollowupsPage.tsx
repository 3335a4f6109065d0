import { Anchor, Badge, Button, Checkbox, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { plural } from '../../../contracts/plural.ts';
import { useCan } from '../../app/session.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { AssignFollowupModal } from './AssignFollowupModal.tsx';
import { type FollowupRow, useFollowups } from './api.ts';
import { CloseFollowupModal } from './CloseFollowupModal.tsx';

/** /suivi: needs revealed by calls, to assign and close. `?urgent=1` shows emergencies only, `?campagne=<id>` one campaign. */
export function FollowupsPage() {
  usePageTitle('Suivis');
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const urgentOnly = params.get('urgent') === '1';
  const campaignId = params.get('campagne') ?? undefined;
  const list = useFollowups({ status, urgentOnly, ...(campaignId ? { campaignId } : {}) });
  const canAssign = useCan()('followups.assign');
  const [assigning, setAssigning] = useState<FollowupRow | null>(null);
  const [closing, setClosing] = useState<FollowupRow | null>(null);
  const setUrgent = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set('urgent', '1');
    else next.delete('urgent');
    setParams(next, { replace: true });
  };
  return (
    <Stack>
      <Title order={1}>Suivis</Title>
      <Text size="sm">Les besoins repérés pendant les appels et au porte-à-porte, à traiter par l’équipe de l’agence du ménage.</Text>
      <Group align="end">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="followup-status-label">
            État
          </Text>
          <SegmentedControl
            aria-labelledby="followup-status-label"
            value={status}
            onChange={(v) => setStatus(v as 'open' | 'closed')}
            data={[
              { value: 'open', label: 'Ouverts' },
              { value: 'closed', label: 'Clos' },
            ]}
          />
        </Stack>
        <Checkbox label="Urgences seulement" checked={urgentOnly} onChange={(e) => setUrgent(e.currentTarget.checked)} mb={8} />
        {campaignId && (
          <Button
            variant="subtle"
            size="xs"
            mb={6}
            onClick={() => {
              const next = new URLSearchParams(params);
              next.delete('campagne');
              setParams(next, { replace: true });
            }}
          >
            Toutes les campagnes
          </Button>
        )}
      </Group>
      <DataTable
        label="Suivis"
        minWidth={1000}
        {...fromQuery(list)}
        summary={
          list.data &&
          `${status === 'open' ? plural(list.data.length, 'suivi ouvert', 'suivis ouverts') : plural(list.data.length, 'suivi clos', 'suivis clos')}${urgentOnly ? ' (urgences seulement)' : ''}`
        }
        empty={status === 'open' ? 'Aucun suivi ouvert.' : 'Aucun suivi clos.'}
        loadingLabel="Chargement des suivis…"
        rowKey={(f) => f.id}
        columns={[
          { header: 'Urgence', cell: (f) => (f.urgent ? <Badge color="red">Urgence</Badge> : '—') },
          {
            header: 'Ménage',
            cell: (f) => (
              <Anchor component={Link} to={`/menages/${f.householdId}`}>
                {f.householdRef}
                {f.holder ? ` — ${f.holder}` : ''}
              </Anchor>
            ),
          },
          { header: 'Agence', cell: (f) => f.agency },
          { header: 'Campagne', cell: (f) => f.campaign ?? '—' },
          { header: 'Besoin', cell: (f) => f.label },
          { header: 'Attribué à', cell: (f) => f.assignedName ?? 'Personne' },
          { header: 'Créé le', cell: (f) => new Date(f.createdAt).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) },
          { header: 'Ce qui a été fait', hidden: status !== 'closed', cell: (f) => f.resolution ?? '—' },
          {
            header: 'Actions',
            hidden: status === 'closed',
            cell: (f) => (
              <Group gap="xs" wrap="nowrap">
                {canAssign && (
                  <Button size="xs" variant="light" onClick={() => setAssigning(f)} aria-label={`Attribuer le suivi du ménage ${f.householdRef}`}>
                    Attribuer
                  </Button>
                )}
                <Button size="xs" variant="default" onClick={() => setClosing(f)} aria-label={`Clore le suivi du ménage ${f.householdRef}`}>
                  Clore
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {assigning && <AssignFollowupModal followup={assigning} onClose={() => setAssigning(null)} />}
      {closing && <CloseFollowupModal followup={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}
