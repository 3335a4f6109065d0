import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { BreachHousehold, BreachReport, DataCategoryRow } from '../../../contracts/breach.ts';
import { parisLocalAt, parisLocalToIso } from '../../../contracts/paris-time.ts';
import { roleLabels } from '../../../contracts/roles.ts';
import type { User } from '../../../contracts/users.ts';
import { api } from '../../app/api.ts';
import { notifyError } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
const when = (iso: string) => parisDateTime.format(new Date(iso));
const classColors: Record<DataCategoryRow['class'], string> = {
  public: 'gray',
  internal: 'gray',
  personal: 'blue',
  social_sensitive: 'orange',
  art9_health: 'red',
};

function Categories({ categories }: { categories: DataCategoryRow[] }) {
  return (
    <Group gap={4}>
      {categories.map((c) => (
        <Badge key={c.table} variant="light" color={classColors[c.class]} title={c.classLabel} style={{ textTransform: 'none' }}>
          {c.label}
        </Badge>
      ))}
    </Group>
  );
}

type Query = { userId: string; from: string; to: string };

/**
 * « Violation de données » (TRUST DP-15): for a user and a period, the households whose data they
 * read or changed and the categories of data concerned, from the audit trail; on screen, then as
 * CSV or JSON for the notification to the CNIL. Each report is written to the audit trail.
 */
export function BreachSection() {
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('GET', '/api/users') });
  const [userId, setUserId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => parisLocalAt(Date.now() - 7 * 86_400_000));
  const [to, setTo] = useState(() => parisLocalAt(Date.now() + 60_000));
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Query | null>(null);
  const [pending, setPending] = useState<'csv' | 'json' | null>(null);
  const report = useMutation({ mutationFn: (q: Query) => api<BreachReport>('POST', '/api/breach/report', q), onError: notifyError });

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fromIso = parisLocalToIso(from);
    const toIso = parisLocalToIso(to);
    if (!userId) return setError('Choisissez l’utilisateur·rice dont le compte est en cause.');
    if (!fromIso || !toIso) return setError('Indiquez le début et la fin de la période (date et heure).');
    if (new Date(toIso) <= new Date(fromIso)) return setError('La date de fin doit suivre la date de début.');
    setError(null);
    const q = { userId, from: fromIso, to: toIso };
    setShown(q);
    report.mutate(q);
  };

  const download = async (format: 'csv' | 'json') => {
    if (!shown) return;
    const response = await fetch('/api/breach/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...shown, format }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      if (problem.code === 'reauthentication_required') return setPending(format);
      return notifyError(new Error(problem.detail ?? 'Le fichier n’a pas pu être préparé. Réessayez.'));
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `acces.${format}`;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
  };

  const userOptions = [...(users.data ?? [])]
    .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`, 'fr', { sensitivity: 'base' }))
    .map((u) => ({ value: u.id, label: `${u.firstName} ${u.lastName} — ${roleLabels[u.role]}` }));
  const r = report.data;
  const byTable = new Map((r?.categories ?? []).map((c) => [c.table, c]));

  return (
    <Card withBorder component="section" aria-labelledby="breach-title">
      <Stack>
        <Title order={2} id="breach-title">
          Violation de données : ménages consultés par un compte
        </Title>
        <Text size="sm" c="dimmed">
          Si un compte a pu être utilisé par quelqu’un d’autre, ou de façon abusive, choisissez-le avec la période en cause : Lien liste, d’après le journal
          d’audit, les ménages dont ce compte a consulté ou modifié les données et les catégories de données concernées. La notification à la CNIL est due dans
          les 72 heures (RGPD, article 33). Heures de Paris ; chaque relevé est inscrit au journal d’audit.
        </Text>
        <form onSubmit={submit} aria-label="Relevé des accès d’un compte">
          <Group align="end">
            <Select
              label="Utilisateur·rice"
              placeholder={users.data ? 'Choisir un compte' : 'Chargement des comptes…'}
              disabled={!users.data}
              data={userOptions}
              value={userId}
              onChange={setUserId}
              searchable
              w={320}
            />
            <TextInput type="datetime-local" label="Du" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="datetime-local" label="Au" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            <Button type="submit" loading={report.isPending}>
              Afficher les ménages consultés
            </Button>
          </Group>
        </form>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {r && (
          <Stack gap="sm">
            <Text fw={600} aria-live="polite">
              {r.user.name} :{' '}
              {r.totalHouseholds === 0 ? 'aucun ménage' : r.totalHouseholds === 1 ? '1 ménage' : `${r.totalHouseholds.toLocaleString('fr-FR')} ménages`} du{' '}
              {when(r.from)} au {when(r.to)}
            </Text>
            {r.households.length < r.totalHouseholds && (
              <Text size="sm" c="dimmed">
                Les {r.households.length.toLocaleString('fr-FR')} premiers sont affichés ; les fichiers CSV et JSON les contiennent tous.
              </Text>
            )}
            {r.categories.length > 0 && (
              <Stack gap={4}>
                <Text size="sm">Catégories de données concernées :</Text>
                <Categories categories={r.categories} />
              </Stack>
            )}
            {r.households.length === 0 ? (
              <Text size="sm">Ce compte n’a consulté aucun ménage sur cette période.</Text>
            ) : (
              // Scrolls sideways on a narrow screen; focusable so that the keyboard can scroll it too.
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
              <section style={{ overflowX: 'auto' }} tabIndex={0} aria-label="Ménages consultés, tableau défilant">
                <Table striped aria-label="Ménages consultés" miw={800}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Ménage</Table.Th>
                      <Table.Th>Premier accès</Table.Th>
                      <Table.Th>Dernier accès</Table.Th>
                      <Table.Th>Accès</Table.Th>
                      <Table.Th>Actions</Table.Th>
                      <Table.Th>Catégories de données</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.households.map((h: BreachHousehold) => (
                      <Table.Tr key={h.householdId}>
                        <Table.Td>{h.name ?? '(ménage supprimé)'}</Table.Td>
                        <Table.Td>{when(h.firstAt)}</Table.Td>
                        <Table.Td>{when(h.lastAt)}</Table.Td>
                        <Table.Td>{h.accesses}</Table.Td>
                        <Table.Td>{h.actions.join(', ')}</Table.Td>
                        <Table.Td>
                          <Categories categories={h.categories.flatMap((t) => byTable.get(t) ?? [])} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </section>
            )}
            {r.unlisted.length > 0 && (
              <Alert color="yellow" title="Actions qui ne nomment pas les ménages">
                <Stack gap={4}>
                  {r.unlisted.map((u) => (
                    <Text key={u.action} size="sm">
                      {u.label} : {u.events} fois, du {when(u.firstAt)} au {when(u.lastAt)} — {u.categories.map((c) => c.label).join(', ')}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            <Group>
              <Button variant="default" onClick={() => void download('csv')}>
                Télécharger en CSV
              </Button>
              <Button variant="default" onClick={() => void download('json')}>
                Télécharger en JSON
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <ReauthModal
        opened={pending !== null}
        onClose={() => setPending(null)}
        reason="Ce fichier nomme des ménages et leurs données : confirmez qu’il s’agit bien de vous."
        onConfirmed={() => {
          const format = pending;
          setPending(null);
          if (format) void download(format);
        }}
      />
    </Card>
  );
}
