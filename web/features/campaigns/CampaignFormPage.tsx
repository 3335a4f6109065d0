import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  List,
  Loader,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { CallScript, CampaignDetail, CampaignInput, ScriptQuestion, ScriptRule } from '../../../contracts/campaigns.ts';
import { campaignInput, defaultCallerLimits, needCategories, needCategoryLabels, questionTypeLabels, questionTypes } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { indicatorKinds, indicatorLabels } from '../../../contracts/households.ts';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { ApiError } from '../../app/api.ts';
import { usePageTitle } from '../../ui/usePageTitle.ts';
import { useAgencies } from '../users/api.ts';
import { type CallerCandidate, useCallerCandidates, useCampaign, useSaveCampaign, useScriptTemplate, useSegmentCount } from './api.ts';

/** A question being edited: a stable key for React besides the script's own fields. */
type EditedQuestion = ScriptQuestion & { uid: number };
type FormState = Omit<CampaignInput, 'script'> & { script: Omit<CallScript, 'questions'> & { questions: EditedQuestion[] } };

const dayLabels = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const frequencyLabels = { weekly: 'Chaque semaine', fortnightly: 'Tous les quinze jours', monthly: 'Chaque mois' } as const;
const effectLabels = { need: 'Ouvrir un besoin à suivre', urgent: 'Signaler une urgence', watch: 'Inscrire en veille régulière' } as const;
const charterRoles: readonly string[] = ['volunteer', 'partner'];

let nextUid = 1;
const withUid = (q: ScriptQuestion): EditedQuestion => ({ ...q, uid: nextUid++ });

const emptySegment: HouseholdFilters = { status: 'active', fragilityMatch: 'all' };

function initialState(detail: CampaignDetail | undefined, template: CallScript | undefined): FormState {
  const script = detail?.script ?? template ?? { title: '', intro: '', closing: '', questions: [] };
  return {
    name: detail?.name ?? '',
    purpose: detail?.purpose ?? '',
    segment: detail?.segment ?? emptySegment,
    script: { ...script, questions: script.questions.map(withUid) },
    retryPolicy: detail?.retryPolicy ?? { retryAfterMinutes: 180, maxAttempts: 4 },
    callWindows: detail?.callWindows ?? { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '19:00' },
    claimTimeoutMinutes: detail?.claimTimeoutMinutes ?? 15,
    callerLimits: detail?.callerLimits ?? defaultCallerLimits,
    callerIds: detail?.callerIds ?? [],
  };
}

/** /campagnes/nouvelle and /campagnes/:id/modifier: segment, script, callers, retries and call windows. */
export function CampaignFormPage() {
  const { id } = useParams();
  usePageTitle(id ? 'Modifier une campagne' : 'Nouvelle campagne');
  const campaign = useCampaign(id);
  const template = useScriptTemplate(!id);
  const source = id ? campaign : template;
  if (source.isPending) return <Loader aria-label="Chargement" />;
  if (source.error) return <Alert color="red">{source.error.message}</Alert>;
  return <CampaignForm key={id ?? 'new'} id={id} detail={campaign.data} initial={initialState(campaign.data, template.data)} />;
}

