import { Alert, Badge, Button, Card, Group, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { HouseholdFile, HouseholdHit } from '../../../contracts/households.ts';
import { type ObjectablePurpose, type SubjectRequestKind, type SubjectRequestRow, subjectRequestKindLabels } from '../../../contracts/privacy.ts';
import { api } from '../../app/api.ts';
import { fromQuery, ListView } from '../../ui/DataTable.tsx';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { ReauthModal } from '../../ui/ReauthModal.tsx';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { RetentionSection } from '../retention/RetentionSection.tsx';
import { BreachSection } from './BreachSection.tsx';
import { deadlineText, frenchDay } from './deadline.ts';
import { ErasureActions } from './ErasureActions.tsx';
import { NotesReviewSection } from './NotesReviewSection.tsx';
import { RegisterSection } from './RegisterSection.tsx';
import { RequestKindFields } from './RequestKindFields.tsx';

const formats = ['pdf', 'json', 'csv'] as const;
type Format = (typeof formats)[number];

const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/** Record a request: find the household with the usual search, pick the person, say when it arrived. */
function RecordRequest({ onRecorded }: { onRecorded: () => void }) {
  const [query, setQuery] = useState('');
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const [personId, setPersonId] = useState<string | null>(null);
  const [receivedOn, setReceivedOn] = useState(parisToday);
  const [notes, setNotes] = useState('');
  const [kind, setKind] = useState<SubjectRequestKind>('access');
  const [purposes, setPurposes] = useState<ObjectablePurpose[]>([]);
  const hits = useQuery({
    queryKey: ['privacy-search', query],
    queryFn: () => api<HouseholdHit[]>('POST', '/api/households/search', { query }),
    enabled: query !== '',
    retry: false,
  });
  const file = useQuery({
    queryKey: ['privacy-household', householdId],
    queryFn: () => api<HouseholdFile>('GET', `/api/households/${householdId}`),
    enabled: householdId !== null,
  });
  const record = useMutation({
    mutationFn: () =>
      api<SubjectRequestRow>('POST', '/api/privacy/requests', {
        personId,
        receivedOn,
        kind,
        ...(kind === 'objection' ? { purposes } : {}),
        ...(notes.trim() ? { notes } : {}),
      }),
    onSuccess: (r) => {
      notifySuccess(`Demande enregistrée pour ${r.personName} : ${deadlineText(r)}.`);
      setHouseholdId(null);
      setPersonId(null);
      setNotes('');
      setKind('access');
      setPurposes([]);
      onRecorded();
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack>
        <Title order={2}>Enregistrer une demande</Title>
        <form
          aria-label="Rechercher la personne"
          onSubmit={(e) => {
            e.preventDefault();
            setHouseholdId(null);
            setPersonId(null);
            setQuery(String(new FormData(e.currentTarget).get('query') ?? '').trim());
          }}
        >
          <Group align="end">
            <TextInput name="query" label="Ménage de la personne" description="Nom, téléphone, adresse ou référence" style={{ flex: 1 }} />
            <Button type="submit" variant="default">
              Rechercher
            </Button>
          </Group>
        </form>
        {hits.error && <Alert color="red">{hits.error.message}</Alert>}
        {hits.data && householdId === null && (
          <Stack gap="xs" role="list" aria-label="Ménages trouvés">
            {hits.data.length === 0 && <Text c="dimmed">Aucun ménage trouvé.</Text>}
            {hits.data.map((h) => (
              <Group key={h.id} role="listitem" justify="space-between">
                <Text>
                  {h.persons.join(', ')} — {h.erpRef} {h.address ? `· ${h.address}` : ''}
                </Text>
                <Button size="xs" variant="light" onClick={() => setHouseholdId(h.id)}>
                  Choisir le ménage {h.erpRef}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        {file.data && (
          <form
            aria-label="Nouvelle demande"
            onSubmit={(e) => {
              e.preventDefault();
              if (!personId) return notifyError(new Error('Choisissez la personne qui fait la demande.'));
              record.mutate();
            }}
          >
            <Stack>
              <Radio.Group label="Personne qui fait la demande" value={personId} onChange={setPersonId} required>
                <Stack gap="xs" mt="xs">
                  {file.data.persons.map((p) => (
                    <Radio key={p.id} value={p.id} label={`${p.civility ?? ''} ${p.firstName} ${p.lastName}`.trim()} />
                  ))}
                </Stack>
              </Radio.Group>
              <RequestKindFields kind={kind} purposes={purposes} onKind={setKind} onPurposes={setPurposes} />
              <TextInput
                type="date"
                label="Reçue le"
                description="La réponse est due un mois après la réception (RGPD, art. 12)"
                value={receivedOn}
                max={parisToday()}
                onChange={(e) => setReceivedOn(e.currentTarget.value)}
                required
              />
              <Textarea
                label="Note (facultatif)"
                description="Comment la demande est arrivée, pièce d’identité vérifiée…"
                value={notes}
                onChange={(e) => setNotes(e.currentTarget.value)}
                maxLength={2000}
              />
              <Group>
                <Button type="submit" loading={record.isPending}>
                  Enregistrer la demande
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

/**
 * « Protection des données »: the tenants' requests about their data (right of access, TRUST
 * DP-06), each with its legal deadline, the export of everything Lien holds about the person
 * (JSON, CSV, PDF) and « répondue ».
 */
export function PrivacyPage() {
  usePageTitle('Protection des données');
  const client = useQueryClient();
  const requests = useQuery({ queryKey: ['privacy-requests'], queryFn: () => api<SubjectRequestRow[]>('GET', '/api/privacy/requests') });
  // The download waiting for the identity to be confirmed (more than 5 minutes since sign-in).
  const [pending, setPending] = useState<{ id: string; format: Format } | null>(null);
  const download = async (id: string, format: Format) => {
    const response = await fetch(`/api/privacy/requests/${id}/export?format=${format}`, { credentials: 'same-origin' });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      if (problem.code === 'reauthentication_required') return setPending({ id, format });
      return notifyError(new Error(problem.detail ?? 'Le fichier n’a pas pu être préparé. Réessayez.'));
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `donnees.${format}`;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
  };
  const answer = useMutation({
    mutationFn: (id: string) => api('POST', `/api/privacy/requests/${id}/answer`),
    onSuccess: () => {
      notifySuccess('Demande marquée comme répondue.');
      void client.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
    onError: notifyError,
  });
  return (
    <Stack maw={900}>
      <Title order={1}>Protection des données</Title>
      <Text size="sm" c="dimmed">
        Une personne peut demander toutes les données que Lien conserve sur elle et son ménage (droit d’accès), leur effacement, ou s’opposer à une finalité
        (campagnes d’appels, registre des fragilités). Enregistrez la demande le jour où elle arrive : la réponse est due dans le mois. Le fichier PDF se lit
        facilement ; les fichiers JSON et CSV se relisent avec un ordinateur. Chaque téléchargement est inscrit au journal d’audit.
      </Text>
      <RecordRequest onRecorded={() => void client.invalidateQueries({ queryKey: ['privacy-requests'] })} />
      <Title order={2}>Demandes</Title>
      <ListView {...fromQuery(requests)} empty="Aucune demande enregistrée." loadingLabel="Chargement des demandes…">
        {(rows) => (
          <Stack gap="sm" role="list" aria-label="Demandes sur les données">
            {rows.map((r) => (
              <Card key={r.id} withBorder role="listitem" aria-label={`Demande de ${r.personName}`}>
                <Group justify="space-between">
                  <Text fw={600}>
                    {r.personName} — ménage {r.householdRef}
                  </Text>
                  <Badge color={r.refusalReason !== null ? 'gray' : r.status === 'answered' ? 'green' : r.overdue ? 'red' : 'blue'} variant="light">
                    {r.refusalReason !== null ? 'Refusée' : r.status === 'answered' ? 'Répondue' : r.overdue ? 'En retard' : 'À traiter'}
                  </Badge>
                </Group>
                <Text size="sm">
                  {r.kind === 'access' ? 'Droit d’accès reçu' : `${subjectRequestKindLabels[r.kind]} reçue`} le {frenchDay(r.receivedOn)} ·{' '}
                  <strong>{deadlineText(r)}</strong>
                </Text>
                {r.notes && (
                  <Text size="sm" c="dimmed">
                    {r.notes}
                  </Text>
                )}
                {r.kind !== 'access' && <ErasureActions request={r} />}
                <Group mt="xs">
                  {r.kind === 'access' &&
                    formats.map((format) => (
                      <Button key={format} size="xs" variant="default" onClick={() => void download(r.id, format)}>
                        Télécharger en {format.toUpperCase()}
                      </Button>
                    ))}
                  {r.status === 'open' && r.kind === 'access' && (
                    <Button size="xs" onClick={() => answer.mutate(r.id)} loading={answer.isPending && answer.variables === r.id}>
                      Marquer comme répondue
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </ListView>
      <BreachSection />
      <RegisterSection />
      <ReauthModal
        opened={pending !== null}
        onClose={() => setPending(null)}
        reason="Ce fichier contient toutes les données d’une personne : confirmez qu’il s’agit bien de vous."
        onConfirmed={() => {
          const next = pending;
          setPending(null);
          if (next) void download(next.id, next.format);
        }}
      />
      <RetentionSection />
      <NotesReviewSection />
    </Stack>
  );
}
