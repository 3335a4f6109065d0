import { Badge, Button, Card, Group, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatPhone } from '../../../contracts/phone.ts';
import { type VolunteerApplicationRow, type VolunteerTrainingBody, volunteerSkillLabels } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

const key = ['volunteers'] as const;

/** /benevoles: the public sign-up page's settings, the sign-ups to vet, the training. */
export function VolunteersPage() {
  usePageTitle('Bénévoles');
  return (
    <Stack>
      <Title order={1}>Bénévoles</Title>
      <Text size="sm">
        Les personnes qui s’inscrivent sur votre page publique. Une personne acceptée reçoit une invitation par e-mail : elle choisit son mot de passe, active
        sa double authentification, accepte la charte de confidentialité et réussit votre formation avant tout accès à un ménage.
      </Text>
      <PageSettings />
      <Applications />
      <TrainingEditor />
    </Stack>
  );
}

function PageSettings() {
  const client = useQueryClient();
  const page = useQuery({
    queryKey: [...key, 'page'],
    queryFn: () => api<{ slug: string; open: boolean; intro: string } | null>('GET', '/api/volunteers/page'),
  });
  const [draft, setDraft] = useState<{ slug: string; open: boolean; intro: string } | null>(null);
  const value = draft ?? page.data ?? { slug: '', open: true, intro: '' };
  const save = useMutation({
    mutationFn: () => api('PUT', '/api/volunteers/page', value),
    onSuccess: () => {
      notifySuccess('Page d’inscription enregistrée.');
      setDraft(null);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Page d’inscription publique
        </Title>
        <TextInput
          label="Adresse de la page"
          description={`${window.location.origin}/benevoles/${value.slug || '…'}`}
          value={value.slug}
          onChange={(e) => setDraft({ ...value, slug: e.currentTarget.value })}
        />
        <Textarea label="Présentation" value={value.intro} onChange={(e) => setDraft({ ...value, intro: e.currentTarget.value })} maxLength={2000} />
        <Switch label="Page ouverte aux inscriptions" checked={value.open} onChange={(e) => setDraft({ ...value, open: e.currentTarget.checked })} />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            Enregistrer la page
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

const inSixMonths = () => {
  const d = new Date();
  d.setMonth(d.getMonth() + 6);
  return d.toISOString().slice(0, 10);
};

function Applications() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: [...key, 'applications'], queryFn: () => api<VolunteerApplicationRow[]>('GET', '/api/volunteers/applications') });
  const [endDate, setEndDate] = useState(inSixMonths);
  const decide = useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) =>
      api('POST', `/api/volunteers/applications/${id}/decision`, accept ? { decision: 'accept', endDate } : { decision: 'decline' }),
    onSuccess: (_, v) => {
      notifySuccess(v.accept ? 'Inscription acceptée : l’invitation est envoyée.' : 'Inscription refusée.');
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Inscriptions à examiner
        </Title>
        <TextInput type="date" label="Fin d’accès des bénévoles acceptés" value={endDate} onChange={(e) => setEndDate(e.currentTarget.value)} w={260} />
        {list.data?.length === 0 && <Text size="sm">Aucune inscription à examiner.</Text>}
        {!!list.data?.length && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Personne</Table.Th>
                <Table.Th>Disponibilités</Table.Th>
                <Table.Th>Aide proposée</Table.Th>
                <Table.Th>Secteur</Table.Th>
                <Table.Th>Décision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    {a.firstName} {a.lastName}
                    <Text size="xs">
                      {a.email}
                      {a.phone ? ` · ${formatPhone(a.phone)}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{a.availability}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {a.skills.map((s) => (
                        <Badge key={s} variant="light">
                          {volunteerSkillLabels[s]}
                        </Badge>
                      ))}
                    </Group>
                    {a.languages && <Text size="xs">{a.languages}</Text>}
                  </Table.Td>
                  <Table.Td>{a.area}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Button size="xs" onClick={() => decide.mutate({ id: a.id, accept: true })}>
                        Accepter {a.firstName}
                      </Button>
                      <Button size="xs" variant="light" color="gray" onClick={() => decide.mutate({ id: a.id, accept: false })}>
                        Refuser {a.firstName}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

/** The training as one text and questions written as « question / answers, one a line, the right one starting with * ». */
function TrainingEditor() {
  const client = useQueryClient();
  const training = useQuery({
    queryKey: [...key, 'training'],
    queryFn: () => api<(VolunteerTrainingBody & { version: number }) | null>('GET', '/api/volunteers/training'),
  });
  const [content, setContent] = useState<string | null>(null);
  const [questions, setQuestions] = useState<string | null>(null);
  const asText = (t: VolunteerTrainingBody['questions']) =>
    t.map((q) => [q.question, ...q.options.map((o, i) => (i === q.answer ? `* ${o}` : o))].join('\n')).join('\n\n');
  const contentValue = content ?? training.data?.content ?? '';
  const questionsValue = questions ?? (training.data ? asText(training.data.questions) : '');
  const parse = (text: string): VolunteerTrainingBody['questions'] =>
    text
      .split(/\n\s*\n/)
      .map((block) =>
        block
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .filter((lines) => lines.length > 0)
      .map(([question = '', ...options]) => ({
        question,
        options: options.map((o) => o.replace(/^\*\s*/, '')),
        answer: Math.max(
          0,
          options.findIndex((o) => o.startsWith('*')),
        ),
      }));
  const save = useMutation({
    mutationFn: () => api<{ version: number }>('PUT', '/api/volunteers/training', { content: contentValue, questions: parse(questionsValue) }),
    onSuccess: (r) => {
      notifySuccess(`Formation enregistrée (version ${r.version}) : chaque bénévole la repasse.`);
      setContent(null);
      setQuestions(null);
      return client.invalidateQueries({ queryKey: key });
    },
    onError: notifyError,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          Formation des bénévoles{training.data ? ` (version ${training.data.version})` : ''}
        </Title>
        <Textarea label="Contenu" autosize minRows={4} value={contentValue} onChange={(e) => setContent(e.currentTarget.value)} />
        <Textarea
          label="Questions"
          description="Une question puis ses réponses, une par ligne ; la bonne réponse commence par *. Une ligne vide entre deux questions."
          autosize
          minRows={4}
          value={questionsValue}
          onChange={(e) => setQuestions(e.currentTarget.value)}
        />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            Enregistrer la formation
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
