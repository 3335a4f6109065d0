import { Alert, Anchor, Badge, Button, Card, Center, Checkbox, Group, Loader, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type CaseNoteKind,
  type CaseOutcome,
  caseNoteKindLabels,
  caseOriginLabels,
  caseOutcomeLabels,
  caseOutcomes,
  caseStatusLabels,
  caseTypeLabels,
} from '../../../contracts/cases.ts';
import { checkNote, noteFlagMessages } from '../../../contracts/note-guard.ts';
import { plural } from '../../../contracts/plural.ts';
import { useCan } from '../../app/session.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { CaseReferrals } from '../partners/CaseReferrals.tsx';
import { type CaseDetail, useAddNote, useAddTask, useCase, useCaseStatus, useCompleteTask } from './api.ts';
import { ageOf, frenchDate } from './CasesPage.tsx';

/** /dossiers/:id: a case — its needs heard, status, tasks and notes; closing it with an outcome. */
export function CasePage() {
  const { id = '' } = useParams();
  const kase = useCase(id);
  const can = useCan();
  usePageTitle(kase.data ? `Dossier ${caseTypeLabels[kase.data.type].toLowerCase()} — ${kase.data.householdRef}` : 'Dossier');
  if (kase.error)
    return (
      <Alert color="red" role="alert" title="Dossier introuvable">
        {kase.error.message}
      </Alert>
    );
  if (!kase.data)
    return (
      <Center py="md" role="status">
        <Loader aria-label="Chargement du dossier…" />
      </Center>
    );
  const c = kase.data;
  const closed = c.status === 'closed';
  return (
    <Stack>
      <Anchor component={Link} to="/dossiers" size="sm">
        ← Dossiers
      </Anchor>
      <Title order={1}>
        Dossier {caseTypeLabels[c.type].toLowerCase()} — ménage {c.householdRef}
      </Title>
      <Group gap="xs">
        {c.urgent && <Badge color="red">Urgence</Badge>}
        <Badge variant="light">{caseStatusLabels[c.status]}</Badge>
        <Text size="sm">
          Origine : {caseOriginLabels[c.origin]} · ouvert le {frenchDate(c.createdAt)} (depuis {ageOf(c.createdAt)}) · agence {c.agency} · attribué à{' '}
          {c.assignedName ?? 'personne'}
        </Text>
      </Group>
      <Anchor component={Link} to={`/menages/${c.householdId}`}>
        Voir la fiche du ménage {c.householdRef}
        {c.holder ? ` (${c.holder})` : ''}
      </Anchor>
      {closed && (
        <Alert color="gray" title={`Clos le ${frenchDate(c.closedAt ?? c.createdAt)} : ${c.outcome ? caseOutcomeLabels[c.outcome] : ''}`}>
          {c.outcomeNote}
        </Alert>
      )}
      <Needs c={c} />
      {!closed && <StatusSection c={c} />}
      {can('referrals.send') && <CaseReferrals caseId={c.id} closed={closed} />}
      <Tasks c={c} />
      <Notes c={c} />
    </Stack>
  );
}

