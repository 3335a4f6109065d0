import { Alert, Anchor, Badge, Button, Card, Group, List, Loader, Modal, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type CampaignDetail, campaignStatusLabels, type Dashboard } from '../../../contracts/campaigns.ts';
import { plural, word } from '../../../contracts/plural.ts';
import { notifyError } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { type CampaignAction, type LaunchResult, useCampaign, useCampaignAction, useDashboard, useSegmentCount } from './api.ts';
import { frenchDate, percent, statusColors } from './CampaignsPage.tsx';

const TEAL = '#099268';
const BLUE = '#1864ab';
const ORANGE = '#d9480f';

const dayLabel = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
};
const n = (value: number) => value.toLocaleString('fr-FR');

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
      <Header campaign={c} />
      {dashboard.error && <Alert color="red">{dashboard.error.message}</Alert>}
      {dashboard.data && <Figures data={dashboard.data} updatedAt={dashboard.dataUpdatedAt} campaign={c} />}
    </Stack>
  );
}

function Header({ campaign: c }: { campaign: CampaignDetail }) {
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

/** Before launch: the households the queue will receive (the segment's count today), said once and consistently with the figures. */
function DraftFigures({ campaign }: { campaign: CampaignDetail }) {
  const count = useSegmentCount(campaign.segment);
  const targeted = count.data?.targeted;
  return (
    <Stack>
      <Alert color="blue" title="Brouillon : pas encore lancé" data-testid="draft-summary">
        {count.data
          ? `${plural(count.data.targeted, 'ménage')} ${word(count.data.targeted, 'sera appelé', 'seront appelés')} au lancement — ${plural(count.data.excludedNoCall, 'exclu')} (« ne pas appeler »). `
          : count.error
            ? `${count.error.message} `
            : 'Calcul du nombre de ménages… '}
        Lancez la campagne pour remplir la file d’appels.
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Ménages à appeler" value={targeted === undefined ? '…' : n(targeted)} detail="brouillon : pas encore lancé" testId="figure-targeted" />
        <Figure label="Exclus (« ne pas appeler »)" value={count.data ? n(count.data.excludedNoCall) : '…'} testId="figure-excluded" />
      </SimpleGrid>
    </Stack>
  );
}

/** Launched: households reached out of those targeted, and the calls made. */
function ProgressSummary({ totals: t }: { totals: Dashboard['totals'] }) {
  const value = t.targeted ? (100 * t.reached) / t.targeted : 0;
  const text = `${plural(t.reached, 'ménage joint', 'ménages joints')} sur ${n(t.targeted)} (${percent(t.reached, t.targeted)}) · ${plural(t.attempts, 'appel passé', 'appels passés')}`;
  return (
    <Stack gap={4}>
      <Progress value={value} size="xl" color="teal" aria-label={`Avancement : ${text}`} />
      <Text size="sm" data-testid="progress-text">
        {text}
      </Text>
    </Stack>
  );
}

/** The household as staff know it: holder's name and ERP reference, linked to its file when the role may open it. */
function UrgentHousehold({ u }: { u: Dashboard['urgent'][number] }) {
  const name = u.holder ? `${u.holder} (réf. ${u.erpRef})` : `Ménage réf. ${u.erpRef}`;
  return u.householdId ? (
    <Anchor component={Link} to={`/menages/${u.householdId}`} c="white" underline="always" fw={700}>
      {name}
    </Anchor>
  ) : (
    <Text span fw={700}>
      {name}
    </Text>
  );
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Text size="sm">{label}</Text>
      <Text fz={28} fw={700} data-testid={testId}>
        {value}
      </Text>
      {detail && <Text size="sm">{detail}</Text>}
    </Paper>
  );
}

