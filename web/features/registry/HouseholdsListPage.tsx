import { Badge, Button, Checkbox, Group, MultiSelect, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { HouseholdFilterName, HouseholdFilters, HouseholdRow, HouseholdSortKey } from '../../../contracts/households.ts';
import { householdAccess, householdSortLabels, indicatorKinds, indicatorLabels, objectionLabels } from '../../../contracts/households.ts';
import { plural } from '../../../contracts/plural.ts';
import type { Agency } from '../../../contracts/users.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/session.ts';
import { DataTable } from '../../ui/DataTable.tsx';
import { notifyError } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const PAGE = 50;

/** Households with filters (the future campaign segments), paged, sortable, exportable. */
export function HouseholdsListPage() {
  usePageTitle('Ménages');
  const me = useMe();
  const can = useCan();
  // The page offers only the sort keys, filters and export the role may use (the matrix's households section).
  const access = me.data ? householdAccess[me.data.role] : undefined;
  const may = (filter: HouseholdFilterName) => access?.filters.includes(filter) ?? false;
  const agencies = useQuery({
    queryKey: ['agencies'],
    queryFn: () => api<Agency[]>('GET', '/api/agencies'),
    enabled: can('agencies.list') && may('agencyId'),
  });
  const [filters, setFilters] = useState<HouseholdFilters>({ status: 'active', fragilityMatch: 'all' });
  const [sort, setSort] = useState<HouseholdSortKey>('name');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['households', 'list', filters, sort, page],
    queryFn: () => api<{ total: number; rows: HouseholdRow[] }>('POST', '/api/households/list', { filters, sort, page, limit: PAGE }),
    enabled: !!access,
  });
  const set = (patch: Partial<HouseholdFilters>) => {
    setPage(1);
    setFilters({ ...filters, ...patch });
  };
  const [pendingFormat, setPendingFormat] = useState<'csv' | 'xlsx' | null>(null);
  const [reauth, setReauth] = useState(false);
  const download = async (format: 'csv' | 'xlsx') => {
    const response = await fetch('/api/households/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filters, format }),
    });
    if (!response.ok) {
      const problem = await response.json();
      if (problem.code === 'reauthentication_required') {
        setPendingFormat(format);
        setReauth(true);
        return;
      }
      return notifyError(new Error(problem.detail));
    }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `menages.${format}`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack>
      <Title order={1}>Ménages</Title>
      <Group align="end">
        {agencies.isEnabled && (
          <Select
            label="Agence"
            placeholder="Toutes les agences"
            clearable
            data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={filters.agencyId ?? null}
            onChange={(v) => set({ agencyId: v ?? undefined })}
          />
        )}
        {may('minAge') && (
          <NumberInput
            label="Âge minimum"
            min={0}
            max={120}
            value={filters.minAge ?? ''}
            onChange={(v) => set({ minAge: typeof v === 'number' ? v : undefined })}
            w={130}
          />
        )}
        {may('indicators') && (
          <>
            <MultiSelect
              label="Indicateurs"
              placeholder={filters.indicators?.length ? undefined : 'Tous les ménages'}
              data={indicatorKinds.map((k) => ({ value: k, label: indicatorLabels[k] }))}
              value={filters.indicators ?? []}
              onChange={(v) => set({ indicators: v as HouseholdFilters['indicators'] })}
              w={260}
            />
            <Select
              label="Âge et indicateurs"
              data={[
                { value: 'all', label: 'Tous les critères' },
                { value: 'any', label: 'Au moins un critère' },
              ]}
              value={filters.fragilityMatch}
              onChange={(v) => set({ fragilityMatch: (v ?? 'all') as HouseholdFilters['fragilityMatch'] })}
              allowDeselect={false}
              w={190}
            />
          </>
        )}
        {may('noContactForDays') && (
          <NumberInput
            label="Sans contact depuis (jours)"
            min={1}
            max={3650}
            value={filters.noContactForDays ?? ''}
            onChange={(v) => set({ noContactForDays: typeof v === 'number' && v >= 1 ? v : undefined })}
            w={200}
          />
        )}
        {may('regularWatch') && (
          <Checkbox
            label="En veille régulière"
            checked={filters.regularWatch === true}
            onChange={(e) => set({ regularWatch: e.currentTarget.checked ? true : undefined })}
            mb={8}
          />
        )}
        {may('objection') && (
          <Select
            label="Opposition"
            placeholder="Avec ou sans opposition"
            clearable
            data={[
              { value: 'none', label: 'Aucune' },
              { value: 'any', label: 'Au moins une' },
              { value: 'no_call', label: objectionLabels.no_call },
              { value: 'no_sms', label: objectionLabels.no_sms },
            ]}
            value={filters.objection ?? null}
            onChange={(v) => set({ objection: (v ?? undefined) as HouseholdFilters['objection'] })}
          />
        )}
        <Select
          label="Statut"
          data={[
            { value: 'active', label: 'Présents' },
            { value: 'left', label: 'Sortis' },
            ...(may('missing') ? [{ value: 'missing', label: 'À vérifier' }] : []),
          ]}
          value={filters.status}
          onChange={(v) => set({ status: (v ?? 'active') as HouseholdFilters['status'] })}
          allowDeselect={false}
        />
        <Select
          label="Tri"
          data={(access?.sortKeys ?? ['name']).map((k) => ({ value: k, label: householdSortLabels[k] }))}
          value={sort}
          onChange={(v) => v && setSort(v as typeof sort)}
          allowDeselect={false}
        />
      </Group>
      <Group justify="space-between">
        <Text>
          {list.data ? plural(list.data.total, 'ménage') : '…'}
          {list.data?.total === 0 &&
            access?.scope === 'residences' &&
            ' — vous voyez les ménages des résidences qui vous sont confiées ; votre responsable les attribue sous « Résidences ».'}
        </Text>
        {access?.export && (
          <Group>
            <Button variant="default" onClick={() => download('csv')}>
              Exporter en CSV
            </Button>
            <Button variant="default" onClick={() => download('xlsx')}>
              Exporter en XLSX
            </Button>
          </Group>
        )}
      </Group>
      <DataTable
        label="Ménages"
        rows={list.data?.rows}
        loading={list.isPending}
        error={list.error}
        refreshing={list.isFetching}
        empty="Aucun ménage ne correspond à ces filtres."
        loadingLabel="Chargement des ménages…"
        paging={list.data && { kind: 'numbers', page, pages: Math.ceil(list.data.total / PAGE), onChange: setPage }}
        rowKey={(r) => r.id}
        columns={[
          { header: 'Titulaire', cell: (r) => <Link to={`/menages/${r.id}`}>{r.holder || r.erpRef}</Link> },
          { header: 'Âge (aîné)', hidden: !may('minAge'), cell: (r) => r.oldestAge ?? '—' },
          { header: 'Occupants', cell: (r) => r.persons },
          { header: 'Résidence', cell: (r) => r.residence },
          { header: 'Agence', cell: (r) => r.agency },
          {
            header: 'Indicateurs',
            hidden: !may('indicators'),
            cell: (r) => (
              <Group gap={4}>
                {(r.indicators ?? []).map((k) => (
                  <Badge key={k} size="sm" variant="light">
                    {indicatorLabels[k as 'lives_alone'] ?? k}
                  </Badge>
                ))}
                {(r.objections ?? []).map((k) => (
                  <Badge key={k} size="sm" color="red">
                    {objectionLabels[k as 'no_call'] ?? k}
                  </Badge>
                ))}
              </Group>
            ),
          },
        ]}
      />
      <ReauthModal
        opened={reauth}
        onClose={() => setReauth(false)}
        onConfirmed={() => {
          setReauth(false);
          if (pendingFormat) void download(pendingFormat);
        }}
      />
    </Stack>
  );
}
