/**
 * Arrears and payment plans (issue 14): the view « nouveaux ou aggravés depuis le … », balance
 * files, payment plans and their instalments, crisis pauses, FSL and guarantee steps.
 */
import { z } from 'zod';

const day = (message: string) => z.iso.date({ message });
const uuid = z.string().uuid('Identifiant invalide.');

export const planKinds = ['deferral', 'instalments', 'clearance'] as const;
export type PlanKind = (typeof planKinds)[number];
export const planKindLabels: Record<PlanKind, string> = {
  deferral: 'Report',
  instalments: 'Étalement',
  clearance: 'Plan d’apurement',
};

export const instalmentStatuses = ['pending', 'met', 'missed'] as const;
export type InstalmentStatus = (typeof instalmentStatuses)[number];
export const instalmentStatusLabels: Record<InstalmentStatus, string> = { pending: 'À venir', met: 'Honorée', missed: 'Non honorée' };

export const stepKinds = ['fsl', 'guarantee'] as const;
export type StepKind = (typeof stepKinds)[number];
export const stepKindLabels: Record<StepKind, string> = { fsl: 'Demande FSL', guarantee: 'Activation de la garantie' };
export const stepDecisionLabels = { granted: 'Accordée', refused: 'Refusée' } as const;

/** The arrears view: households whose debt appeared or grew since a date. */
export const arrearsViewBody = z.strictObject({
  since: day('Date de référence invalide (AAAA-MM-JJ).'),
  agencyId: uuid.optional(),
  sort: z.enum(['amount', 'growth'], { message: 'Tri inconnu.' }).default('amount'),
  page: z.number().int().min(1).max(10_000).default(1),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ArrearsViewBody = z.input<typeof arrearsViewBody>;

export const arrearsRow = z.object({
  householdId: z.string(),
  householdRef: z.string(),
  holder: z.string(),
  residence: z.string(),
  agency: z.string(),
  balanceCents: z.number(),
  /** The balance known on the chosen date (null: none, the debt is new). */
  beforeCents: z.number().nullable(),
  growthCents: z.number(),
  /** The debt in months of rent (one decimal), when the monthly rent is known. */
  monthsOfRent: z.number().nullable(),
  balanceAt: z.string().nullable(),
  pausedUntil: z.string().nullable(),
  activePlanId: z.string().nullable(),
});
export type ArrearsRow = z.infer<typeof arrearsRow>;
export const arrearsPage = z.object({ total: z.number(), rows: z.array(arrearsRow) });

/** A new payment plan for a household; it joins (or opens) the household's rent case. */
export const planCreateBody = z.strictObject({
  householdId: uuid,
  kind: z.enum(planKinds, { message: 'Type de plan inconnu.' }),
  amountCents: z
    .number({ message: 'Montant invalide.' })
    .int('Montant en centimes entiers.')
    .min(1, 'Le montant doit être positif.')
    .max(100_000_000, 'Montant trop élevé.'),
  startOn: day('Date de début invalide (AAAA-MM-JJ).'),
  months: z.number({ message: 'Nombre de mois invalide.' }).int('Nombre de mois entier.').min(1, 'Au moins un mois.').max(120, 'Au plus 120 mois.'),
  signedOn: day('Date de signature invalide (AAAA-MM-JJ).'),
  graceDays: z.number().int().min(0, 'Délai de grâce entre 0 et 60 jours.').max(60, 'Délai de grâce entre 0 et 60 jours.').default(10),
});
export type PlanCreateBody = z.input<typeof planCreateBody>;

export const instalment = z.object({ seq: z.number(), dueOn: z.string(), amountCents: z.number(), status: z.enum(instalmentStatuses) });
export const plan = z.object({
  id: z.string(),
  householdId: z.string(),
  caseId: z.string().nullable(),
  kind: z.enum(planKinds),
  amountCents: z.number(),
  startOn: z.string(),
  months: z.number(),
  signedOn: z.string(),
  graceDays: z.number(),
  baselineCents: z.number(),
  status: z.enum(['active', 'completed', 'cancelled']),
  instalments: z.array(instalment),
});

export const arrearsStep = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  kind: z.enum(stepKinds),
  filedOn: z.string(),
  decidedOn: z.string().nullable(),
  decision: z.enum(['granted', 'refused']).nullable(),
  amountCents: z.number().nullable(),
});
export const stepCreateBody = z
  .strictObject({
    householdId: uuid,
    kind: z.enum(stepKinds, { message: 'Étape inconnue.' }),
    filedOn: day('Date de dépôt invalide (AAAA-MM-JJ).'),
    decidedOn: day('Date de décision invalide (AAAA-MM-JJ).').nullable().default(null),
    decision: z.enum(['granted', 'refused'], { message: 'Décision inconnue.' }).nullable().default(null),
    amountCents: z.number().int('Montant en centimes entiers.').min(0, 'Montant positif.').max(100_000_000).nullable().default(null),
  })
  .refine((s) => (s.decidedOn === null) === (s.decision === null), { message: 'Une décision a une date, et une date de décision une décision.' });

export type StepCreateBody = z.input<typeof stepCreateBody>;

/** A household's arrears: balances, pause, plans and steps. */
export const householdArrears = z.object({
  householdId: z.string(),
  balanceCents: z.number().nullable(),
  monthlyRentCents: z.number().nullable(),
  balances: z.array(z.object({ on: z.string(), cents: z.number() })),
  pause: z.object({ untilOn: z.string(), reason: z.string() }).nullable(),
  plans: z.array(plan),
  steps: z.array(arrearsStep),
});

/** Crisis mode: pause the arrears reminders of a set of households until a date, with a reason. */
export const pauseBody = z.strictObject({
  segment: z.union([
    z.strictObject({ agencyId: uuid }),
    z.strictObject({ residenceId: uuid }),
    z.strictObject({ householdIds: z.array(uuid).min(1, 'Aucun ménage.').max(5000, 'Au plus 5 000 ménages à la fois.') }),
    /** The whole result of the view « nouveaux ou aggravés depuis le … » (every page). */
    z.strictObject({ view: z.strictObject({ since: day('Date de référence invalide (AAAA-MM-JJ).'), agencyId: uuid.optional() }) }),
  ]),
  untilOn: day('Date de fin invalide (AAAA-MM-JJ).'),
  reason: z.string().trim().min(3, 'Motif trop court.').max(300, 'Motif trop long (300 caractères au plus).'),
});

export const balanceLineError = z.object({ line: z.number(), column: z.string(), value: z.string(), reason: z.string() });
/** A balance file after its check: counts and the refused lines (French reasons). */
export const balanceImport = z.object({
  id: z.string(),
  fileName: z.string(),
  status: z.enum(['previewed', 'applied', 'cancelled']),
  totalLines: z.number(),
  validLines: z.number(),
  errors: z.array(balanceLineError),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
});
export const balanceApplied = z.object({ written: z.number(), households: z.number(), checked: z.number(), missed: z.number() });

/** The columns of a balance file, by their French header (case, accents and spaces ignored). */
export const balanceColumns = {
  ref: ['reference', 'reference erp', 'ref', 'ref menage', 'reference menage', 'reference locataire', 'ref locataire'],
  balance: ['solde', 'solde locatif', 'solde du compte', 'montant du solde'],
  date: ['date', 'date du solde', 'date solde', 'au'],
  rent: ['loyer mensuel (charges comprises)', 'loyer mensuel', 'loyer charges comprises', 'loyer'],
} as const;
