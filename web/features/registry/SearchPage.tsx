import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { plural } from '../../../contracts/plural.ts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/session.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const matchedLabels: Record<HouseholdHit['matched'], string> = {
  name: 'nom',
  first_name: 'prénom',
  phone: 'téléphone',
  address: 'adresse',
  residence: 'résidence',
  reference: 'référence',
};

// The last search and its results stay in the query cache (memory only, per user, emptied at
// sign-out), never in the URL nor the browser's storage (TRUST DP-13): coming back from a
// household file (« ← Recherche » or the browser's back) shows them again without a new search.
const keep = { staleTime: Number.POSITIVE_INFINITY, gcTime: 30 * 60_000 };
const lastQueryKey = (userId: string | undefined) => ['household-search-last', userId] as const;

/** One search box: name or first name (accents and typos forgiven), phone in any format, street, residence, ERP reference. */
export function SearchPage() {
  usePageTitle('Rechercher un ménage');
  const me = useMe();
  const userId = me.data?.id;
  const client = useQueryClient();
  client.setQueryDefaults(['household-search-last'], keep);
  const [submitted, setSubmitted] = useState(() => client.getQueryData<string>(lastQueryKey(userId)) ?? '');
  const search = useQuery({
    queryKey: ['household-search', userId, submitted],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query: submitted }),
    enabled: submitted !== '' && userId !== undefined,
    retry: false,
    ...keep,
  });
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = String(new FormData(event.currentTarget).get('query') ?? '').trim();
    client.setQueryData(lastQueryKey(userId), query);
    // The same words again: search again (the file may have changed).
    if (query === submitted) void search.refetch();
    else setSubmitted(query);
  };
  const hits = search.data;
  return (
    <Stack maw={900}>
      <Title order={1}>Rechercher un ménage</Title>
      <form onSubmit={submit} aria-label="Recherche de ménage">
        <Group align="end">
          <TextInput
            name="query"
            label="Nom, téléphone, adresse ou référence"
            description="Nom ou prénom, téléphone, rue (avec ou sans numéro), résidence ou référence"
            placeholder="Ex. : Benoit Lefevre, 06 12 34 56 78, rue Jean Jaurès, Les Tilleuls, L0001234"
            defaultValue={submitted}
            w={480}
            autoFocus
          />
          <Button type="submit" loading={search.isFetching}>
            Rechercher
          </Button>
        </Group>
      </form>
      {search.error && <Alert color="red">{search.error.message}</Alert>}
      {hits && <Text role="status">{hits.length === 0 ? 'Aucun ménage trouvé.' : plural(hits.length, 'ménage trouvé', 'ménages trouvés')}</Text>}
      {(hits ?? []).map((h) => (
        <Card key={h.id} withBorder component={Link} to={`/menages/${h.id}`} aria-label={`Ménage ${h.persons.join(', ')}`}>
          <Group justify="space-between">
            <Text fw={600}>{h.persons.join(', ') || '(sans occupant)'}</Text>
            <Group gap="xs">
              {h.status === 'left' && <Badge color="gray">sorti</Badge>}
              <Badge variant="light">trouvé par {matchedLabels[h.matched]}</Badge>
            </Group>
          </Group>
          <Text size="sm">
            {h.residence} — {h.address}
          </Text>
          <Text size="sm">
            {h.agency} · réf. {h.erpRef}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
