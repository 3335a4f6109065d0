import { Button, Card, Group, Stack, Textarea, TextInput, Title } from '@mantine/core';
import type { EditedQuestion, EditedScript, FieldErrors } from './formState.ts';
import { errorsUnder, uniqueKey, withUid } from './formState.ts';
import { QuestionEditor } from './QuestionEditor.tsx';

/** Step 2: what the callers read and ask — title, introduction, questions with their rules, closing. */
export function StepScript({ script, onChange, errors }: { script: EditedScript; onChange: (s: EditedScript) => void; errors: FieldErrors }) {
  const questions = script.questions;
  const setQuestions = (qs: EditedQuestion[]) => onChange({ ...script, questions: qs });
  const update = (i: number, q: EditedQuestion) => setQuestions(questions.map((x, j) => (j === i ? q : x)));
  const move = (i: number, delta: number) => {
    const qs = [...questions];
    const [q] = qs.splice(i, 1);
    if (q) qs.splice(i + delta, 0, q);
    setQuestions(qs);
  };
  const add = () => {
    const key = uniqueKey(
      `question_${questions.length + 1}`,
      questions.map((q) => q.key),
    );
    setQuestions([...questions, withUid({ key, text: '', type: 'yes_no', rules: [] }, true)]);
  };
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Le script d’appel</Title>
        <TextInput
          label="Titre du script"
          value={script.title}
          onChange={(e) => onChange({ ...script, title: e.currentTarget.value })}
          maxLength={120}
          error={errors['script.title']}
          data-field="script.title"
        />
        <Textarea
          label="Introduction (lue en premier)"
          description="{appelant} est remplacé par le prénom de la personne qui appelle."
          value={script.intro}
          onChange={(e) => onChange({ ...script, intro: e.currentTarget.value })}
          autosize
          minRows={2}
          maxLength={2000}
          error={errors['script.intro']}
          data-field="script.intro"
        />
        {questions.map((q, i) => (
          <QuestionEditor
            key={q.uid}
            index={i}
            count={questions.length}
            question={q}
            otherKeys={questions.filter((_, j) => j !== i).map((x) => x.key)}
            errors={errorsUnder(errors, `script.questions.${i}`)}
            path={`script.questions.${i}`}
            onChange={(next) => update(i, next)}
            onMove={(delta) => move(i, delta)}
            onRemove={() => setQuestions(questions.filter((_, j) => j !== i))}
          />
        ))}
        <Group>
          <Button variant="light" onClick={add} data-field="script.questions">
            Ajouter une question
          </Button>
          {errors['script.questions'] && (
            <span role="alert" style={{ color: 'var(--mantine-color-error)', fontSize: 'var(--mantine-font-size-sm)' }}>
              {errors['script.questions']}
            </span>
          )}
        </Group>
        <Textarea
          label="Conclusion"
          value={script.closing}
          onChange={(e) => onChange({ ...script, closing: e.currentTarget.value })}
          autosize
          minRows={2}
          maxLength={1000}
          error={errors['script.closing']}
          data-field="script.closing"
        />
      </Stack>
    </Card>
  );
}
