import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { HouseholdHit } from '../../../contracts/households.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const matchedLabels = { name: 'nom', phone: 'téléphone', address: 'adresse', reference: 'référence' } as const;

/** One search box: name (accents and typos forgiven), phone in any format, address, ERP reference. */
export function SearchPage() {
  usePageTitle('Rechercher un ménage');
  const search = useMutation({ mutationFn: (query: string) => api<HouseholdHit[]>('POST', '/api/households/search', { query }) });
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    search.mutate(String(new FormData(event.currentTarget).get('query') ?? ''));
  };
  return (
    <Stack maw={900}>
      <Title order={1}>Rechercher un ménage</Title>
      <form onSubmit={submit} aria-label="Recherche de ménage">
        <Group align="end">
          <TextInput
            name="query"
            label="Nom, téléphone, adresse ou référence"
            placeholder="Ex. : Benoit Lefevre, 06 12 34 56 78, rue Jean Jaurès, L0001234"
            w={480}
            autoFocus
          />
          <Button type="submit" loading={search.isPending}>
            Rechercher
          </Button>
        </Group>
      </form>
      {search.error && <Alert color="red">{search.error.message}</Alert>}
      {search.data?.length === 0 && <Text>Aucun ménage trouvé.</Text>}
      {(search.data ?? []).map((h) => (
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
