import { z } from 'zod';
import {
  callOutcomes,
  campaignStatuses,
  defaultCallWindows,
  defaultRetryPolicy,
  doorstepResults,
  doorstepStatuses,
  followupStatuses,
  NOTE_MAX,
} from './campaign-labels.ts';
import { householdFilters } from './households.ts';

// The plain labels and constants live in a zod-free module, so the caller's pages can use them
// without downloading zod and every schema.
export * from './campaign-labels.ts';

export const needCategories = ['daily_life', 'social', 'rent', 'health'] as const;
export const needCategoryLabels: Record<(typeof needCategories)[number], string> = {
  daily_life: 'Vie quotidienne',
  social: 'Accompagnement social',
  rent: 'Loyer',
  health: 'Santé',
};

/** What an answer triggers: a need (follow-up item), an emergency, or enrolment in the regular watch. */
export const scriptRule = z.discriminatedUnion('effect', [
  z.strictObject({
    effect: z.literal('need'),
    when: z.string().min(1).max(100),
    need: z
      .string()
      .regex(/^[a-z0-9_]{2,40}$/, 'Code de besoin : minuscules, chiffres et _.')
      .max(40),
    label: z.string().trim().min(2).max(200),
    category: z.enum(needCategories),
  }),
  z.strictObject({ effect: z.literal('urgent'), when: z.string().min(1).max(100) }),
  z.strictObject({ effect: z.literal('watch'), when: z.string().min(1).max(100), frequency: z.enum(['weekly', 'fortnightly', 'monthly']) }),
]);
export type ScriptRule = z.infer<typeof scriptRule>;

export const questionTypes = ['yes_no', 'choice', 'number', 'text'] as const;
export const questionTypeLabels: Record<(typeof questionTypes)[number], string> = {
  yes_no: 'Oui / non',
  choice: 'Choix',
  number: 'Nombre',
  text: 'Texte libre',
};

export const scriptQuestion = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Identifiant de question : minuscules, chiffres et _.'),
    text: z.string().trim().min(3).max(500),
    type: z.enum(questionTypes),
    choices: z.array(z.string().trim().min(1).max(100)).max(12).optional(),
    /** A yes to this question is the tenant's explicit consent to record health needs (TRUST DP-03). */
    consent: z.boolean().optional(),
    rules: z.array(scriptRule).max(10).default([]),
  })
  .refine((q) => q.type !== 'choice' || (q.choices?.length ?? 0) >= 2, { message: 'Une question à choix propose au moins deux réponses.', path: ['choices'] })
  .refine((q) => !q.consent || q.type === 'yes_no', { message: 'Le consentement se recueille par une question oui / non.', path: ['consent'] });
export type ScriptQuestion = z.infer<typeof scriptQuestion>;

export const callScript = z
  .strictObject({
    title: z.string().trim().min(2).max(120),
    /** Read to the tenant first. */
    intro: z.string().trim().max(2000),
    questions: z.array(scriptQuestion).min(1).max(40),
    closing: z.string().trim().max(1000).default(''),
  })
  .refine((s) => new Set(s.questions.map((q) => q.key)).size === s.questions.length, {
    message: 'Deux questions ont le même identifiant.',
    path: ['questions'],
  });
export type CallScript = z.infer<typeof callScript>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Heure au format HH:MM.');
export const callWindows = z
  .strictObject({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), start: hhmm, end: hhmm })
  .refine((w) => w.start < w.end, { message: 'L’heure de fin doit suivre l’heure de début.', path: ['end'] });
export const retryPolicy = z.strictObject({
  retryAfterMinutes: z
    .number()
    .int()
    .min(15)
    .max(7 * 24 * 60),
  maxAttempts: z.number().int().min(1).max(10),
});

/**
 * How many households one caller may hand back (« Rendre ») and be handed (« Appeler le suivant »)
 * per hour in a campaign: past either, « next » answers 429 until the oldest counted one is an
 * hour old, and the campaign's managers are alerted. The claims ceiling is one a real caller never
 * reaches; it stops harvesting names and phones by letting claims lapse.
 */