function Figures({ data, updatedAt, campaign }: { data: Dashboard; updatedAt: number; campaign: CampaignDetail }) {
  const t = data.totals;
  const campaignId = campaign.id;
  if (campaign.status === 'draft') return <DraftFigures campaign={campaign} />;
  const openUrgent = data.urgent.filter((u) => u.status === 'open');
  return (
    <Stack>
      {openUrgent.length > 0 && (
        <Alert color="red" variant="filled" title={`${plural(openUrgent.length, 'urgence')} à traiter`} role="alert">
          <Stack gap="xs">
            <List size="sm">
              {openUrgent.slice(0, 10).map((u) => (
                <List.Item key={u.id}>
                  {new Date(u.at).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })} — <UrgentHousehold u={u} /> — {u.label}
                </List.Item>
              ))}
            </List>
            <Anchor component={Link} to="/suivi?urgent=1" c="white" fw={700} underline="always">
              Ouvrir les suivis urgents
            </Anchor>
          </Stack>
        </Alert>
      )}
      <Group justify="space-between">
        <Title order={3}>Avancement</Title>
        <Text size="sm">Actualisé à {new Date(updatedAt).toLocaleTimeString('fr-FR')} (toutes les 10 secondes)</Text>
      </Group>
      <ProgressSummary totals={t} />
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Ménages ciblés" value={n(t.targeted)} testId="figure-targeted" />
        <Figure label="Ménages joints" value={n(t.reached)} detail={percent(t.reached, t.targeted)} testId="figure-reached" />
        <Figure label="Appels passés" value={n(t.attempts)} testId="figure-attempts" />
        <Figure label="En file d’attente" value={n(t.queued)} testId="figure-queued" />
        <Figure label="En cours d’appel" value={n(t.assigned)} testId="figure-assigned" />
        <Figure label="Porte-à-porte" value={n(t.doorstep)} testId="figure-doorstep" />
        <Figure label="Exclus (« ne pas appeler »)" value={n(t.excludedNoCall)} testId="figure-excluded" />
        <Figure label="Appelant·es actif·ves" value={n(t.callersActive)} detail="dans les 15 dernières minutes" testId="figure-callers" />
      </SimpleGrid>
      {data.urgent.length > 0 && openUrgent.length === 0 && (
        <Text size="sm">
          Toutes les urgences signalées ont été traitées.{' '}
          <Anchor component={Link} to={`/suivi?urgent=1&campagne=${campaignId}`}>
            Voir les suivis
          </Anchor>
        </Text>
      )}

      <ChartWithTable
        title="Issues des appels"
        chart={
          <BarChart data={data.outcomes} layout="vertical" margin={{ left: 20 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={170} />
            <Tooltip />
            <Bar dataKey="count" name="Appels" fill={TEAL} />
          </BarChart>
        }
        empty={data.outcomes.length === 0}
        table={
          <SimpleTable
            label="Issues des appels"
            head={['Issue', 'Appels']}
            rows={data.outcomes.map((o) => [o.label, n(o.count)])}
            keys={data.outcomes.map((o) => o.outcome)}
          />
        }
      />
      <ChartWithTable
        title="Besoins repérés"
        chart={
          <BarChart data={data.needs} layout="vertical" margin={{ left: 20 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={220} />
            <Tooltip />
            <Bar dataKey="count" name="Suivis ouverts" fill={ORANGE} />
          </BarChart>
        }
        empty={data.needs.length === 0}
        table={
          <SimpleTable
            label="Besoins repérés"
            head={['Besoin', 'Suivis ouverts']}
            rows={data.needs.map((x) => [x.label, n(x.count)])}
            keys={data.needs.map((x) => x.need)}
          />
        }
      />
      <ChartWithTable
        title="Progression par jour"
        chart={
          <ComposedChart data={data.days.map((d) => ({ ...d, jour: dayLabel(d.day) }))} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="jour" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="attempts" name="Appels passés" fill={BLUE} />
            <Line dataKey="reached" name="Ménages joints" stroke={TEAL} strokeWidth={3} />
          </ComposedChart>
        }
        empty={data.days.length === 0}
        table={
          <SimpleTable
            label="Progression par jour"
            head={['Jour', 'Appels passés', 'Ménages joints']}
            rows={data.days.map((d) => [dayLabel(d.day), n(d.attempts), n(d.reached)])}
            keys={data.days.map((d) => d.day)}
          />
        }
      />
      <Card withBorder>
        <Stack>
          <Title order={3}>Par agence</Title>
          <SimpleTable
            label="Avancement par agence"
            head={['Agence', 'Ménages ciblés', 'Ménages joints', 'Taux']}
            rows={data.agencies.map((a) => [a.agency, n(a.targeted), n(a.reached), percent(a.reached, a.targeted)])}
            keys={data.agencies.map((a) => a.agency)}
          />
        </Stack>
      </Card>
    </Stack>
  );
}

function ChartWithTable({ title, chart, table, empty }: { title: string; chart: ReactNode; table: ReactNode; empty: boolean }) {
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>{title}</Title>
        {empty ? (
          <Text size="sm">Rien pour l’instant.</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <div role="img" aria-label={`Graphique : ${title.toLowerCase()} (les mêmes chiffres sont dans le tableau)`} style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer width="100%" height="100%">
                {chart as React.ReactElement}
              </ResponsiveContainer>
            </div>
            {table}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}

function SimpleTable({ label, head, rows, keys }: { label: string; head: string[]; rows: string[][]; keys: string[] }) {
  return (
    <Table striped aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {head.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r, i) => (
          <Table.Tr key={keys[i]}>
            {r.map((cell, j) => (
              <Table.Td key={j}>{cell}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
