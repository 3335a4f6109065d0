import type { CallScript, CampaignDetail, CampaignInput, ScriptQuestion } from '../../../contracts/campaigns.ts';
import { campaignInput, defaultCallerLimits, defaultCallWindows, defaultRetryPolicy } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { ApiError } from '../../app/api.ts';
import { validateWith } from '../../ui/form.ts';

/** A question being edited: a stable key for React, and whether its technical key still follows its text. */
export type EditedQuestion = ScriptQuestion & { uid: number; autoKey: boolean };
export type EditedScript = Omit<CallScript, 'questions'> & { questions: EditedQuestion[] };
export type FormState = Omit<CampaignInput, 'script'> & { script: EditedScript };
/** Errors by field path (« script.questions.0.text »), in French for a manager. */
export type FieldErrors = Record<string, string>;

let nextUid = 1;
export const withUid = (q: ScriptQuestion, autoKey = false): EditedQuestion => ({ ...q, uid: nextUid++, autoKey });

const emptySegment: HouseholdFilters = { status: 'active', fragilityMatch: 'all' };

export function initialState(detail: CampaignDetail | undefined, template: CallScript | undefined): FormState {
  const script = detail?.script ?? template ?? { title: '', intro: '', closing: '', questions: [] };
  return {
    name: detail?.name ?? '',
    purpose: detail?.purpose ?? '',
    segment: detail?.segment ?? emptySegment,
    script: { ...script, questions: script.questions.map((q) => withUid(q)) },
    retryPolicy: detail?.retryPolicy ?? { ...defaultRetryPolicy },
    callWindows: detail?.callWindows ?? { ...defaultCallWindows, days: [...defaultCallWindows.days] },
    claimTimeoutMinutes: detail?.claimTimeoutMinutes ?? 15,
    callerLimits: detail?.callerLimits ?? defaultCallerLimits,
    callerIds: detail?.callerIds ?? [],
  };
}

/** « Êtes-vous aidé·e pour les démarches ? » → « etes_vous_aide_e_pour_les_demarches » (40 characters at most, cut between words). */
export function technicalKey(text: string, fallback: string): string {
  const key = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // At most 40 characters, cut between two words when it is too long.
  const cut = key.length <= 40 ? key : key.slice(0, 41).replace(/_[^_]*$/, '') || key.slice(0, 40);
  return cut || fallback;
}

