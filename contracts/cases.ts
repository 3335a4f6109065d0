/**
 * Cases (dossiers d'accompagnement, issue 14): a household's case per kind of need, its tasks and
 * notes. The follow-ups a call or a doorstep visit opens are the needs heard; each belongs to a case.
 */
import { z } from 'zod';

export const caseTypes = ['isolation', 'food', 'health', 'rent', 'technical', 'violence', 'other'] as const;
export type CaseType = (typeof caseTypes)[number];
export const caseTypeLabels: Record<CaseType, string> = {
  isolation: 'Isolement',
  food: 'Alimentation et vie quotidienne',
  health: 'Santé',
  rent: 'Loyer, impayés',
  technical: 'Technique',
  violence: 'Violences',
  other: 'Autre',
};

export const caseOrigins = ['call', 'doorstep', 'outreach', 'tenant_request', 'staff'] as const;
export type CaseOrigin = (typeof caseOrigins)[number];
export const caseOriginLabels: Record<CaseOrigin, string> = {
  call: 'Appel',
  doorstep: 'Porte-à-porte',
  outreach: 'Action de proximité',
  tenant_request: 'Demande du ménage',
  staff: 'Personnel',
};

export const caseStatuses = ['open', 'waiting_partner', 'waiting_tenant', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const caseStatusLabels: Record<CaseStatus, string> = {
  open: 'Ouvert',
  waiting_partner: 'En attente d’un partenaire',
  waiting_tenant: 'En attente du ménage',
  closed: 'Clos',
};

export const caseOutcomes = ['resolved', 'referred', 'refused', 'unreachable', 'no_longer_needed', 'other'] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];
export const caseOutcomeLabels: Record<CaseOutcome, string> = {
  resolved: 'Résolu',
  referred: 'Orienté vers un partenaire',
  refused: 'Refusé par le ménage',
  unreachable: 'Ménage injoignable',
  no_longer_needed: 'Plus nécessaire',
  other: 'Autre',
};

/** Note kinds; health and violence notes are read only by social workers and managers (a row-level policy). */
export const caseNoteKinds = ['general', 'health', 'violence'] as const;
export type CaseNoteKind = (typeof caseNoteKinds)[number];
export const caseNoteKindLabels: Record<CaseNoteKind, string> = {
  general: 'Générale',
  health: 'Santé (restreinte)',
  violence: 'Violences (restreinte)',
};

/** The type of case a need heard on a call joins, from the need's category in the script (or the outcome's own need). */
export const caseTypeOfNeedCategory: Record<string, CaseType> = { daily_life: 'food', social: 'isolation', rent: 'rent', health: 'health' };

export const caseBoardBody = z.strictObject({
  /** Open: every status but closed. */
  status: z.enum([...caseStatuses, 'active'] as const).default('active'),
  type: z.enum(caseTypes).optional(),
  /** A user's id, « me », « none » (not assigned) or all (absent). */
  assignee: z.union([z.string().uuid(), z.literal('me'), z.literal('none')]).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type CaseBoardBody = z.infer<typeof caseBoardBody>;

export const caseRow = z.object({
  id: z.string().uuid(),
  householdId: z.string().uuid(),
  householdRef: z.string(),
  holder: z.string(),
  agency: z.string(),
  type: z.enum(caseTypes),
  origin: z.enum(caseOrigins),
  status: z.enum(caseStatuses),
  urgent: z.boolean(),
  assignedTo: z.string().uuid().nullable(),
  assignedName: z.string().nullable(),
  createdAt: z.string(),
  /** The earliest due date of its open tasks (yyyy-mm-dd), and whether it is past. */
  nextDue: z.string().nullable(),
  overdue: z.boolean(),
  openTasks: z.number(),
});
export type CaseRow = z.infer<typeof caseRow>;

export const caseTask = z.object({
  id: z.string().uuid(),
  title: z.string(),
  dueOn: z.string().nullable(),
  remind: z.boolean(),
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
});
export const caseNote = z.object({
  id: z.string().uuid(),
  kind: z.enum(caseNoteKinds),
  body: z.string(),
  author: z.string().nullable(),
  createdAt: z.string(),
});
export const caseNeed = z.object({ id: z.string().uuid(), label: z.string(), urgent: z.boolean(), createdAt: z.string(), campaign: z.string().nullable() });

export const caseDetail = caseRow.extend({
  outcome: z.enum(caseOutcomes).nullable(),
  outcomeNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  tasks: z.array(caseTask),
  notes: z.array(caseNote),
  needs: z.array(caseNeed),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const caseCreateBody = z.strictObject({
  householdId: z.string().uuid(),
  type: z.enum(caseTypes),
  origin: z.enum(caseOrigins).default('staff'),
});

export const caseStatusBody = z.discriminatedUnion('status', [
  z.strictObject({ status: z.enum(['open', 'waiting_partner', 'waiting_tenant']) }),
  z.strictObject({
    status: z.literal('closed'),
    outcome: z.enum(caseOutcomes),
    note: z.string().trim().min(2, 'Indiquez ce qui a été fait.').max(500, 'Au plus 500 caractères.'),
  }),
]);

export const caseBulkAssignBody = z.strictObject({
  ids: z.array(z.string().uuid()).min(1, 'Choisissez au moins un dossier.').max(200),
  userId: z.string().uuid().nullable(),
});

export const caseTaskBody = z.strictObject({
  title: z.string().trim().min(2, 'Décrivez la tâche.').max(200, 'Au plus 200 caractères.'),
  dueOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.')
    .nullable()
    .default(null),
  remind: z.boolean().default(true),
});

export const caseNoteBody = z.strictObject({
  kind: z.enum(caseNoteKinds).default('general'),
  body: z.string().trim().min(1, 'La note est vide.').max(1000, 'Au plus 1 000 caractères.'),
});

/** What the caller who raised a need sees of it: taken care of or not, nothing more. */
export const raisedNeed = z.object({ id: z.string().uuid(), label: z.string(), raisedAt: z.string(), takenCareOf: z.boolean() });
