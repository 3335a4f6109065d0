import { Alert, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type AuditFilters, type AuditPage as AuditPageData, auditActionGroups, auditActorLabel, frenchDateTime } from '../../../contracts/audit.ts';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import type { User } from '../../../contracts/users.ts';
import { api } from '../../app/api.ts';
import { DataTable } from '../../ui/DataTable.tsx';
import { notifyError } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const PAGE = 100;
type Cursor = { at: string; id: string };

/** Midnight of a day (YYYY-MM-DD) in the browser's time zone, as an ISO instant; `plusDays` for an inclusive end. */
const dayStart = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/** Choose a household by name or reference (the household search, at least 2 characters). */
function HouseholdFilter({ value, onChange }: { value: string | null; onChange: (id: string | null, label: string | null) => void }) {
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const hits = useQuery({
    queryKey: ['audit-household-search', query],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query, limit: 20 }),
    enabled: query.trim().length >= 2 && query !== chosen?.label,
  });
  const data = [
    ...(chosen ? [chosen] : []),
    ...(hits.data ?? []).map((h) => ({ value: h.id, label: `${h.persons[0] ?? 'Ménage'} (${h.erpRef})` })).filter((o) => o.value !== chosen?.value),
  ];
  return (
    <Select
      label="Ménage"
      placeholder="Nom ou référence"
      searchable
      clearable
      data={data}
      value={value}
      searchValue={query}
      onSearchChange={setQuery}
      filter={({ options }) => options}
      nothingFoundMessage={query.trim().length < 2 ? 'Saisissez au moins 2 caractères' : hits.isFetching ? 'Recherche…' : 'Aucun ménage trouvé'}
      onChange={(id, option) => {
        setChosen(option ? { value: option.value, label: option.label } : null);
        onChange(id, option?.label ?? null);
      }}
    />
  );
}

/** The organisation's audit trail: who saw or changed what, when, from where — in French. */
export function AuditPage() {
  usePageTitle('Journal d’audit');
  const [filters, setFilters] = useState<AuditFilters>({});
  const [draft, setDraft] = useState<{ actorId: string | null; objectId: string | null; action: string | null; from: string; to: string }>({
    actorId: null,
    objectId: null,
    action: null,
    from: '',
    to: '',
  });
  // Cursors of the pages seen so far: [undefined] is the first page; « Page précédente » pops.
  const [cursors, setCursors] = useState<(Cursor | undefined)[]>([undefined]);
  const after = cursors.at(-1);
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('GET', '/api/users') });
  const events = useQuery({
    queryKey: ['audit', filters, after],
    queryFn: () => api<AuditPageData>('POST', '/api/audit/search', { ...filters, limit: PAGE, ...(after ? { after } : {}) }),
  });
  const [reauth, setReauth] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const apply = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setError('La date de fin doit être le même jour que la date de début, ou après.');
      return;
    }
    setError(null);
    setFilters({
      ...(draft.actorId ? { actorId: draft.actorId } : {}),
      ...(draft.objectId ? { objectId: draft.objectId } : {}),
      ...(draft.action ? { action: draft.action } : {}),
      ...(draft.from ? { from: dayStart(draft.from) } : {}),
      ...(draft.to ? { to: dayStart(draft.to, 1) } : {}),
    });
    setCursors([undefined]);
  };

  const download = async () => {
    const response = await fetch('/api/audit/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(filters) });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      if (problem.code === 'reauthentication_required') return setReauth(true);
      return notifyError(new Error(problem.detail ?? 'L’export n’a pas pu être préparé. Réessayez.'));
    }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'journal-audit.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  const userOptions = [...(users.data ?? [])]
    .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`, 'fr', { sensitivity: 'base' }))
    .map((u) => ({ value: u.id, label: `${u.firstName} ${u.lastName} — ${roleLabels[u.role]}` }));
  const page = events.data;
  const first = cursors.length === 1;
  const start = (cursors.length - 1) * PAGE + 1;
  const totalText = page ? (page.totalCapped ? `plus de ${page.total.toLocaleString('fr-FR')}` : page.total.toLocaleString('fr-FR')) : '';

  return (
    <Stack>
      <Title order={1} size="h2">
        Journal d’audit
      </Title>
      <Text size="sm" c="dimmed">
        Le journal est en ajout seul : personne, pas même un administrateur, ne peut le modifier. Heures de Paris.
      </Text>
      <form onSubmit={apply} aria-label="Filtres du journal">
        <Group align="end">
          <Select
            label="Utilisateur"
            placeholder="Tous les utilisateurs"
            data={userOptions}
            value={draft.actorId}
            onChange={(v) => setDraft({ ...draft, actorId: v })}
            searchable
            clearable
          />
          <HouseholdFilter value={draft.objectId} onChange={(id) => setDraft({ ...draft, objectId: id })} />
          <Select
            label="Action"
            placeholder="Toutes les actions"
            data={auditActionGroups}
            value={draft.action}
            onChange={(v) => setDraft({ ...draft, action: v })}
            searchable
            clearable
            w={300}
          />
          <TextInput type="date" label="Du" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
          <TextInput type="date" label="Au (inclus)" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
          <Button type="submit">Filtrer</Button>
          <Button variant="default" onClick={() => void download()}>
            Exporter (CSV)
          </Button>
        </Group>
      </form>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <DataTable
        label="Journal d’audit"
        rows={page?.events}
        loading={events.isPending}
        error={events.error}
        refreshing={events.isFetching}
        summary={
          page && page.total > 0 && `Événements ${start.toLocaleString('fr-FR')} à ${(start + page.events.length - 1).toLocaleString('fr-FR')} sur ${totalText}`
        }
        empty="Aucun événement ne correspond à ces filtres."
        loadingLabel="Chargement du journal…"
        paging={{
          kind: 'cursor',
          onPrevious: first ? undefined : () => setCursors(cursors.slice(0, -1)),
          onNext: page?.next ? () => page.next && setCursors([...cursors, page.next]) : undefined,
        }}
        rowKey={(e) => e.id}
        columns={[
          { header: 'Date', style: { whiteSpace: 'nowrap' }, cell: (e) => frenchDateTime(e.at) },
          {
            header: 'Qui',
            cell: (e) => (
              <>
                {auditActorLabel(e) ?? '—'}
                {e.actorName && e.actorRole && (
                  <Text size="xs" c="dimmed">
                    {roleLabels[e.actorRole as Role] ?? e.actorRole}
                  </Text>
                )}
              </>
            ),
          },
          { header: 'Action', cell: (e) => e.actionLabel },
          { header: 'Objet', cell: (e) => e.objectName ?? '—' },
          { header: 'Détail', cell: (e) => e.summary },
          { header: 'Adresse IP', cell: (e) => e.ip ?? '—' },
        ]}
      />
      <ReauthModal
        opened={reauth}
        onClose={() => setReauth(false)}
        reason="Le journal exporté contient des données personnelles : confirmez qu’il s’agit bien de vous."
        onConfirmed={() => {
          setReauth(false);
          void download();
        }}
      />
    </Stack>
  );
}
