import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type CallOutcome, callOutcomeLabels, callOutcomes } from '../../../contracts/campaign-labels.ts';
import type { ScriptQuestion } from '../../../contracts/campaigns.ts';
import { indicatorLabels } from '../../../contracts/household-labels.ts';
import { formatPhone } from '../../../contracts/phone.ts';
import { plural } from '../../../contracts/plural.ts';
import { ApiError } from '../../app/api.ts';
import { type ClaimedCall, formatParisTime, type OutcomeResult, parisLocalNow, parisLocalToIso, recordOutcome, releaseCall } from './api.ts';
import { NoteField } from './NoteField.tsx';
import { TouchChoices, wrappingButton } from './TouchChoices.tsx';

type Answer = string | number;
type Answers = Record<string, Answer>;

/** Where the « Urgence » bar sticks (under the shell's header) and its height. */
const URGENCY_BAR_TOP = 60;
const URGENCY_BAR_HEIGHT = 66;

const phoneKindLabels = { mobile: 'portable', landline: 'fixe' } as const;
const yesNo = [
  { value: 'yes', label: 'Oui' },
  { value: 'no', label: 'Non' },
] as const;

/** Whether an answer fires one of the question's « urgent » rules (same comparison as the server's). */
export const triggersUrgency = (q: ScriptQuestion, answer: Answer | undefined) =>
  answer !== undefined && q.rules.some((r) => r.effect === 'urgent' && String(answer) === r.when);

/** A server refusal that means the household is no longer this caller's: back to « Appeler le suivant ». */
const lostCall = (error: unknown) => error instanceof ApiError && (error.code === 'call_not_held' || error.code === 'call_not_found');

/**
 * One household to call: who (only what the server sent), the phone numbers as tel: links, the
 * script with typed answers, the emergency instructions, and the outcome with an optional note.
 */