export const callerLimits = z.strictObject({
  releasesPerHour: z.number().int().min(1, 'Au moins 1 ménage rendu par heure.').max(100, 'Au plus 100 ménages rendus par heure.'),
  claimsPerHour: z.number().int().min(1, 'Au moins 1 appel par heure.').max(10_000, 'Au plus 10 000 appels par heure.'),
});
export type CallerLimits = z.infer<typeof callerLimits>;
export const defaultCallerLimits: CallerLimits = { releasesPerHour: 5, claimsPerHour: 60 };

/** A campaign segment: the registry's household filters (TRUST: « ne pas appeler » always left out). */
export const campaignSegment = householdFilters;

export const campaignInput = z.strictObject({
  name: z.string().trim().min(2, 'Donnez un nom à la campagne.').max(120),
  purpose: z.string().trim().max(1000).default(''),
  segment: campaignSegment,
  script: callScript,
  retryPolicy: retryPolicy.default(defaultRetryPolicy),
  callWindows: callWindows.default(defaultCallWindows),
  claimTimeoutMinutes: z.number().int().min(2).max(240).default(15),
  callerLimits: callerLimits.default(defaultCallerLimits),
  callerIds: z.array(z.string().uuid()).max(2000).default([]),
});
export type CampaignInput = z.infer<typeof campaignInput>;

export const segmentCountBody = z.strictObject({ segment: campaignSegment });
export const segmentCount = z.object({ matching: z.number(), excludedNoCall: z.number(), targeted: z.number() });

export const campaignSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  purpose: z.string(),
  status: z.enum(campaignStatuses),
  createdAt: z.string(),
  launchedAt: z.string().nullable(),
  targeted: z.number(),
  reached: z.number(),
  callers: z.number(),
});
export type CampaignSummary = z.infer<typeof campaignSummary>;
/** A campaign as its caller sees it: `holding` when a household of it is reserved to them now (a reload shows it again). */
export const callerCampaign = campaignSummary.extend({ holding: z.boolean() });
export type CallerCampaign = z.infer<typeof callerCampaign>;

export const campaignDetail = campaignSummary.extend({
  segment: campaignSegment,
  script: callScript,
  retryPolicy,
  callWindows,
  callWindowsText: z.string(),
  claimTimeoutMinutes: z.number(),
  callerLimits,
  excludedNoCall: z.number(),
  callers: z.number(),
  callerIds: z.array(z.string().uuid()),
});
export type CampaignDetail = z.infer<typeof campaignDetail>;

/** A person who may join a caller pool; `charterRequired`: they accept the confidentiality charter before a first call (server rule `calls.restricted`). */
export const callerCandidate = z.object({
  id: z.string().uuid(),
  name: z.string(),
  role: z.string(),
  charterRequired: z.boolean(),
  charterAccepted: z.boolean(),
});

export const launchResult = z.object({ status: z.enum(campaignStatuses), targets: z.number(), excludedNoCall: z.number() });

/** What the caller's page receives for one household. Volunteers and partners get the allow-listed fields only (TRUST AA-03). */
export const claimedCall = z.object({
  targetId: z.string().uuid(),
  campaignId: z.string().uuid(),
  campaignName: z.string(),
  firstName: z.string(),
  phones: z.array(z.object({ kind: z.enum(['mobile', 'landline']), number: z.string() })),
  script: callScript,
  dutyPhone: z.string().nullable(),
  attempts: z.number(),
  callback: z.boolean(),
  claimExpiresAt: z.string(),
  // Staff only:
  lastName: z.string().optional(),
  householdId: z.string().uuid().optional(),
  erpRef: z.string().optional(),
  address: z.string().optional(),
  age: z.number().nullable().optional(),
  indicators: z.array(z.string()).optional(),
});
export type ClaimedCall = z.infer<typeof claimedCall>;

export const nextCallBody = z.strictObject({ campaignId: z.string().uuid() });
export const nextCallResult = z.object({
  call: claimedCall.nullable(),
  /** Why nothing was handed out, in French. */
  reason: z.string().nullable(),
});

