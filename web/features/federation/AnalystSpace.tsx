import { Anchor, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { figureText, type IndicatorId, qpvLabels, SMALL_CELL_THRESHOLD } from '../../../contracts/indicators.ts';
import { plural } from '../../../contracts/plural.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { ChartWithTable } from '../campaigns/dashboard/ChartWithTable.tsx';
import { BLUE, ORANGE, TEAL } from '../campaigns/dashboard/format.ts';
import { SimpleTable } from '../campaigns/dashboard/SimpleTable.tsx';
import { monthLabel, type Space, useDashboard, useDictionary, useRefresh, useReportText, useStartRefresh } from './api.ts';
import { FederationMembers } from './FederationMembers.tsx';

const isMonth = (s: string) => /^\d{4}-\d{2}$/.test(s);
const monthOf = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' }).slice(0, 7);
const yearAgo = () => {
  const d = new Date();
  d.setMonth(d.getMonth() - 11);
  return monthOf(d);
};

/** The federation's dashboard: one indicator over the members, by month, member, department and QPV; the refresh and the report. */
export function AnalystSpace({ space }: { space: Space }) {
  const can = useCan();
  const dictionary = useDictionary();
  const [indicatorId, setIndicatorId] = useState<IndicatorId>('households_reached');
  const [from, setFrom] = useState(yearAgo);
  const [to, setTo] = useState(() => monthOf(new Date()));
  const valid = isMonth(from) && isMonth(to) && from <= to;
  const board = useDashboard({ indicatorId, from, to }, valid);
  const refresh = useRefresh(true);
  const startRefresh = useStartRefresh();
  const running = refresh.data?.refresh?.status === 'queued' || refresh.data?.refresh?.status === 'running';
  const r = refresh.data?.refresh;
  // A refresh that just finished: the figures are new.
  useEffect(() => {
    if (r?.status === 'done') void board.refetch();
  }, [r?.status, board.refetch]);
  const d = board.data;
  const unit = d?.indicator.unit ?? '';
  const options = (dictionary.data?.indicators ?? []).map((i) => ({ value: i.id, label: i.name }));
  const active = space.members.filter((m) => m.removedAt === null && m.agreement && m.agreement.leftAt === null).length;

  return (
    <Stack>
      <Text>
        {plural(active, 'membre partage', 'membres partagent')} au moins un indicateur. Chiffres agrégés calculés chez chaque bailleur ; une case touchant moins
        de {SMALL_CELL_THRESHOLD} ménages est affichée « &lt; {SMALL_CELL_THRESHOLD} » et n’entre dans aucune somme.
      </Text>
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between" align="end">
            <Group align="end">
              <Select
                label="Indicateur"
                data={options}
                value={indicatorId}
                onChange={(v) => v && setIndicatorId(v as IndicatorId)}
                allowDeselect={false}
                w={280}
              />
              <TextInput label="De (mois)" type="month" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={170} />
              <TextInput label="À (mois)" type="month" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={170} />
            </Group>
            <Group>
              <Button
                variant="default"
                loading={startRefresh.isPending}
                disabled={running}
                onClick={() => startRefresh.mutate(undefined, { onError: notifyError })}
              >
                Recalculer les chiffres des membres
              </Button>
              {valid && (
                <Anchor href={`/api/federation/report?from=${from}&to=${to}`} download>
                  Télécharger le rapport (PDF)
                </Anchor>
              )}
            </Group>
          </Group>
          {!valid && <Text c="red.8">Choisissez un mois de début avant le mois de fin.</Text>}
          {r && (
            <Stack gap={4} data-testid="refresh-status">
              <Text size="sm">
                {r.status === 'done'
                  ? `Chiffres recalculés le ${new Date(r.finishedAt ?? r.requestedAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })} (${plural(r.membersDone, 'membre')}).`
                  : r.status === 'failed'
                    ? 'Le dernier recalcul a échoué ; relancez-le.'
                    : `Recalcul en cours : ${r.membersDone} sur ${plural(r.membersTotal, 'membre')}.`}
              </Text>
              {running && <Progress value={r.membersTotal ? (100 * r.membersDone) / r.membersTotal : 0} aria-label="Avancement du recalcul" />}
            </Stack>
          )}
          {d && (
            <Text size="sm">
              {d.indicator.definition} <em>Calcul :</em> {d.indicator.computation}
            </Text>
          )}
        </Stack>
      </Card>

      {d && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Card withBorder>
              <Text size="sm">{d.indicator.name}, tous membres</Text>
              <Text fz={28} fw={700} data-testid="federation-total">
                {figureText(d.total)}
              </Text>
              <Text size="sm">{unit}</Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Membres qui partagent cet indicateur</Text>
              <Text fz={28} fw={700}>
                {d.members}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Période</Text>
              <Text fw={700}>
                {monthLabel(d.from)} — {monthLabel(d.to)}
              </Text>
            </Card>
          </SimpleGrid>
          <ChartWithTable
            title="Au fil des mois"
            empty={d.overTime.every((p) => p.value === 0 && p.hidden === 0)}
            chart={
              <LineChart data={d.overTime.map((p) => ({ ...p, label: monthLabel(p.period) }))} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Line isAnimationActive={false} dataKey="value" name={unit} stroke={TEAL} strokeWidth={2} />
              </LineChart>
            }
            table={
              <SimpleTable
                label="Au fil des mois"
                head={['Mois', d.indicator.name]}
                rows={d.overTime.map((p) => [monthLabel(p.period), figureText(p)])}
                keys={d.overTime.map((p) => p.period)}
              />
            }
          />
          <ChartWithTable
            title="Par membre"
            empty={d.byMember.length === 0}
            chart={
              <BarChart data={d.byMember} layout="vertical" margin={{ left: 20 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={170} />
                <Tooltip />
                <Bar isAnimationActive={false} dataKey="value" name={unit} fill={BLUE} />
              </BarChart>
            }
            table={
              <SimpleTable
                label="Par membre"
                head={['Membre', d.indicator.name]}
                rows={d.byMember.map((m) => [m.name, figureText(m)])}
                keys={d.byMember.map((m) => m.memberId)}
              />
            }
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartWithTable
              title="Par département"
              empty={d.byDepartment.length === 0}
              chart={
                <BarChart data={d.byDepartment} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="department" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar isAnimationActive={false} dataKey="value" name={unit} fill={ORANGE} />
                </BarChart>
              }
              table={
                <SimpleTable
                  label="Par département"
                  head={['Département', d.indicator.name]}
                  rows={d.byDepartment.map((x) => [x.department === 'inconnu' ? 'Non renseigné' : x.department, figureText(x)])}
                  keys={d.byDepartment.map((x) => x.department)}
                />
              }
            />
            <ChartWithTable
              title="En quartier prioritaire ou non"
              empty={d.byQpv.length === 0}
              chart={
                <BarChart data={d.byQpv.map((x) => ({ ...x, label: qpvLabels[x.qpv] ?? x.qpv }))} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar isAnimationActive={false} dataKey="value" name={unit} fill={TEAL} />
                </BarChart>
              }
              table={
                <SimpleTable
                  label="En quartier prioritaire ou non"
                  head={['Quartier', d.indicator.name]}
                  rows={d.byQpv.map((x) => [qpvLabels[x.qpv] ?? x.qpv, figureText(x)])}
                  keys={d.byQpv.map((x) => x.qpv)}
                />
              }
            />
          </SimpleGrid>
        </>
      )}
      <MemberTexts space={space} />
      {can('federation.manage') && <FederationMembers space={space} />}
    </Stack>
  );
}

/** A short text per member, printed in the periodic report under its figures. */
function MemberTexts({ space }: { space: Space }) {
  const members = space.members.filter((m) => m.removedAt === null);
  return (
    <Card withBorder>
      <Stack>
        <Title order={2}>Textes du rapport</Title>
        {members.length === 0 && <Text size="sm">Aucun membre pour l’instant.</Text>}
        {members.map((m) => (
          <MemberText key={m.memberId} id={m.memberId} name={m.name} initial={m.reportText} />
        ))}
      </Stack>
    </Card>
  );
}

function MemberText({ id, name, initial }: { id: string; name: string; initial: string }) {
  const [text, setText] = useState(initial);
  const save = useReportText();
  return (
    <Group align="end">
      <Textarea
        label={`Texte pour ${name}`}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        maxLength={2000}
        autosize
        minRows={2}
        style={{ flex: 1 }}
      />
      <Button
        variant="default"
        loading={save.isPending}
        onClick={() => save.mutate({ id, text }, { onSuccess: () => notifySuccess('Texte enregistré.'), onError: notifyError })}
      >
        Enregistrer
      </Button>
    </Group>
  );
}
