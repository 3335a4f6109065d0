import { Alert, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportTable } from '../../../contracts/reporting.ts';
import { useCan } from '../../app/session.ts';
import { notifyError } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { ChartWithTable } from '../campaigns/dashboard/ChartWithTable.tsx';
import { BLUE, dayLabel, n, ORANGE } from '../campaigns/dashboard/format.ts';
import { SimpleTable } from '../campaigns/dashboard/SimpleTable.tsx';
import { useAgencies } from '../users/api.ts';
import { type DashboardBody, downloadReport, useDashboard } from './api.ts';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const firstOfMonth = () => {
  const d = new Date();
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
};

/** One table of the dashboard: its chart, the same figures as a table, and its CSV and XLSX downloads. */
function TableCard({ table, segmentLabel, filters }: { table: ReportTable; segmentLabel: string | null; filters: DashboardBody }) {
  const compare = segmentLabel !== null && table.rows.some((r) => r.segment !== null);
  const weekly = table.id === 'households_reached';
  const data = table.rows.map((r) => ({ ...r, label: weekly ? dayLabel(r.key).slice(0, 5) : r.label }));
  const download = (format: 'csv' | 'xlsx') => downloadReport(filters, { table: table.id, format }).catch(notifyError);
  return (
    <Stack gap={4} data-testid={`report-${table.id}`}>
      <ChartWithTable
        title={table.title}
        empty={table.rows.length === 0}
        chart={
          weekly ? (
            <BarChart data={data} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="value" name="Tous les ménages" fill={BLUE} />
              {compare && <Bar dataKey="segment" name={segmentLabel ?? ''} fill={ORANGE} />}
            </BarChart>
          ) : (
            <BarChart data={data.filter((r) => !r.label.startsWith('dont'))} layout="vertical" margin={{ left: 20 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={190} interval={0} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="value" name="Tous les ménages" fill={BLUE} />
              {compare && <Bar dataKey="segment" name={segmentLabel ?? ''} fill={ORANGE} />}
            </BarChart>
          )
        }
        table={
          <SimpleTable
            label={table.title}
            head={[weekly ? 'Semaine' : 'Indicateur', 'Tous les ménages', ...(compare ? [segmentLabel ?? ''] : [])]}
            rows={table.rows.map((r) => [r.label, n(r.value), ...(compare ? [n(r.segment ?? 0)] : [])])}
            keys={table.rows.map((r) => r.key)}
          />
        }
      />
      <Group gap="xs" justify="flex-end">
        <Button size="xs" variant="default" onClick={() => download('csv')} aria-label={`${table.title} en CSV`}>
          CSV
        </Button>
        <Button size="xs" variant="default" onClick={() => download('xlsx')} aria-label={`${table.title} en XLSX`}>
          XLSX
        </Button>
      </Group>
    </Stack>
  );
}

/** « Tableaux de bord »: the period's figures of the organisation or an agency, a segment to compare, exports and the PDF report. */
export function DashboardsPage() {
  usePageTitle('Tableaux de bord');
  const can = useCan();
  const agencies = useAgencies();
  const [from, setFrom] = useState(firstOfMonth());
  const [to, setTo] = useState(isoDay(new Date()));
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [compare, setCompare] = useState(false);
  const [minAge, setMinAge] = useState<number | string>(70);
  const [alone, setAlone] = useState(true);
  const age = typeof minAge === 'number' ? minAge : undefined;
  const filters: DashboardBody = {
    from,
    to,
    ...(agencyId ? { agencyId } : {}),
    ...(compare
      ? {
          segment: {
            status: 'active',
            fragilityMatch: 'all',
            ...(age !== undefined ? { minAge: age } : {}),
            ...(alone ? { indicators: ['lives_alone'] } : {}),
          },
        }
      : {}),
  };
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const dashboard = useDashboard(filters, valid);
  const [printing, setPrinting] = useState(false);
  const d = dashboard.data;
  return (
    <Stack>
      <Title order={1}>Tableaux de bord</Title>
      <Card withBorder>
        <Stack>
          <Group align="end">
            <TextInput type="date" label="Du" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="date" label="Au" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            {can('agencies.list') && (
              <Select
                label="Agence"
                placeholder="Toutes vos agences"
                clearable
                data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
                value={agencyId}
                onChange={setAgencyId}
              />
            )}
            <Button
              loading={printing}
              disabled={!valid}
              onClick={async () => {
                setPrinting(true);
                await downloadReport(filters, 'pdf').catch(notifyError);
                setPrinting(false);
              }}
            >
              Bilan de la période (PDF)
            </Button>
          </Group>
          <Group align="end">
            <Checkbox label="Comparer avec un segment de ménages" checked={compare} onChange={(e) => setCompare(e.currentTarget.checked)} />
            {compare && (
              <>
                <NumberInput label="Âgés de (ans et plus)" value={minAge} onChange={setMinAge} min={0} max={120} w={170} />
                <Checkbox label="Vivant seuls" checked={alone} onChange={(e) => setAlone(e.currentTarget.checked)} />
              </>
            )}
          </Group>
        </Stack>
      </Card>
      {dashboard.error && (
        <Alert color="red" title="Tableau de bord indisponible" role="alert">
          {dashboard.error.message}
        </Alert>
      )}
      {d && (
        <>
          <Text>
            {d.scopeLabel}, du {dayLabel(d.from)} au {dayLabel(d.to)}
            {d.segmentLabel ? ` — comparé à : ${d.segmentLabel.toLowerCase()}` : ''}.
          </Text>
          {d.notes.map((note) => (
            <Text key={note} size="sm" c="dimmed">
              {note}
            </Text>
          ))}
          {d.tables.map((t) => (
            <TableCard key={t.id} table={t} segmentLabel={d.segmentLabel} filters={filters} />
          ))}
        </>
      )}
    </Stack>
  );
}