function Needs({ c }: { c: CaseDetail }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Besoins repérés ({c.needs.length})
      </Title>
      {c.needs.length === 0 ? (
        <Text size="sm">Dossier ouvert par le personnel, sans besoin repéré pendant un appel.</Text>
      ) : (
        <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: 20 }}>
          {c.needs.map((n) => (
            <Text component="li" size="sm" key={n.id}>
              {n.label} — {frenchDate(n.createdAt)}
              {n.campaign ? ` (campagne « ${n.campaign} »)` : ''}
              {n.urgent ? ' — urgence' : ''}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function StatusSection({ c }: { c: CaseDetail }) {
  const change = useCaseStatus(c.id);
  const [outcome, setOutcome] = useState<CaseOutcome | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Statut
      </Title>
      <Group>
        {(['open', 'waiting_partner', 'waiting_tenant'] as const)
          .filter((s) => s !== c.status)
          .map((s) => (
            <Button
              key={s}
              variant="default"
              size="xs"
              loading={change.isPending}
              onClick={() =>
                change.mutate({ status: s }, { onSuccess: () => notifySuccess(`Dossier : ${caseStatusLabels[s].toLowerCase()}.`), onError: notifyError })
              }
            >
              {s === 'open' ? 'Rouvrir (en cours)' : caseStatusLabels[s]}
            </Button>
          ))}
      </Group>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!outcome) return setError('Choisissez l’issue du dossier.');
          if (note.trim().length < 2) return setError('Indiquez ce qui a été fait.');
          setError(null);
          change.mutate(
            { status: 'closed', outcome, note: note.trim() },
            { onSuccess: () => notifySuccess('Dossier clos.'), onError: (err) => setError(err.message) },
          );
        }}
      >
        <Stack mt="md" gap="xs">
          <Select
            label="Issue"
            placeholder="Choisir"
            data={caseOutcomes.map((o) => ({ value: o, label: caseOutcomeLabels[o] }))}
            value={outcome}
            onChange={(v) => setOutcome(v as CaseOutcome | null)}
            w={300}
          />
          <Textarea
            label="Ce qui a été fait"
            description="Restez factuel·le ; pas d’information de santé. L’appelant·e qui a signalé le besoin voit seulement qu’il a été pris en charge."
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            error={error}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Clore le dossier
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Tasks({ c }: { c: CaseDetail }) {
  const add = useAddTask(c.id);
  const done = useCompleteTask(c.id);
  const [title, setTitle] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [remind, setRemind] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const open = c.tasks.filter((t) => !t.doneAt);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Tâches ({plural(open.length, 'ouverte', 'ouvertes')})
      </Title>
      {c.tasks.length === 0 && <Text size="sm">Aucune tâche.</Text>}
      <Stack gap={6}>
        {c.tasks.map((t) => (
          <Group key={t.id} gap="xs">
            <Checkbox
              aria-label={`Marquer faite : ${t.title}`}
              checked={!!t.doneAt}
              disabled={!!t.doneAt || c.status === 'closed'}
              onChange={() => done.mutate(t.id, { onError: notifyError })}
            />
            <Text size="sm" td={t.doneAt ? 'line-through' : undefined}>
              {t.title}
            </Text>
            {t.dueOn && (
              <Text size="sm" c={t.overdue ? 'red.9' : 'gray.7'} fw={t.overdue ? 600 : undefined}>
                échéance {frenchDate(t.dueOn)}
                {t.overdue ? ' — en retard' : ''}
              </Text>
            )}
          </Group>
        ))}
      </Stack>
      {c.status !== 'closed' && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (title.trim().length < 2) return setError('Décrivez la tâche.');
            setError(null);
            add.mutate(
              { title: title.trim(), dueOn: dueOn || null, remind },
              {
                onSuccess: () => {
                  setTitle('');
                  setDueOn('');
                  notifySuccess('Tâche ajoutée.');
                },
                onError: (err) => setError(err.message),
              },
            );
          }}
        >
          <Group align="end" mt="md">
            <TextInput label="Nouvelle tâche" value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} error={error} w={360} />
            <TextInput label="Échéance" type="date" value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} w={180} />
            <Checkbox
              label="Rappel par e-mail le jour de l’échéance"
              checked={remind && !!dueOn}
              disabled={!dueOn}
              onChange={(e) => setRemind(e.currentTarget.checked)}
              mb={8}
            />
            <Button type="submit" variant="light" loading={add.isPending}>
              Ajouter la tâche
            </Button>
          </Group>
        </form>
      )}
    </Card>
  );
}

function Notes({ c }: { c: CaseDetail }) {
  const add = useAddNote(c.id);
  const sensitiveAllowed = useCan()('cases.sensitive_notes');
  const [kind, setKind] = useState<CaseNoteKind>('general');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const check = checkNote(body);
  // The same guard as call notes: in a general note health terms are refused as well as pejorative words.
  const warnings = check.flags.filter((f) => f === 'pejorative' || kind === 'general').map((f) => noteFlagMessages[f]);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Notes ({c.notes.length})
      </Title>
      {!sensitiveAllowed && (
        <Text size="xs" c="gray.7" mb="xs">
          Les notes santé et violences ne sont lisibles que par les travailleur·ses sociaux·ales et les responsables.
        </Text>
      )}
      <Stack gap={6}>
        {c.notes.map((n) => (
          <Stack key={n.id} gap={0}>
            <Text size="xs" c="gray.7">
              {new Date(n.createdAt).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' })} —{' '}
              {n.author ?? 'compte supprimé'}
              {n.kind !== 'general' ? ` — ${caseNoteKindLabels[n.kind]}` : ''}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.body}
            </Text>
          </Stack>
        ))}
      </Stack>
      {c.status !== 'closed' && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!body.trim()) return setError('La note est vide.');
            setError(null);
            add.mutate(
              { kind, body: body.trim() },
              {
                onSuccess: () => {
                  setBody('');
                  notifySuccess('Note ajoutée.');
                },
                onError: (err) => setError(err.message),
              },
            );
          }}
        >
          <Stack mt="md" gap="xs">
            {sensitiveAllowed && (
              <Select
                label="Type de note"
                data={(['general', 'health', 'violence'] as const).map((k) => ({ value: k, label: caseNoteKindLabels[k] }))}
                value={kind}
                onChange={(v) => setKind((v ?? 'general') as CaseNoteKind)}
                allowDeselect={false}
                w={240}
              />
            )}
            <Textarea
              label="Nouvelle note"
              description={
                kind === 'general'
                  ? 'Le ménage peut demander à lire cette note : restez factuel·le, sans information de santé.'
                  : 'Note restreinte : lisible seulement par les travailleur·ses sociaux·ales et les responsables.'
              }
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              maxLength={1000}
              autosize
              minRows={2}
              error={error}
            />
            {warnings.map((w) => (
              <Text key={w} size="sm" c="orange.9">
                {w}
              </Text>
            ))}
            <Group>
              <Button type="submit" variant="light" loading={add.isPending}>
                Ajouter la note
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