export function CallCard({
  call,
  callerFirstName,
  onRecorded,
  onLost,
  onReleased,
}: {
  call: ClaimedCall;
  callerFirstName: string;
  onRecorded: (result: OutcomeResult) => void;
  onLost: (message: string) => void;
  onReleased: () => void;
}) {
  const [answers, setAnswers] = useState<Answers>({});
  const [urgentPressed, setUrgentPressed] = useState(false);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [callbackLocal, setCallbackLocal] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'record' | 'release' | null>(null);
  const ids = useId();
  const urgencyRef = useRef<HTMLDivElement>(null);

  const urgentTriggered = call.script.questions.some((q) => triggersUrgency(q, answers[q.key]));
  const urgent = urgentPressed || urgentTriggered;
  useEffect(() => {
    if (urgent) urgencyRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [urgent]);
  // The « Urgence » bar stays under the header: what the caller scrolls or tabs to stops below it.
  useEffect(() => {
    const root = document.documentElement;
    root.style.scrollPaddingTop = `${URGENCY_BAR_TOP + URGENCY_BAR_HEIGHT + 8}px`;
    return () => {
      root.style.scrollPaddingTop = '';
    };
  }, []);

  const setAnswer = (key: string, value: Answer | null) =>
    setAnswers((current) => {
      const next = { ...current };
      if (value === null || value === '') delete next[key];
      else next[key] = value;
      return next;
    });

  const answered = Object.keys(answers).length > 0;
  const callbackAt = outcome === 'callback' ? parisLocalToIso(callbackLocal) : null;
  const canSubmit = outcome !== null && (outcome !== 'callback' || callbackAt !== null);

  const submit = async () => {
    if (!outcome) return;
    setBusy('record');
    setError(null);
    try {
      const result = await recordOutcome(call.targetId, {
        outcome,
        answers: outcome === 'reached' ? answers : {},
        urgent,
        ...(callbackAt ? { callbackAt } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onRecorded(result);
    } catch (e) {
      if (lostCall(e)) onLost((e as Error).message);
      else setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setBusy(null);
    }
  };

  const release = async () => {
    setBusy('release');
    setError(null);
    try {
      await releaseCall(call.targetId);
      onReleased();
    } catch (e) {
      if (lostCall(e)) onLost((e as Error).message);
      else setError(e instanceof Error ? e.message : 'Une erreur est survenue.');
    } finally {
      setBusy(null);
    }
  };

  const intro = call.script.intro.replaceAll('{appelant}', callerFirstName);

  return (
    <Stack gap="lg">
      {/* In the flow above the card, then held under the header while the caller scrolls: it never sits on an answer. */}
      <Group
        justify="space-between"
        wrap="nowrap"
        gap="sm"
        h={URGENCY_BAR_HEIGHT}
        bg="var(--mantine-color-body)"
        style={{ position: 'sticky', top: URGENCY_BAR_TOP, zIndex: 2, borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Text size="sm">La personne est peut-être en danger ?</Text>
        <Button color="red" size="lg" aria-pressed={urgentPressed} onClick={() => setUrgentPressed(true)} style={{ flexShrink: 0 }}>
          Urgence
        </Button>
      </Group>
      <Card withBorder padding="md" component="section" aria-labelledby={`${ids}-who`}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {call.campaignName}
          </Text>
          <Title order={3} id={`${ids}-who`} fz={32} style={{ overflowWrap: 'anywhere' }}>
            {call.firstName || 'Prénom inconnu'}
            {call.lastName ? ` ${call.lastName}` : ''}
          </Title>
          <Group gap="xs">
            {call.callback && (
              <Badge color="orange" variant="light" size="lg">
                Rappel demandé
              </Badge>
            )}
            {call.attempts > 0 && (
              <Badge color="gray" variant="light" size="lg">
                {plural(call.attempts, 'appel déjà tenté', 'appels déjà tentés')}
              </Badge>
            )}
          </Group>
          <Text size="sm">Ce ménage vous est réservé jusqu’à {formatParisTime(call.claimExpiresAt)}.</Text>
          {(call.address !== undefined || call.erpRef !== undefined || call.age !== undefined) && (
            <Stack gap={4}>
              {call.age !== undefined && call.age !== null && <Text size="sm">Âge : {call.age} ans</Text>}
              {call.address && <Text size="sm">Adresse : {call.address}</Text>}
              {call.erpRef && <Text size="sm">Réf. ménage : {call.erpRef}</Text>}
              {call.indicators && call.indicators.length > 0 && (
                <Group gap="xs">
                  {call.indicators.map((i) => (
                    <Badge key={i} variant="light">
                      {indicatorLabels[i as keyof typeof indicatorLabels] ?? i}
                    </Badge>
                  ))}
                </Group>
              )}
              {call.householdId && (
                <Text component={Link} to={`/menages/${call.householdId}`} size="sm" c="blue.8" td="underline">
                  Ouvrir la fiche du ménage
                </Text>
              )}
            </Stack>
          )}
          {call.phones.length === 0 && <Alert color="orange">Aucun numéro de téléphone : rendez ce ménage à la file.</Alert>}
          {call.phones.map((p) => (
            <Button key={p.number} component="a" href={`tel:${p.number}`} size="lg" fullWidth styles={wrappingButton}>
              Appeler le {formatPhone(p.number)} ({phoneKindLabels[p.kind]})
            </Button>
          ))}
        </Stack>
      </Card>

      <div ref={urgencyRef}>{urgent && <UrgencyPanel dutyPhone={call.dutyPhone} pressed={urgentPressed} onCancel={() => setUrgentPressed(false)} />}</div>

      <Card withBorder padding="md" component="section" aria-labelledby={`${ids}-script`}>
        <Stack gap="md">
          <Title order={3} id={`${ids}-script`}>
            Script : {call.script.title}
          </Title>
          {intro && (
            <Card bg="gray.0" padding="sm" withBorder>
              <Text size="sm" fw={600}>
                À lire :
              </Text>
              <Text style={{ whiteSpace: 'pre-line' }}>{intro}</Text>
            </Card>
          )}
          {call.script.questions.map((q, index) => (
            <QuestionField key={q.key} question={q} index={index} value={answers[q.key]} onChange={(v) => setAnswer(q.key, v)} />
          ))}
          {call.script.closing && (
            <Card bg="gray.0" padding="sm" withBorder>
              <Text size="sm" fw={600}>
                Pour conclure :
              </Text>
              <Text style={{ whiteSpace: 'pre-line' }}>{call.script.closing}</Text>
            </Card>
          )}
        </Stack>
      </Card>

      <Card withBorder padding="md" component="section" aria-labelledby={`${ids}-outcome`}>
        <Stack gap="md">
          <Title order={3} id={`${ids}-outcome`}>
            Issue de l’appel
          </Title>
          <TouchChoices
            labelledBy={`${ids}-outcome`}
            options={callOutcomes.map((o) => ({ value: o, label: callOutcomeLabels[o] }))}
            value={outcome}
            onChange={setOutcome}
          />
          {answered && outcome !== null && outcome !== 'reached' && (
            <Text size="sm">Les réponses au script ne sont enregistrées que si la personne a été jointe.</Text>
          )}
          {outcome === 'callback' && (
            <TextInput
              type="datetime-local"
              label="Date et heure du rappel (heure de Paris)"
              description="Le rappel doit tomber dans les plages d’appel de la campagne."
              value={callbackLocal}
              min={parisLocalNow()}
              onChange={(event) => setCallbackLocal(event.currentTarget.value)}
              required
              size="md"
            />
          )}
          <NoteField value={note} onChange={setNote} />
          {error && (
            <Alert color="red" role="alert" title="Appel non enregistré">
              {error}
            </Alert>
          )}
          <Button size="xl" fullWidth onClick={submit} loading={busy === 'record'} disabled={!canSubmit || busy !== null} styles={wrappingButton}>
            {urgent ? 'Enregistrer l’appel et alerter' : 'Enregistrer l’appel'}
          </Button>
          <Button variant="subtle" color="gray" onClick={release} loading={busy === 'release'} disabled={busy !== null} styles={wrappingButton}>
            Je ne peux pas appeler ce ménage
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}

/** What to do at once when the person may be in danger. */
function UrgencyPanel({ dutyPhone, pressed, onCancel }: { dutyPhone: string | null; pressed: boolean; onCancel: () => void }) {
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title="Urgence"
      styles={{ root: { borderWidth: 3, borderStyle: 'solid', borderColor: 'var(--mantine-color-red-9)' } }}
    >
      <Stack gap="sm">
        <Text fw={700}>
          Si la personne est en danger : appelez le{' '}
          <Text component="a" href="tel:15" c="red.9" fw={700} td="underline">
            15 (SAMU)
          </Text>{' '}
          ou le{' '}
          <Text component="a" href="tel:112" c="red.9" fw={700} td="underline">
            112
          </Text>
          .
        </Text>
        <Text>
          Prévenez l’astreinte de l’agence :{' '}
          {dutyPhone ? (
            <Text component="a" href={`tel:${dutyPhone}`} c="red.9" fw={700} td="underline">
              {formatPhone(dutyPhone)}
            </Text>
          ) : (
            'numéro non renseigné, prévenez votre responsable.'
          )}
        </Text>
        <Text>Les responsables seront alertés dès que vous enregistrerez l’appel.</Text>
        {pressed && (
          <Button variant="default" onClick={onCancel} styles={wrappingButton}>
            Ce n’est pas une urgence
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** One question of the script with the input its type calls for. */
function QuestionField({
  question: q,
  index,
  value,
  onChange,
}: {
  question: ScriptQuestion;
  index: number;
  value: Answer | undefined;
  onChange: (value: Answer | null) => void;
}) {
  const id = useId();
  const label = `${index + 1}. ${q.text}`;
  if (q.type === 'number') {
    return <NumberAnswer label={label} value={value} onChange={onChange} />;
  }
  if (q.type === 'text') {
    // Free-text answers get the same reminder and lexicon check as the note (TRUST DP-05).
    return <NoteField label={label} max={500} value={typeof value === 'string' ? value : ''} onChange={onChange} />;
  }
  const options = q.type === 'yes_no' ? yesNo : (q.choices ?? []).map((c) => ({ value: c, label: c }));
  return (
    <Stack gap="xs">
      <Text fw={600} id={id}>
        {label}
      </Text>
      <TouchChoices
        labelledBy={id}
        options={options}
        value={typeof value === 'string' ? value : null}
        onChange={onChange}
        cols={q.type === 'yes_no' ? 2 : 1}
        color={q.rules.some((r) => r.effect === 'urgent') ? 'red' : undefined}
      />
    </Stack>
  );
}

/** « 3 », « 2,5 » or « 2.5 » as a number; null when empty or not a number. */
function parseFrenchNumber(text: string): number | null {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** A number typed the French way (decimal comma), with the phone's numeric keyboard: a plain input, lighter than Mantine's NumberInput. */
function NumberAnswer({ label, value, onChange }: { label: string; value: Answer | undefined; onChange: (value: number | null) => void }) {
  const [text, setText] = useState(typeof value === 'number' ? String(value).replace('.', ',') : '');
  const invalid = text.trim() !== '' && parseFrenchNumber(text) === null;
  return (
    <TextInput
      label={label}
      size="md"
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(parseFrenchNumber(e.currentTarget.value));
      }}
      error={invalid ? 'Saisissez un nombre, par exemple 3 ou 2,5.' : undefined}
    />
  );
}
