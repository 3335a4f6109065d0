import { Alert, Anchor, Badge, Button, Card, Center, FileInput, Group, Loader, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import type { staffDocuments } from '../../../contracts/portal.ts';
import { type DocumentKind, documentKindLabels, documentKinds, documentRequestStatusLabels } from '../../../contracts/portal-labels.ts';
import { ApiError, api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

type Documents = z.infer<typeof staffDocuments>;
type FileState = Documents['documents'][number]['file'];

const parisDate = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso));
const kindData = documentKinds.map((k) => ({ value: k, label: documentKindLabels[k] }));
const scanLabels = { pending: 'analyse antivirus en cours', clean: 'sain', infected: 'bloqué par l’antivirus' } as const;

/** Publish: a multipart form, its text fields before the file (the server reads them first). */
async function publish(householdId: string, kind: DocumentKind, title: string, file: File) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('title', title);
  form.append('file', file);
  const res = await fetch(`/api/households/${householdId}/portal-documents`, { method: 'POST', credentials: 'same-origin', body: form });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201) throw new ApiError(res.status, String(body.code ?? 'error'), String(body.detail ?? 'L’envoi du document a échoué.'), body);
}

function OpenFile({ file }: { file: FileState }) {
  if (file.scanStatus !== 'clean') return <Text size="sm">{`${file.name} : ${scanLabels[file.scanStatus]}`}</Text>;
  const open = async () => {
    try {
      const { link } = await api<{ link: string }>('GET', `/api/portal-documents/files/${file.id}`);
      location.assign(link);
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <Button variant="subtle" size="compact-sm" onClick={open} aria-label={`Ouvrir ${file.name}`}>
      Ouvrir {file.name}
    </Button>
  );
}

/** /menages/:id/documents-locataire: what the household's tenant portal holds — documents published and asked for. */
export function HouseholdDocumentsPage() {
  const { id = '' } = useParams();
  usePageTitle('Espace locataire : documents');
  const client = useQueryClient();
  const key = ['portal-documents', id];
  const docs = useQuery({ queryKey: key, queryFn: () => api<Documents>('GET', `/api/households/${id}/portal-documents`) });
  const done = (message: string) => () => {
    notifySuccess(message);
    return client.invalidateQueries({ queryKey: key });
  };
  const [kind, setKind] = useState<DocumentKind | null>(null);
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const publishing = useMutation({
    mutationFn: () => publish(id, kind as DocumentKind, title, file as File),
    onSuccess: () => {
      setTitle('');
      setFile(null);
      setKind(null);
      return done('Document mis à disposition : le locataire est prévenu.')();
    },
    onError: notifyError,
  });
  const withdraw = useMutation({
    mutationFn: (documentId: string) => api('POST', `/api/portal-documents/${documentId}/withdraw`),
    onSuccess: done('Document retiré de l’espace locataire.'),
    onError: notifyError,
  });
  const [label, setLabel] = useState('');
  const [note, setNote] = useState('');
  const [dueOn, setDueOn] = useState('');
  const asking = useMutation({
    mutationFn: () => api('POST', `/api/households/${id}/document-requests`, { label, ...(note.trim() ? { note } : {}), ...(dueOn ? { dueOn } : {}) }),
    onSuccess: () => {
      setLabel('');
      setNote('');
      setDueOn('');
      return done('Document demandé : le locataire est prévenu.')();
    },
    onError: notifyError,
  });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const review = useMutation({
    mutationFn: (v: { id: string; decision: 'accept' } | { id: string; decision: 'redo'; reason: string }) => {
      const { id: requestId, ...body } = v;
      return api('POST', `/api/document-requests/${requestId}/review`, body);
    },
    onSuccess: done('Décision enregistrée.'),
    onError: notifyError,
  });

  return (
    <Stack maw={1000}>
      <Anchor component={Link} to={`/menages/${id}`} size="sm">
        ← Fiche du ménage
      </Anchor>
      <Title order={1}>Espace locataire : documents</Title>
      {docs.error && (
        <Alert color="red" role="alert" title="Ménage introuvable">
          {docs.error.message}
        </Alert>
      )}
      {docs.isLoading && (
        <Center role="status">
          <Loader aria-label="Chargement des documents…" />
        </Center>
      )}
      {docs.data && (
        <>
          <Card withBorder component="section" aria-labelledby="docs-published">
            <Title order={2} size="h4" id="docs-published">
              Documents mis à disposition
            </Title>
            {docs.data.documents.length === 0 ? (
              <Text>Aucun document.</Text>
            ) : (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Document</Table.Th>
                    <Table.Th>Publié le</Table.Th>
                    <Table.Th>Ouvert par le locataire</Table.Th>
                    <Table.Th>Fichier</Table.Th>
                    <Table.Th>Action</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {docs.data.documents.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>
                        {d.title} <Badge variant="light">{documentKindLabels[d.kind]}</Badge>
                      </Table.Td>
                      <Table.Td>{parisDate(d.publishedAt)}</Table.Td>
                      <Table.Td>{d.firstOpenedAt ? `le ${parisDate(d.firstOpenedAt)}` : 'pas encore'}</Table.Td>
                      <Table.Td>
                        <OpenFile file={d.file} />
                      </Table.Td>
                      <Table.Td>
                        {d.withdrawnAt ? (
                          <Text size="sm">Retiré le {parisDate(d.withdrawnAt)}</Text>
                        ) : (
                          <Button variant="light" color="red" size="compact-sm" onClick={() => withdraw.mutate(d.id)} aria-label={`Retirer « ${d.title} »`}>
                            Retirer
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <form
              onSubmit={(e) => {
                e.preventDefault();
                publishing.mutate();
              }}
            >
              <Group align="end" mt="sm">
                <Select label="Type" data={kindData} value={kind} onChange={(v) => setKind(v as DocumentKind | null)} required />
                <TextInput label="Titre" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
                <FileInput label="Fichier (PDF ou photo)" value={file} onChange={setFile} accept="application/pdf,image/jpeg,image/png,image/webp" required />
                <Button type="submit" loading={publishing.isPending} disabled={!kind || !title.trim() || !file}>
                  Mettre à disposition
                </Button>
              </Group>
            </form>
          </Card>
          <Card withBorder component="section" aria-labelledby="docs-asked">
            <Title order={2} size="h4" id="docs-asked">
              Documents demandés
            </Title>
            {docs.data.requests.length === 0 && <Text>Aucun document demandé.</Text>}
            <Stack>
              {docs.data.requests.map((r) => (
                <Card key={r.id} withBorder>
                  <Group gap="xs">
                    <Text fw={600}>{r.label}</Text>
                    <Badge variant="light">{documentRequestStatusLabels[r.status]}</Badge>
                    <Text size="sm">
                      demandé le {parisDate(r.askedAt)}
                      {r.dueOn
                        ? `, avant le ${new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${r.dueOn}T00:00:00Z`))}`
                        : ''}
                    </Text>
                  </Group>
                  {r.note && <Text size="sm">Message au locataire : {r.note}</Text>}
                  {r.redoReason && <Text size="sm">À refaire : {r.redoReason}</Text>}
                  {r.uploads.map((u) => (
                    <Group key={u.file.id} gap="xs">
                      <Text size="sm">Reçu le {parisDate(u.at)} :</Text>
                      <OpenFile file={u.file} />
                    </Group>
                  ))}
                  {r.status === 'received' && (
                    <Group align="end" mt="xs">
                      <Button size="compact-sm" onClick={() => review.mutate({ id: r.id, decision: 'accept' })}>
                        Accepter « {r.label} »
                      </Button>
                      <TextInput
                        label="Motif (à refaire)"
                        value={reasons[r.id] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [r.id]: e.currentTarget.value })}
                      />
                      <Button
                        size="compact-sm"
                        variant="light"
                        color="orange"
                        disabled={!reasons[r.id]?.trim()}
                        onClick={() => review.mutate({ id: r.id, decision: 'redo', reason: reasons[r.id] ?? '' })}
                      >
                        Demander à refaire
                      </Button>
                    </Group>
                  )}
                </Card>
              ))}
            </Stack>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                asking.mutate();
              }}
            >
              <Stack mt="sm" gap="xs">
                <TextInput label="Document à demander" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required maxLength={200} />
                <Textarea label="Message au locataire (facultatif)" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
                <TextInput label="À envoyer avant le (facultatif)" type="date" value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} maw={240} />
                <Group>
                  <Button type="submit" loading={asking.isPending} disabled={!label.trim()}>
                    Demander ce document
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        </>
      )}
    </Stack>
  );
}
