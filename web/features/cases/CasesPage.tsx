import { Anchor, Badge, Button, Checkbox, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type CaseStatus, type CaseType, caseStatusLabels, caseTypeLabels, caseTypes } from '../../../contracts/cases.ts';
import { plural } from '../../../contracts/plural.ts';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { useCan } from '../../app/session.ts';
import { DataTable, fromQuery } from '../../ui/DataTable.tsx';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useFollowupAssignees } from '../campaigns/api.ts';
import { type CaseRow, useAssignCases, useCaseBoard, useCaseSummary } from './api.ts';

const statusFilters = [
  { value: 'active', label: 'En cours (tous sauf clos)' },
  ...(['open', 'waiting_partner', 'waiting_tenant', 'closed'] as const).map((s) => ({ value: s, label: caseStatusLabels[s] })),
];

/** Days since a date, in French: « aujourd’hui », « 1 jour », « 12 jours ». */
export function ageOf(iso: string, now = new Date()): string {
  const days = Math.floor((now.getTime() - new Date(iso).getTime()) / 86_400_000);
  return days <= 0 ? 'aujourd’hui' : plural(days, 'jour', 'jours');
}

/** A date of the API (yyyy-mm-dd or ISO) as « 30/11/2026 ». */
export const frenchDate = (value: string) => new Date(value.length === 10 ? `${value}T12:00:00` : value).toLocaleDateString('fr-FR');

/**
 * /dossiers: the board of cases of the user's agencies (« mes dossiers » with `?moi=1`), by status,
 * type and assignee; cases with an overdue task first. Managers select cases and assign them at once.
 */
export function CasesPage() {
  const [params, setParams] = useSearchParams();
  const mine = params.get('moi') === '1';
  usePageTitle(mine ? 'Mes dossiers' : 'Dossiers');
  const [status, setStatus] = useState<CaseStatus | 'active'>('active');
  const [type, setType] = useState<CaseType | null>(null);
  const [unassigned, setUnassigned] = useState(false);
  const board = useCaseBoard({
    status,
    ...(type ? { type } : {}),
    ...(mine ? { assignee: 'me' as const } : unassigned ? { assignee: 'none' as const } : {}),
  });
  const summary = useCaseSummary();
  const canAssign = useCan()('followups.assign');
  const [selected, setSelected] = useState<string[]>([]);
  const rows = board.data ?? [];
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const setMine = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set('moi', '1');
    else next.delete('moi');
    setParams(next, { replace: true });
    setSelected([]);
  };
  return (
    <Stack>
      <Title order={1}>{mine ? 'Mes dossiers' : 'Dossiers'}</Title>
      <Text size="sm">
        Les dossiers d’accompagnement des ménages : chaque besoin repéré pendant un appel ou au porte-à-porte rejoint le dossier ouvert du même type, ou en
        ouvre un.
      </Text>
      {summary.data && (
        <Text size="sm" aria-live="polite">
          {plural(summary.data.open, 'dossier ouvert', 'dossiers ouverts')}, {summary.data.waitingPartner} en attente d’un partenaire,{' '}
          {summary.data.waitingTenant} en attente du ménage ; {plural(summary.data.mine, 'dossier', 'dossiers')} à mon nom ;{' '}
          {plural(summary.data.overdue, 'dossier', 'dossiers')} avec une tâche en retard.
        </Text>
      )}
      <Group align="end">
        <Select
          label="Statut"
          data={statusFilters}
          value={status}
          onChange={(v) => {
            setStatus((v ?? 'active') as CaseStatus | 'active');
            setSelected([]);
          }}
          allowDeselect={false}
          w={260}
        />
        <Select
          label="Type"
          placeholder="Tous les types"
          clearable
          data={caseTypes.map((t) => ({ value: t, label: caseTypeLabels[t] }))}
          value={type}
          onChange={(v) => setType(v as CaseType | null)}
          w={240}
        />
        <Checkbox label="Mes dossiers" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} mb={8} />
        {!mine && <Checkbox label="Non attribués" checked={unassigned} onChange={(e) => setUnassigned(e.currentTarget.checked)} mb={8} />}
      </Group>
      {canAssign && <BulkAssign selected={selected} onDone={() => setSelected([])} />}
      <DataTable
        label={mine ? 'Mes dossiers' : 'Dossiers'}
        minWidth={1000}
        {...fromQuery(board)}
        summary={board.data && `${plural(rows.length, 'dossier', 'dossiers')}${rows.length === 200 ? ' (les 200 premiers)' : ''}`}
        empty={mine ? 'Aucun dossier à votre nom.' : 'Aucun dossier.'}
        loadingLabel="Chargement des dossiers…"
        rowKey={(c) => c.id}
        columns={[
          {
            header: 'Choisir',
            hidden: !canAssign,
            cell: (c: CaseRow) => (
              <Checkbox
                aria-label={`Choisir le dossier du ménage ${c.householdRef}`}
                checked={selected.includes(c.id)}
                onChange={(e) => toggle(c.id, e.currentTarget.checked)}
              />
            ),
          },
          {
            header: 'Dossier',
            cell: (c) => (
              <Anchor component={Link} to={`/dossiers/${c.id}`}>
                {caseTypeLabels[c.type]} — {c.householdRef}
                {c.holder ? ` (${c.holder})` : ''}
              </Anchor>
            ),
          },
          {
            header: 'Statut',
            cell: (c) => (
              <Group gap={4}>
                {c.urgent && <Badge color="red">Urgence</Badge>}
                <Text size="sm">{caseStatusLabels[c.status]}</Text>
              </Group>
            ),
          },
          { header: 'Agence', cell: (c) => c.agency },
          { header: 'Attribué à', cell: (c) => c.assignedName ?? 'Personne' },
          { header: 'Ouvert depuis', cell: (c) => ageOf(c.createdAt) },
          {
            header: 'Prochaine échéance',
            cell: (c) =>
              c.nextDue ? (
                <Text size="sm" c={c.overdue ? 'red.9' : undefined} fw={c.overdue ? 600 : undefined}>
                  {frenchDate(c.nextDue)}
                  {c.overdue ? ' — en retard' : ''}
                </Text>
              ) : (
                '—'
              ),
          },
          { header: 'Tâches ouvertes', cell: (c) => c.openTasks },
        ]}
      />
    </Stack>
  );
}

/** Assign the selected cases to someone (or to no one), in one go. */
function BulkAssign({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const candidates = useFollowupAssignees();
  const assign = useAssignCases();
  const [userId, setUserId] = useState<string | null>(null);
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${roleLabels[c.role as Role] ?? c.role})` }));
  return (
    <Group align="end">
      <Select
        label="Attribuer la sélection à"
        placeholder="Personne"
        searchable
        clearable
        nothingFoundMessage="Personne ne correspond"
        data={options}
        value={userId}
        onChange={setUserId}
        w={320}
      />
      <Button
        disabled={selected.length === 0}
        loading={assign.isPending}
        onClick={() =>
          assign.mutate(
            { ids: selected, userId },
            {
              onSuccess: (r) => {
                notifySuccess(`${plural(r.assigned, 'dossier attribué', 'dossiers attribués')}.`);
                onDone();
              },
              onError: notifyError,
            },
          )
        }
      >
        Attribuer {selected.length ? plural(selected.length, 'dossier', 'dossiers') : ''}
      </Button>
    </Group>
  );
}
