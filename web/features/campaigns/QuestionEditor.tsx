import { Button, Checkbox, Fieldset, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { ScriptQuestion, ScriptRule } from '../../../contracts/campaigns.ts';
import { questionTypeLabels, questionTypes } from '../../../contracts/campaigns.ts';
import type { EditedQuestion, FieldErrors } from './formState.ts';
import { errorsUnder, technicalKey, uniqueKey } from './formState.ts';
import { RuleEditor } from './RuleEditor.tsx';

/** The answers a rule can test: oui / non, the choices, or free text for numbers and text. */
export function answerOptions(q: ScriptQuestion): { value: string; label: string }[] | null {
  if (q.type === 'yes_no')
    return [
      { value: 'yes', label: 'Oui' },
      { value: 'no', label: 'Non' },
    ];
  if (q.type === 'choice') return [...new Set((q.choices ?? []).map((c) => c.trim()).filter(Boolean))].map((c) => ({ value: c, label: c }));
  return null;
}

/** One question: its text, the kind of answer, what an answer triggers; its technical key under « Avancé ». */
export function QuestionEditor({
  index,
  count,
  question: q,
  otherKeys,
  errors,
  path,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  question: EditedQuestion;
  otherKeys: string[];
  errors: FieldErrors;
  path: string;
  onChange: (q: EditedQuestion) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const set = (p: Partial<EditedQuestion>) => onChange({ ...q, ...p });
  const setText = (text: string) => set(q.autoKey ? { text, key: uniqueKey(technicalKey(text, `question_${n}`), otherKeys) } : { text });
  const setRule = (i: number, rule: ScriptRule) => set({ rules: q.rules.map((r, j) => (j === i ? rule : r)) });
  const answers = answerOptions(q);
  const choicesError = Object.entries(errors).find(([p]) => p === 'choices' || p.startsWith('choices.'))?.[1];
  return (
    <Fieldset legend={`Question ${n}`}>
      <Stack gap="sm">
        <Textarea
          label={`Texte de la question ${n}`}
          value={q.text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={1}
          maxLength={500}
          error={errors.text}
          data-field={`${path}.text`}
        />
        <Select
          label={`Type de réponse (question ${n})`}
          data={questionTypes.map((t) => ({ value: t, label: questionTypeLabels[t] }))}
          value={q.type}
          onChange={(v) =>
            v && set({ type: v as ScriptQuestion['type'], rules: [], consent: undefined, choices: v === 'choice' ? (q.choices ?? ['', '']) : q.choices })
          }
          allowDeselect={false}
          w={260}
          error={errors.type}
          data-field={`${path}.type`}
        />
        {q.type === 'choice' && (
          <Textarea
            label={`Réponses proposées (question ${n})`}
            description="Une réponse par ligne, au moins deux."
            value={(q.choices ?? []).join('\n')}
            onChange={(e) => set({ choices: e.currentTarget.value.split('\n') })}
            autosize
            minRows={2}
            error={choicesError}
            data-field={`${path}.choices`}
          />
        )}
        {q.type === 'yes_no' && (
          <Checkbox
            label="Un « oui » vaut accord du locataire pour noter ses besoins de santé"
            checked={!!q.consent}
            onChange={(e) => set({ consent: e.currentTarget.checked || undefined })}
            error={errors.consent}
            data-field={`${path}.consent`}
          />
        )}
        {q.rules.map((rule, i) => (
          <RuleEditor
            key={i}
            label={`Règle ${i + 1} de la question ${n}`}
            rule={rule}
            answers={answers}
            errors={errorsUnder(errors, `rules.${i}`)}
            path={`${path}.rules.${i}`}
            onChange={(r) => setRule(i, r)}
            onRemove={() => set({ rules: q.rules.filter((_, j) => j !== i) })}
          />
        ))}
        <details open={!!errors.key || undefined}>
          <summary>
            <Text span size="sm">
              Avancé (question {n})
            </Text>
          </summary>
          <TextInput
            mt="xs"
            label={`Clé technique (question ${n})`}
            description="Créée à partir du texte ; elle nomme la réponse dans les exports. Lettres minuscules sans accents, chiffres et _."
            value={q.key}
            onChange={(e) => set({ key: e.currentTarget.value, autoKey: false })}
            maxLength={40}
            error={errors.key}
            data-field={`${path}.key`}
            w={360}
          />
        </details>
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            onClick={() => set({ rules: [...q.rules, { effect: 'need', when: answers?.[0]?.value ?? '', need: '', label: '', category: 'daily_life' }] })}
            disabled={q.rules.length >= 10}
          >
            Ajouter une règle
          </Button>
          <Button size="xs" variant="default" aria-label={`Monter la question ${n}`} onClick={() => onMove(-1)} disabled={index === 0}>
            Monter
          </Button>
          <Button size="xs" variant="default" aria-label={`Descendre la question ${n}`} onClick={() => onMove(1)} disabled={index === count - 1}>
            Descendre
          </Button>
          <Button size="xs" variant="default" color="red" aria-label={`Supprimer la question ${n}`} onClick={onRemove} disabled={count === 1}>
            Supprimer
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
