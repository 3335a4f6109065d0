import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type RequestStatus, requestCategoryLabels, requestStatuses, requestStatusLabels } from '../../../contracts/portal-labels.ts';
import { api } from '../../app/api.ts';
import { useCan, useMe } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { fileLink, type InboxView, useChangeRequest, useInboxRequest, useNote, useReply, useRequestCase } from './api.ts';
import { parisDate } from './RequestsPage.tsx';

const parisDateTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
const statusData = requestStatuses.map((s) => ({ value: s, label: requestStatusLabels[s] }));

/** /demandes/:id: a tenant's request — exchanges, reply (the tenant is told by SMS or e-mail), internal notes, status, case. */
export function RequestPage() {
  const { id = '' } = useParams();
  const request = useInboxRequest(id);
  usePageTitle(request.data ? `Demande — ${request.data.householdName}` : 'Demande');
  if (request.error)
    return (
      <Alert color="red" role="alert" title="Demande introuvable">
        {request.error.message}
      </Alert>
    );
  if (!request.data)
    return (
      <Center py="md" role="status">
        <Loader aria-label="Chargement de la demande…" />
      </Center>
    );
  const r = request.data;
  return (
    <Stack>
      <Anchor component={Link} to="/demandes" size="sm">
        ← Demandes des locataires
      </Anchor>
      <Title order={1}>
        {requestCategoryLabels[r.category]} — {r.householdName}
      </Title>
      <Group gap="xs">
        <Badge variant="light">{requestStatusLabels[r.status]}</Badge>
        {r.overdue && <Badge color="red">En retard</Badge>}
        <Text size="sm">
          Déposée le {parisDate(r.createdAt)} · à traiter avant le {parisDate(r.dueAt)}
        </Text>
      </Group>
      <Anchor component={Link} to={`/menages/${r.householdId}`}>
        Voir la fiche du ménage
      </Anchor>
      <Card withBorder>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{r.description}</Text>
      </Card>
      <Exchanges r={r} />
      <Reply r={r} />
      <Manage r={r} />
      <Notes r={r} />
    </Stack>
  );
}

function Exchanges({ r }: { r: InboxView }) {
  const open = async (fileId: string) => {
    try {
      location.assign((await fileLink(fileId)).link);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Échanges avec le locataire
      </Title>
      {r.exchanges.length === 0 && <Text>Aucun échange pour l’instant.</Text>}
      <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {r.exchanges.map((x) => (
          <li key={x.id}>
            <Text size="sm" c="dimmed">
              {x.author === 'tenant' ? 'Locataire' : x.author === 'landlord' ? 'Bailleur' : 'Statut'} · {parisDateTime(x.at)}
            </Text>
            {x.body && <Text style={{ whiteSpace: 'pre-wrap' }}>{x.author === 'status' ? `Nouveau statut : ${x.body}` : x.body}</Text>}
            {x.file &&
              (x.file.scanStatus === 'clean' ? (
                <Button variant="light" size="xs" onClick={() => open(x.file?.id as string)}>
                  Ouvrir {x.file.name}
                </Button>
              ) : (
                <Text size="sm" c={x.file.scanStatus === 'infected' ? 'red' : 'dimmed'}>
                  {x.file.name} : {x.file.scanStatus === 'infected' ? 'bloqué par l’antivirus' : 'analyse antivirus en cours'}
                </Text>
              ))}
          </li>
        ))}
      </Stack>
    </Card>
  );
}

function Reply({ r }: { r: InboxView }) {
  const [body, setBody] = useState('');
  const reply = useReply(r.id);
  const can = useCan();
  // Messaging's templates (issue 15), for those who may use them: a starting text to adapt.
  const templates = useQuery({
    queryKey: ['messaging', 'templates'],
    enabled: can('messages.send'),
    queryFn: () => api<{ id: string; name: string; body: string }[]>('GET', '/api/messaging/templates'),
  });
  const send = () =>
    reply.mutate(
      { body },
      {
        onSuccess: () => {
          setBody('');
          notifySuccess('Réponse envoyée : le locataire est prévenu par SMS ou par e-mail.');
        },
        onError: notifyError,
      },
    );
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Répondre au locataire
      </Title>
      {templates.data && templates.data.length > 0 && (
        <Select
          mb="xs"
          label="Partir d’un modèle (facultatif)"
          placeholder="Choisir un modèle"
          clearable
          data={templates.data.map((t) => ({ value: t.id, label: t.name }))}
          onChange={(v) => {
            const t = templates.data?.find((x) => x.id === v);
            if (t) setBody(t.body);
          }}
        />
      )}
      <Textarea label="Réponse (le locataire la lit dans son espace)" autosize minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      <Group mt="sm">
        <Button onClick={send} loading={reply.isPending} disabled={!body.trim()}>
          Envoyer la réponse
        </Button>
      </Group>
    </Card>
  );
}

function Manage({ r }: { r: InboxView }) {
  const { data: me } = useMe();
  const change = useChangeRequest(r.id);
  const kase = useRequestCase(r.id);
  const mine = me?.id ?? null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Traitement
      </Title>
      <Group align="end">
        <Select
          label="Statut (vu par le locataire)"
          data={statusData}
          value={r.status}
          allowDeselect={false}
          onChange={(v) => v && change.mutate({ status: v as RequestStatus }, { onSuccess: () => notifySuccess('Statut changé.'), onError: notifyError })}
        />
        {mine && r.assignedTo !== mine && (
          <Button
            variant="light"
            onClick={() => change.mutate({ assignedTo: mine }, { onSuccess: () => notifySuccess('Demande attribuée à vous.'), onError: notifyError })}
          >
            M’attribuer la demande
          </Button>
        )}
        {r.caseId ? (
          <Anchor component={Link} to={`/dossiers/${r.caseId}`}>
            Voir le dossier de suivi
          </Anchor>
        ) : (
          <Button
            variant="light"
            loading={kase.isPending}
            onClick={() => kase.mutate(undefined, { onSuccess: () => notifySuccess('Demande rattachée au dossier du ménage.'), onError: notifyError })}
          >
            Ouvrir ou rejoindre un dossier
          </Button>
        )}
      </Group>
    </Card>
  );
}

function Notes({ r }: { r: InboxView }) {
  const [body, setBody] = useState('');
  const note = useNote(r.id);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Notes internes (jamais montrées au locataire)
      </Title>
      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {r.notes.map((n) => (
          <li key={n.id}>
            <Text size="sm" c="dimmed">
              {parisDateTime(n.at)}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Text>
          </li>
        ))}
      </Stack>
      <Textarea mt="sm" label="Nouvelle note interne" autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      <Group mt="sm">
        <Button
          variant="light"
          loading={note.isPending}
          disabled={!body.trim()}
          onClick={() => note.mutate({ body }, { onSuccess: () => setBody(''), onError: notifyError })}
        >
          Ajouter la note
        </Button>
      </Group>
    </Card>
  );
}