export const outcomeBody = z
  .strictObject({
    outcome: z.enum(callOutcomes),
    callbackAt: z.string().datetime({ offset: true }).optional(),
    answers: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
    note: z.string().trim().max(NOTE_MAX, `Une note fait au plus ${NOTE_MAX} caractères.`).optional(),
    /** The caller pressed « Urgence » whatever the script said. */
    urgent: z.boolean().default(false),
  })
  .refine((b) => b.outcome !== 'callback' || !!b.callbackAt, { message: 'Indiquez la date et l’heure du rappel.', path: ['callbackAt'] });
export type OutcomeBody = z.infer<typeof outcomeBody>;

export const outcomeResult = z.object({
  attemptId: z.string().uuid(),
  needsOpened: z.array(z.string()),
  urgent: z.boolean(),
  watchEnrolled: z.boolean(),
  /** Health needs not recorded because the consent question was not answered yes. */
  needsWithoutConsent: z.number(),
  nextAttemptAt: z.string().nullable(),
  doorstep: z.boolean(),
  noteFlags: z.array(z.string()),
});

export const targetParams = z.object({ targetId: z.string().uuid() });

export const charterStatus = z.object({ version: z.string(), text: z.string(), acceptedAt: z.string().nullable() });
export const charterAcceptBody = z.strictObject({ version: z.string().min(1).max(20) });

export const dashboard = z.object({
  campaign: campaignSummary,
  totals: z.object({
    targeted: z.number(),
    reached: z.number(),
    reachedPct: z.number(),
    queued: z.number(),
    assigned: z.number(),
    done: z.number(),
    doorstep: z.number(),
    attempts: z.number(),
    excludedNoCall: z.number(),
    callersActive: z.number(),
  }),
  outcomes: z.array(z.object({ outcome: z.string(), label: z.string(), count: z.number() })),
  needs: z.array(z.object({ need: z.string(), label: z.string(), count: z.number() })),
  agencies: z.array(z.object({ agency: z.string(), targeted: z.number(), reached: z.number() })),
  days: z.array(z.object({ day: z.string(), attempts: z.number(), reached: z.number() })),
  /** Urgent follow-ups: the household by its holder's name (when the role reads identity) and ERP reference, its file when the role may open it. */
  urgent: z.array(
    z.object({
      id: z.string().uuid(),
      at: z.string(),
      label: z.string(),
      status: z.string(),
      erpRef: z.string(),
      holder: z.string().nullable(),
      householdId: z.string().uuid().nullable(),
    }),
  ),
});
export type Dashboard = z.infer<typeof dashboard>;

export const followupListBody = z.strictObject({
  status: z.enum(followupStatuses).default('open'),
  urgentOnly: z.boolean().default(false),
  campaignId: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export const followupRow = z.object({
  id: z.string().uuid(),
  householdId: z.string().uuid(),
  householdRef: z.string(),
  holder: z.string(),
  agency: z.string(),
  campaign: z.string().nullable(),
  need: z.string(),
  label: z.string(),
  urgent: z.boolean(),
  status: z.enum(followupStatuses),
  assignedTo: z.string().uuid().nullable(),
  assignedName: z.string().nullable(),
  createdAt: z.string(),
  resolution: z.string().nullable(),
});
export const followupAssignBody = z.strictObject({ userId: z.string().uuid().nullable() });
export const followupCloseBody = z.strictObject({ resolution: z.string().trim().min(2, 'Indiquez ce qui a été fait.').max(500) });

export const doorstepRow = z.object({
  id: z.string().uuid(),
  householdId: z.string().uuid(),
  campaign: z.string(),
  residence: z.string(),
  address: z.string(),
  unit: z.string(),
  floor: z.number().nullable(),
  holder: z.string(),
  createdAt: z.string(),
  status: z.enum(doorstepStatuses),
  result: z.enum(doorstepResults).nullable(),
});
export const doorstepResultBody = z.strictObject({ result: z.enum(doorstepResults), note: z.string().trim().max(NOTE_MAX).optional() });

export const noteReviewRow = z.object({
  id: z.string().uuid(),
  at: z.string(),
  campaign: z.string(),
  caller: z.string(),
  householdId: z.string().uuid(),
  note: z.string(),
  flags: z.array(z.string()),
});
export const noteReviewBody = z.strictObject({ decision: z.enum(['kept', 'redacted']) });