/** A key unused by the other questions: « courses », then « courses_2 »… */
export function uniqueKey(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 40 - String(n).length - 1)}_${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** The steps, in order; each field path belongs to one. */
export const steps = [
  { label: 'Qui appeler', description: 'Les ménages' },
  { label: 'Que demander', description: 'Le script' },
  { label: 'Qui appelle', description: 'Les appelant·es' },
  { label: 'Quand', description: 'Plages et essais' },
  { label: 'Vérifier et enregistrer', description: 'Récapitulatif' },
] as const;

export function stepOf(path: string): number {
  const root = path.split('.')[0] ?? '';
  if (root === 'name' || root === 'purpose' || root === 'segment') return 0;
  if (root === 'script') return 1;
  if (root === 'callerIds') return 2;
  if (root === 'retryPolicy' || root === 'callWindows' || root === 'claimTimeoutMinutes' || root === 'callerLimits') return 3;
  return 4;
}

/** The input the manager sees, cleaned for the contract (choices trimmed, consent only on yes / no). */
export function toInput(form: FormState) {
  const script: CallScript = {
    ...form.script,
    questions: form.script.questions.map(({ uid: _uid, autoKey: _auto, ...q }) => ({
      ...q,
      choices: q.type === 'choice' ? (q.choices ?? []).map((c) => c.trim()).filter(Boolean) : undefined,
      consent: q.type === 'yes_no' && q.consent ? true : undefined,
    })),
  };
  return { ...form, script };
}

type Issue = { path: readonly PropertyKey[]; code: string; message: string; minimum?: unknown; maximum?: unknown; origin?: string };

/** A message a manager understands, at its field. */
export function friendlyMessage(issue: Issue): string {
  const path = issue.path.map(String);
  const last = path[path.length - 1] ?? '';
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  if (path[0] === 'script') {
    if (path.length === 2 && last === 'questions') {
      if (issue.code === 'too_small') return 'Le script a besoin d’au moins une question.';
      if (issue.code === 'custom') return 'Deux questions ont la même clé technique : changez-en une dans « Avancé ».';
    }
    if (last === 'title') return 'Donnez un titre au script (2 caractères au moins).';
    if (last === 'text') return 'Écrivez la question (3 caractères au moins).';
    if (last === 'key') return 'Clé technique : lettres minuscules sans accents, chiffres et _ seulement.';
    if (last === 'when') return 'Choisissez la réponse qui déclenche cette règle.';
    if (last === 'need') return 'Clé du besoin : lettres minuscules sans accents, chiffres et _ (2 caractères au moins).';
    if (last === 'label') return 'Nommez le besoin à suivre (2 caractères au moins).';
    if (path.includes('choices') && last !== 'choices') return 'Une réponse proposée est vide ou trop longue.';
  }
  if (path[0] === 'callWindows') {
    if (last === 'days') return 'Choisissez au moins un jour d’appel.';
    if ((last === 'start' || last === 'end') && issue.code === 'invalid_format') return 'Écrivez l’heure sous la forme 09:00 (24:00 pour minuit).';
  }
  if (path[0] === 'callerIds') return 'Une personne choisie n’est plus disponible : retirez-la de la liste.';
  if (issue.origin === 'number' || issue.code === 'invalid_type') {
    if (issue.code === 'too_small' && Number.isFinite(min)) return `Indiquez un nombre entier d’au moins ${min.toLocaleString('fr-FR')}.`;
    if (issue.code === 'too_big' && Number.isFinite(max)) return `Indiquez un nombre entier d’au plus ${max.toLocaleString('fr-FR')}.`;
    if (issue.code === 'invalid_type') return 'Indiquez un nombre entier.';
  }
  if (issue.origin === 'string' && issue.code === 'too_big' && Number.isFinite(max)) return `${max.toLocaleString('fr-FR')} caractères au plus.`;
  return issue.message;
}

/**
 * The campaign's contract as the form checks it (a Standard Schema, read by `validateWith`): the
 * values cleaned for the contract (`toInput`), each issue in a manager's words at its field.
 */
export const campaignFormSchema: Parameters<typeof validateWith>[0] = {
  '~standard': {
    version: 1,
    vendor: 'lien',
    validate: (values: unknown) => {
      const parsed = campaignInput.safeParse(toInput(values as FormState));
      if (parsed.success) return { value: parsed.data };
      return { issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: friendlyMessage(issue as unknown as Issue) })) };
    },
  },
};

/** The errors of the form by field path, `{}` when the campaign may be sent (Mantine's `validate`). */
export const campaignErrors = validateWith(campaignFormSchema) as (values: FormState) => FieldErrors;

/** The request body of a valid form. */
export const campaignBody = (values: FormState): CampaignInput => campaignInput.parse(toInput(values));

/** The server's refusal, by field when it says which (« script.questions.0.text »), else under the form. */
export function serverErrors(error: unknown): { fields: FieldErrors; general: string | null } {
  if (error instanceof ApiError) {
    const list = error.body.errors;
    if (Array.isArray(list) && list.length) {
      const fields: FieldErrors = {};
      for (const e of list as { field?: string; message?: string }[]) fields[e.field || 'form'] ??= e.message ?? 'Valeur refusée.';
      return { fields, general: null };
    }
    return { fields: {}, general: error.message };
  }
  return { fields: {}, general: error instanceof Error ? error.message : 'Une erreur est survenue.' };
}

/** Errors sorted as the manager meets the fields: by step, then in the contract's order. */
export function orderedErrors(errors: FieldErrors): [string, string][] {
  return Object.entries(errors).sort(([a], [b]) => stepOf(a) - stepOf(b));
}

/** The errors of one part of the form (« script.questions.2 » and below). */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) if (path === prefix || path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = message;
  return out;
}
