import { Alert, Button, Card, Checkbox, Group, NativeSelect, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { plural } from '../../../contracts/plural.ts';
import { type RequestCategory, requestCategories, requestCategoryLabels } from '../../../contracts/portal-labels.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { parisDate } from './RequestsPage.tsx';

type Article = { id: string; kind: 'faq' | 'news'; agencyId: string | null; title: string; body: string; updatedAt: string };
type Agency = { id: string; name: string };
const kinds = [
  { value: 'news', label: 'Actualité' },
  { value: 'faq', label: 'Question fréquente' },
];

/** /espace-locataire: the FAQ and news tenants read in their portal, for all or for one agency. */
export function PortalArticlesPage() {
  usePageTitle('Espace locataire : actualités et questions fréquentes');
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['portal-articles'], queryFn: () => api<Article[]>('GET', '/api/portal-articles') });
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: () => api<Agency[]>('GET', '/api/agencies') });
  const [kind, setKind] = useState<'faq' | 'news'>('news');
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const settings = useQuery({ queryKey: ['portal-settings'], queryFn: () => api<{ showBalance: boolean }>('GET', '/api/portal-settings') });
  const saveSettings = useMutation({
    mutationFn: (showBalance: boolean) => api<{ ok: true }>('PUT', '/api/portal-settings', { showBalance }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal-settings'] }),
  });
  const deadlines = useQuery({ queryKey: ['request-deadlines'], queryFn: () => api<Record<RequestCategory, number>>('GET', '/api/requests/deadlines') });
  const saveDeadline = useMutation({
    mutationFn: (change: Partial<Record<RequestCategory, number>>) => api<{ ok: true }>('PUT', '/api/requests/deadlines', { days: change }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['request-deadlines'] }),
  });
  const done = () => client.invalidateQueries({ queryKey: ['portal-articles'] });
  const save = useMutation({ mutationFn: () => api<{ id: string }>('POST', '/api/portal-articles', { kind, agencyId, title, body }), onSuccess: done });
  const remove = useMutation({ mutationFn: (id: string) => api<{ ok: true }>('DELETE', `/api/portal-articles/${id}`), onSuccess: done });
  const agencyName = (id: string | null) => (id ? (agencies.data?.find((a) => a.id === id)?.name ?? 'une agence') : 'tous les locataires');
  return (
    <Stack>
      <Title order={1}>Espace locataire : actualités et questions fréquentes</Title>
      <Text>Ce que les locataires lisent dans leur espace, pour tous ou pour les locataires d’une agence.</Text>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Réglages
        </Title>
        <Checkbox
          label="Montrer à chaque locataire le solde de son foyer et son plan de paiement"
          checked={settings.data?.showBalance ?? false}
          disabled={!settings.data}
          onChange={(e) => saveSettings.mutate(e.currentTarget.checked, { onSuccess: () => notifySuccess('Réglage enregistré.'), onError: notifyError })}
        />
        <Text mt="md" fw={600}>
          Délai de réponse aux demandes, par catégorie
        </Text>
        <Group mt="xs" align="end">
          {requestCategories.map((c) => (
            <NativeSelect
              key={c}
              label={requestCategoryLabels[c]}
              disabled={!deadlines.data}
              value={String(deadlines.data?.[c] ?? '')}
              data={[...new Set([1, 2, 3, 5, 7, 10, 15, 30, deadlines.data?.[c] ?? 3])]
                .sort((a, b) => a - b)
                .map((d) => ({ value: String(d), label: plural(d, 'jour') }))}
              onChange={(e) =>
                saveDeadline.mutate({ [c]: Number(e.currentTarget.value) }, { onSuccess: () => notifySuccess('Délai enregistré.'), onError: notifyError })
              }
            />
          ))}
        </Group>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Publier
        </Title>
        <Group align="end">
          <Select label="Type" data={kinds} value={kind} allowDeselect={false} onChange={(v) => setKind((v ?? 'news') as 'faq' | 'news')} />
          <Select
            label="Pour"
            placeholder="Tous les locataires"
            clearable
            data={(agencies.data ?? []).map((a) => ({ value: a.id, label: `Locataires de ${a.name}` }))}
            value={agencyId}
            onChange={setAgencyId}
          />
        </Group>
        <TextInput mt="xs" label={kind === 'faq' ? 'Question' : 'Titre'} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea mt="xs" label={kind === 'faq' ? 'Réponse' : 'Texte'} autosize minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <Group mt="sm">
          <Button
            loading={save.isPending}
            disabled={!title.trim() || !body.trim()}
            onClick={() =>
              save.mutate(undefined, {
                onSuccess: () => {
                  setTitle('');
                  setBody('');
                  notifySuccess('Publié dans l’espace locataire.');
                },
                onError: notifyError,
              })
            }
          >
            Publier
          </Button>
        </Group>
      </Card>
      {list.error && (
        <Alert color="red" role="alert">
          {list.error.message}
        </Alert>
      )}
      {list.data?.length === 0 && <Text>Rien de publié pour le moment.</Text>}
      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {list.data?.map((a) => (
          <Card withBorder key={a.id} component="li">
            <Group justify="space-between">
              <Text fw={600}>
                {a.kind === 'faq' ? 'Question' : 'Actualité'} : {a.title}
              </Text>
              <Button
                variant="subtle"
                color="red"
                size="xs"
                aria-label={`Retirer « ${a.title} »`}
                onClick={() => remove.mutate(a.id, { onError: notifyError })}
              >
                Retirer
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              Pour {agencyName(a.agencyId)} · le {parisDate(a.updatedAt)}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{a.body}</Text>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