function CampaignForm({ id, detail, initial }: { id: string | undefined; detail: CampaignDetail | undefined; initial: FormState }) {
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<string[]>([]);
  const save = useSaveCampaign(id);
  const segmentLocked = !!detail && detail.status !== 'draft';
  const closed = detail?.status === 'closed';
  const patch = (p: Partial<FormState>) => setForm((f) => ({ ...f, ...p }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const script: CallScript = {
      ...form.script,
      questions: form.script.questions.map(({ uid: _uid, ...q }) => ({
        ...q,
        choices: q.type === 'choice' ? (q.choices ?? []).map((c) => c.trim()).filter(Boolean) : undefined,
        consent: q.type === 'yes_no' && q.consent ? true : undefined,
      })),
    };
    const parsed = campaignInput.safeParse({ ...form, script });
    if (!parsed.success) {
      setErrors(parsed.error.issues.map((issue) => `${fieldLabel(issue.path)} : ${issue.message}`));
      return;
    }
    setErrors([]);
    save.mutate(parsed.data, {
      onSuccess: (result) => navigate(`/campagnes/${result.id}`),
      onError: (error) => setErrors(serverErrors(error)),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={1000}>
        <Anchor component={Link} to={id ? `/campagnes/${id}` : '/campagnes'} size="sm">
          ← {id ? 'Tableau de bord de la campagne' : 'Campagnes d’appels'}
        </Anchor>
        <Title order={1}>{id ? `Modifier « ${detail?.name ?? ''} »` : 'Nouvelle campagne'}</Title>
        {closed && <Alert color="orange">Cette campagne est terminée : elle ne peut plus être modifiée.</Alert>}

        <Card withBorder>
          <Stack>
            <Title order={3}>La campagne</Title>
            <TextInput label="Nom de la campagne" required value={form.name} onChange={(e) => patch({ name: e.currentTarget.value })} maxLength={120} />
            <Textarea
              label="Objet"
              description="Pourquoi ces appels : il s’affiche aux appelant·es."
              value={form.purpose}
              onChange={(e) => patch({ purpose: e.currentTarget.value })}
              maxLength={1000}
              autosize
              minRows={2}
            />
          </Stack>
        </Card>

        <SegmentBuilder segment={form.segment} onChange={(segment) => patch({ segment })} locked={segmentLocked} />

        <ScriptEditor script={form.script} onChange={(script) => patch({ script })} />

        <CallerPool value={form.callerIds} onChange={(callerIds) => patch({ callerIds })} />

        <Card withBorder>
          <Stack>
            <Title order={3}>Essais et plages d’appel</Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                label="Nouvel essai après (minutes)"
                description="Quand personne ne répond."
                min={15}
                max={7 * 24 * 60}
                value={form.retryPolicy.retryAfterMinutes}
                onChange={(v) => patch({ retryPolicy: { ...form.retryPolicy, retryAfterMinutes: Number(v) || 0 } })}
              />
              <NumberInput
                label="Nombre maximal d’essais"
                description="Ensuite, une visite de porte-à-porte est proposée."
                min={1}
                max={10}
                value={form.retryPolicy.maxAttempts}
                onChange={(v) => patch({ retryPolicy: { ...form.retryPolicy, maxAttempts: Number(v) || 0 } })}
              />
              <NumberInput
                label="Délai de réservation d’un ménage (minutes)"
                description="Passé ce délai, le ménage retourne dans la file."
                min={2}
                max={240}
                value={form.claimTimeoutMinutes}
                onChange={(v) => patch({ claimTimeoutMinutes: Number(v) || 0 })}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                label="Ménages rendus par heure, au plus"
                description="Par appelant·e : au-delà, plus d’appel pendant une heure et les responsables sont prévenu·es."
                min={1}
                max={100}
                value={form.callerLimits.releasesPerHour}
                onChange={(v) => patch({ callerLimits: { ...form.callerLimits, releasesPerHour: Number(v) || 0 } })}
              />
              <NumberInput
                label="Ménages confiés par heure, au plus"
                description="Par appelant·e : un plafond qu’un appel réel n’atteint pas, contre la collecte de numéros."
                min={1}
                max={10_000}
                value={form.callerLimits.claimsPerHour}
                onChange={(v) => patch({ callerLimits: { ...form.callerLimits, claimsPerHour: Number(v) || 0 } })}
              />
            </SimpleGrid>
            <Checkbox.Group
              label="Jours d’appel"
              value={form.callWindows.days.map(String)}
              onChange={(v) => patch({ callWindows: { ...form.callWindows, days: v.map(Number).sort() } })}
            >
              <Group mt="xs">
                {dayLabels.map((label, i) => (
                  <Checkbox key={label} value={String(i + 1)} label={label} />
                ))}
              </Group>
            </Checkbox.Group>
            <Group>
              <TextInput
                label="Heure de début"
                description="HH:MM, heure de Paris"
                value={form.callWindows.start}
                onChange={(e) => patch({ callWindows: { ...form.callWindows, start: e.currentTarget.value } })}
                w={180}
              />
              <TextInput
                label="Heure de fin"
                description="HH:MM, 24:00 pour minuit"
                value={form.callWindows.end}
                onChange={(e) => patch({ callWindows: { ...form.callWindows, end: e.currentTarget.value } })}
                w={180}
              />
            </Group>
          </Stack>
        </Card>

        {errors.length > 0 && (
          <Alert color="red" title="La campagne n’est pas enregistrée" role="alert">
            <List size="sm">
              {errors.map((e) => (
                <List.Item key={e}>{e}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={closed}>
            {id ? 'Enregistrer les modifications' : 'Créer la campagne'}
          </Button>
          <Button variant="default" component={Link} to={id ? `/campagnes/${id}` : '/campagnes'}>
            Annuler
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ——— Segment ———

function SegmentBuilder({ segment, onChange, locked }: { segment: HouseholdFilters; onChange: (s: HouseholdFilters) => void; locked: boolean }) {
  const agencies = useAgencies();
  const [debounced] = useDebouncedValue(segment, 400);
  const count = useSegmentCount(debounced);
  const set = (p: Partial<HouseholdFilters>) => onChange({ ...segment, ...p });
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Les ménages à appeler</Title>
        {locked && <Text size="sm">La campagne est lancée : ses ménages ne changent plus. Créez une nouvelle campagne pour d’autres ménages.</Text>}
        <Fieldset legend="Segment" disabled={locked} variant="unstyled">
          <Stack>
            <Group align="end">
              <Select
                label="Agence"
                placeholder="Toutes les agences"
                clearable
                data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
                value={segment.agencyId ?? null}
                onChange={(v) => set({ agencyId: v ?? undefined })}
              />
              <NumberInput
                label="Âge minimum"
                min={0}
                max={120}
                value={segment.minAge ?? ''}
                onChange={(v) => set({ minAge: typeof v === 'number' ? v : undefined })}
                w={140}
              />
              <MultiSelect
                label="Indicateurs de fragilité"
                searchable
                data={indicatorKinds.map((k) => ({ value: k, label: indicatorLabels[k] }))}
                value={segment.indicators ?? []}
                onChange={(v) => set({ indicators: v.length ? (v as HouseholdFilters['indicators']) : undefined })}
                w={320}
              />
            </Group>
            <Radio.Group
              label="Combinaison de l’âge et des indicateurs"
              value={segment.fragilityMatch}
              onChange={(v) => set({ fragilityMatch: v as 'all' | 'any' })}
            >
              <Group mt="xs">
                <Radio value="all" label="Tous les critères" />
                <Radio value="any" label="Au moins un critère" />
              </Group>
            </Radio.Group>
            <Group align="end">
              <NumberInput
                label="Sans contact depuis (jours)"
                description="Personne du ménage joint par un appel depuis ce nombre de jours (ou jamais)."
                min={1}
                max={3650}
                value={segment.noContactForDays ?? ''}
                onChange={(v) => set({ noContactForDays: typeof v === 'number' && v >= 1 ? v : undefined })}
                w={320}
              />
              <Checkbox
                label="En veille régulière seulement"
                checked={segment.regularWatch === true}
                onChange={(e) => set({ regularWatch: e.currentTarget.checked ? true : undefined })}
              />
            </Group>
          </Stack>
        </Fieldset>
        <Text role="status" aria-live="polite" fw={600} data-testid="segment-count">
          {count.error ? count.error.message : count.data ? segmentCountText(count.data.targeted, count.data.excludedNoCall) : 'Calcul du nombre de ménages…'}
        </Text>
        <Text size="sm" c="dimmed">
          Les ménages ayant demandé à ne pas être appelés sont toujours exclus.
        </Text>
      </Stack>
    </Card>
  );
}

function segmentCountText(targeted: number, excluded: number) {
  const who = targeted === 1 ? '1 ménage sera appelé' : `${targeted.toLocaleString('fr-FR')} ménages seront appelés`;
  const out = excluded === 1 ? '1 exclu' : `${excluded.toLocaleString('fr-FR')} exclus`;
  return `${who} — ${out} (« ne pas appeler »)`;
}

// ——— Script ———

type EditedScript = FormState['script'];

function ScriptEditor({ script, onChange }: { script: EditedScript; onChange: (s: EditedScript) => void }) {
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
    let n = questions.length + 1;
    while (questions.some((q) => q.key === `question_${n}`)) n++;
    setQuestions([...questions, withUid({ key: `question_${n}`, text: '', type: 'yes_no', rules: [] })]);
  };
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Le script d’appel</Title>
        <TextInput label="Titre du script" value={script.title} onChange={(e) => onChange({ ...script, title: e.currentTarget.value })} maxLength={120} />
        <Textarea
          label="Introduction (lue en premier)"
          description="{appelant} est remplacé par le prénom de la personne qui appelle."
          value={script.intro}
          onChange={(e) => onChange({ ...script, intro: e.currentTarget.value })}
          autosize
          minRows={2}
          maxLength={2000}
        />
        {questions.map((q, i) => (
          <QuestionEditor
            key={q.uid}
            index={i}
            count={questions.length}
            question={q}
            onChange={(next) => update(i, next)}
            onMove={(delta) => move(i, delta)}
            onRemove={() => setQuestions(questions.filter((_, j) => j !== i))}
          />
        ))}
        <Group>
          <Button variant="light" onClick={add}>
            Ajouter une question
          </Button>
        </Group>
        <Textarea
          label="Conclusion"
          value={script.closing}
          onChange={(e) => onChange({ ...script, closing: e.currentTarget.value })}
          autosize
          minRows={2}
          maxLength={1000}
        />
      </Stack>
    </Card>
  );
}

function QuestionEditor({
  index,
  count,
  question: q,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  question: EditedQuestion;
  onChange: (q: EditedQuestion) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const set = (p: Partial<ScriptQuestion>) => onChange({ ...q, ...p });
  const setRule = (i: number, rule: ScriptRule) => set({ rules: q.rules.map((r, j) => (j === i ? rule : r)) });
  const answers = answerOptions(q);
  return (
    <Fieldset legend={`Question ${n}`}>
      <Stack gap="sm">
        <Textarea
          label={`Texte de la question ${n}`}
          value={q.text}
          onChange={(e) => set({ text: e.currentTarget.value })}
          autosize
          minRows={1}
          maxLength={500}
        />
        <Group align="end">
          <Select
            label={`Type de réponse (question ${n})`}
            data={questionTypes.map((t) => ({ value: t, label: questionTypeLabels[t] }))}
            value={q.type}
            onChange={(v) =>
              v && set({ type: v as ScriptQuestion['type'], rules: [], consent: undefined, choices: v === 'choice' ? (q.choices ?? ['', '']) : q.choices })
            }
            allowDeselect={false}
          />
          <TextInput
            label={`Identifiant (question ${n})`}
            description="Colonne de l’export : minuscules, chiffres et _."
            value={q.key}
            onChange={(e) => set({ key: e.currentTarget.value })}
            maxLength={40}
          />
        </Group>
        {q.type === 'choice' && (
          <Textarea
            label={`Réponses proposées (question ${n})`}
            description="Une réponse par ligne, au moins deux."
            value={(q.choices ?? []).join('\n')}
            onChange={(e) => set({ choices: e.currentTarget.value.split('\n') })}
            autosize
            minRows={2}
          />
        )}
        {q.type === 'yes_no' && (
          <Checkbox
            label="Un « oui » vaut consentement du locataire à noter ses besoins de santé"
            checked={!!q.consent}
            onChange={(e) => set({ consent: e.currentTarget.checked || undefined })}
          />
        )}
        {q.rules.map((rule, i) => (
          <RuleEditor
            key={i}
            label={`Règle ${i + 1} de la question ${n}`}
            rule={rule}
            answers={answers}
            onChange={(r) => setRule(i, r)}
            onRemove={() => set({ rules: q.rules.filter((_, j) => j !== i) })}
          />
        ))}
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

/** The answers a rule can test: oui / non, the choices, or free text for numbers and text. */
function answerOptions(q: ScriptQuestion): { value: string; label: string }[] | null {
  if (q.type === 'yes_no')
    return [
      { value: 'yes', label: 'Oui' },
      { value: 'no', label: 'Non' },
    ];
  if (q.type === 'choice') return [...new Set((q.choices ?? []).map((c) => c.trim()).filter(Boolean))].map((c) => ({ value: c, label: c }));
  return null;
}

function RuleEditor({
  label,
  rule,
  answers,
  onChange,
  onRemove,
}: {
  label: string;
  rule: ScriptRule;
  answers: { value: string; label: string }[] | null;
  onChange: (r: ScriptRule) => void;
  onRemove: () => void;
}) {
  const changeEffect = (effect: ScriptRule['effect']) => {
    if (effect === rule.effect) return;
    if (effect === 'need') onChange({ effect, when: rule.when, need: '', label: '', category: 'daily_life' });
    else if (effect === 'urgent') onChange({ effect, when: rule.when });
    else onChange({ effect, when: rule.when, frequency: 'weekly' });
  };
  return (
    <Fieldset legend={label} variant="filled">
      <Group align="end" gap="sm">
        {answers ? (
          <Select
            label="Si la réponse est"
            data={answers}
            value={answers.some((a) => a.value === rule.when) ? rule.when : null}
            onChange={(v) => onChange({ ...rule, when: v ?? '' })}
            allowDeselect={false}
            w={180}
          />
        ) : (
          <TextInput label="Si la réponse est" value={rule.when} onChange={(e) => onChange({ ...rule, when: e.currentTarget.value })} w={180} />
        )}
        <Select
          label="Alors"
          data={Object.entries(effectLabels).map(([value, l]) => ({ value, label: l }))}
          value={rule.effect}
          onChange={(v) => v && changeEffect(v as ScriptRule['effect'])}
          allowDeselect={false}
          w={260}
        />
        {rule.effect === 'need' && (
          <>
            <TextInput
              label="Code du besoin"
              description="minuscules, chiffres et _"
              value={rule.need}
              onChange={(e) => onChange({ ...rule, need: e.currentTarget.value })}
              w={170}
            />
            <TextInput label="Libellé du besoin" value={rule.label} onChange={(e) => onChange({ ...rule, label: e.currentTarget.value })} w={300} />
            <Select
              label="Catégorie"
              data={needCategories.map((c) => ({ value: c, label: needCategoryLabels[c] }))}
              value={rule.category}
              onChange={(v) => v && onChange({ ...rule, category: v as (typeof needCategories)[number] })}
              allowDeselect={false}
              w={200}
            />
          </>
        )}
        {rule.effect === 'watch' && (
          <Select
            label="Fréquence des appels"
            data={Object.entries(frequencyLabels).map(([value, l]) => ({ value, label: l }))}
            value={rule.frequency}
            onChange={(v) => v && onChange({ ...rule, frequency: v as keyof typeof frequencyLabels })}
            allowDeselect={false}
            w={200}
          />
        )}
        <Button size="xs" variant="subtle" color="red" aria-label={`Retirer la ${label.toLowerCase()}`} onClick={onRemove}>
          Retirer
        </Button>
      </Group>
    </Fieldset>
  );
}

// ——— Callers ———

const charterText = (c: CallerCandidate) =>
  c.charterAccepted ? 'charte acceptée' : charterRoles.includes(c.role) ? 'charte à accepter avant le premier appel' : 'charte non requise';

function CallerPool({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const candidates = useCallerCandidates();
  const byId = new Map((candidates.data ?? []).map((c) => [c.id, c]));
  const chosen = value.map((id) => byId.get(id)).filter((c): c is CallerCandidate => !!c);
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Les appelant·es</Title>
        {candidates.error && <Alert color="red">{candidates.error.message}</Alert>}
        <MultiSelect
          label="Vivier d’appelant·es"
          description="Salarié·es, bénévoles et partenaires. Les bénévoles et partenaires acceptent la charte de confidentialité avant leur premier appel."
          placeholder={value.length ? undefined : 'Rechercher une personne'}
          searchable
          nothingFoundMessage="Personne ne correspond"
          data={(candidates.data ?? []).map((c) => ({ value: c.id, label: `${c.name} — ${roleLabels[c.role as Role] ?? c.role} (${charterText(c)})` }))}
          value={value}
          onChange={onChange}
        />
        {chosen.length > 0 && (
          <Table aria-label="Appelant·es choisi·es" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Nom</Table.Th>
                <Table.Th>Rôle</Table.Th>
                <Table.Th>Charte de confidentialité</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {chosen.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{roleLabels[c.role as Role] ?? c.role}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={c.charterAccepted ? 'teal' : charterRoles.includes(c.role) ? 'orange' : 'gray'}>
                      {charterText(c)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {value.length === 0 && <Text size="sm">Aucun·e appelant·e pour l’instant : la campagne peut être lancée, mais personne ne pourra appeler.</Text>}
      </Stack>
    </Card>
  );
}

// ——— Errors ———

const fieldNames: Record<string, string> = {
  name: 'Nom de la campagne',
  purpose: 'Objet',
  segment: 'Segment',
  script: 'Script',
  title: 'titre',
  intro: 'introduction',
  closing: 'conclusion',
  questions: 'questions',
  text: 'texte',
  key: 'identifiant',
  type: 'type de réponse',
  choices: 'réponses proposées',
  consent: 'consentement',
  rules: 'règles',
  when: 'réponse testée',
  need: 'code du besoin',
  label: 'libellé du besoin',
  category: 'catégorie',
  frequency: 'fréquence',
  retryPolicy: 'Essais',
  retryAfterMinutes: 'nouvel essai après (minutes)',
  maxAttempts: 'nombre maximal d’essais',
  callWindows: 'Plages d’appel',
  days: 'jours',
  start: 'heure de début',
  end: 'heure de fin',
  claimTimeoutMinutes: 'Délai de réservation',
  callerLimits: 'Limites par appelant·e',
  releasesPerHour: 'ménages rendus par heure',
  claimsPerHour: 'ménages confiés par heure',
  callerIds: 'Appelant·es',
  minAge: 'âge minimum',
  noContactForDays: 'sans contact depuis (jours)',
};

/** « script.questions.2.rules.0.label » → « Script — question 3 — règle 1 — libellé du besoin ». */
function fieldLabel(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = String(path[i]);
    const next = path[i + 1];
    if ((part === 'questions' || part === 'rules' || part === 'choices') && typeof next === 'number') {
      parts.push(`${part === 'questions' ? 'question' : part === 'rules' ? 'règle' : 'réponse'} ${next + 1}`);
      i++;
    } else parts.push(fieldNames[part] ?? part);
  }
  return parts.join(' — ') || 'Formulaire';
}

function serverErrors(error: unknown): string[] {
  if (error instanceof ApiError) {
    const list = error.body.errors;
    if (Array.isArray(list) && list.length) {
      return list.map(
        (e: { field?: string; message?: string }) =>
          `${fieldLabel((e.field ?? '').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)))} : ${e.message ?? ''}`,
      );
    }
    return [error.message];
  }
  return [error instanceof Error ? error.message : 'Une erreur est survenue.'];
}
