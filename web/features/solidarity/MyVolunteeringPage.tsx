import { Alert, Button, Card, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { plural } from '../../../contracts/plural.ts';
import type { trainingResult, volunteerTally, volunteerTrainingView } from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';
import { notifyError, notifySuccess } from '../../ui/errors.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';

type Tally = z.infer<typeof volunteerTally>;
type Training = z.infer<typeof volunteerTrainingView>;

/** /mon-benevolat: a volunteer's tally, their pause, and the landlord's training with its questions. */
export function MyVolunteeringPage() {
  usePageTitle('Mon bénévolat');
  const client = useQueryClient();
  const tally = useQuery({ queryKey: ['my-volunteering', 'tally'], queryFn: () => api<Tally>('GET', '/api/volunteers/me') });
  const pause = useMutation({
    mutationFn: (paused: boolean) => api('POST', '/api/volunteers/me/pause', { paused }),
    onSuccess: (_, paused) => {
      notifySuccess(paused ? 'Vous êtes en pause : aucun ménage ne vous sera confié.' : 'Bon retour parmi les bénévoles !');
      return client.invalidateQueries({ queryKey: ['my-volunteering'] });
    },
    onError: notifyError,
  });
  const t = tally.data;
  return (
    <Stack>
      <Title order={1}>Mon bénévolat</Title>
      {t && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>
              {plural(t.callsMade, 'appel passé', 'appels passés')} · {plural(t.deliveriesDone, 'livraison faite', 'livraisons faites')}
            </Text>
            <Group>
              <Text>{t.paused ? 'Vous êtes en pause.' : 'Vous êtes disponible.'}</Text>
              <Button variant="light" onClick={() => pause.mutate(!t.paused)} loading={pause.isPending}>
                {t.paused ? 'Reprendre' : 'Me mettre en pause'}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {t?.trainingRequired && <TrainingCard />}
    </Stack>
  );
}

function TrainingCard() {
  const client = useQueryClient();
  const training = useQuery({ queryKey: ['my-volunteering', 'training'], queryFn: () => api<Training>('GET', '/api/volunteers/me/training') });
  const [answers, setAnswers] = useState<Record<number, number>>({});
  const answer = useMutation({
    mutationFn: (t: Training) =>
      api<z.infer<typeof trainingResult>>('POST', '/api/volunteers/me/training', { version: t.version, answers: t.questions.map((_, i) => answers[i] ?? -1) }),
    onSuccess: (r) => {
      if (r.passed) notifySuccess('Formation réussie : vous pouvez aider les locataires.');
      return client.invalidateQueries({ queryKey: ['my-volunteering'] });
    },
    onError: notifyError,
  });
  const t = training.data;
  if (!t) return null;
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          Formation {t.passed ? '(réussie)' : '(à suivre avant tout accès à un ménage)'}
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{t.content}</Text>
        {!t.passed &&
          t.questions.map((q, i) => (
            <Radio.Group
              key={q.question}
              label={`${i + 1}. ${q.question}`}
              value={answers[i] === undefined ? null : String(answers[i])}
              onChange={(v) => setAnswers({ ...answers, [i]: Number(v) })}
            >
              <Stack gap={4} mt={4}>
                {q.options.map((o, j) => (
                  <Radio key={o} value={String(j)} label={o} />
                ))}
              </Stack>
            </Radio.Group>
          ))}
        {answer.data && !answer.data.passed && (
          <Alert color="yellow">
            Relisez la formation : {plural(answer.data.wrong.length, 'réponse à revoir', 'réponses à revoir')} (question {answer.data.wrong.join(', ')}).
          </Alert>
        )}
        {!t.passed && (
          <Group>
            <Button onClick={() => answer.mutate(t)} loading={answer.isPending}>
              Valider mes réponses
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
