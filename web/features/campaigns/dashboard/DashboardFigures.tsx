import { Alert, Anchor, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { CampaignDetail, Dashboard } from '../../../../contracts/campaigns.ts';
import { plural } from '../../../../contracts/plural.ts';
import { percent } from '../CampaignsPage.tsx';
import { ChartWithTable } from './ChartWithTable.tsx';
import { DraftFigures } from './DraftFigures.tsx';
import { Figure } from './Figure.tsx';
import { BLUE, dayLabel, n, ORANGE, TEAL } from './format.ts';
import { ProgressSummary } from './ProgressSummary.tsx';
import { SimpleTable } from './SimpleTable.tsx';
import { UrgentHousehold } from './UrgentHousehold.tsx';

/** A launched campaign's figures: open emergencies first, progress, key figures, then each chart with the same figures in a table. */
export function DashboardFigures({ data, updatedAt, campaign }: { data: Dashboard; updatedAt: number; campaign: CampaignDetail }) {
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
