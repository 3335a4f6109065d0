// Messaging API bodies and answers (issue 15). The counter and labels live in messaging.ts (no zod there).
import { z } from 'zod';
import { householdFilters } from './households.ts';
import { exclusionReasons, mergeFields, sendChannels, templateChannels } from './messaging.ts';

export const templateBody = z.strictObject({
  name: z.string().trim().min(2, 'Donnez un nom au modèle (2 caractères au moins).').max(120, 'Le nom ne peut pas dépasser 120 caractères.'),
  channels: z
    .array(z.enum(templateChannels))
    .min(1, 'Choisissez au moins un canal (SMS, e-mail ou courrier).')
    .max(3)
    .transform((c) => [...new Set(c)]),
  subject: z.string().trim().max(200, 'L’objet ne peut pas dépasser 200 caractères.').nullable().default(null),
  body: z.string().trim().min(1, 'Écrivez le texte du message.').max(4000, 'Le texte ne peut pas dépasser 4 000 caractères.'),
});
export type TemplateBody = z.infer<typeof templateBody>;

export const templateRow = z.object({
  id: z.string().uuid(),
  name: z.string(),
  channels: z.array(z.enum(templateChannels)),
  subject: z.string().nullable(),
  body: z.string(),
  updatedAt: z.string(),
});

/** Values typed at send time for the fields that do not come from the household. */
export const fieldValues = z
  .strictObject({
    date_rdv: z.string().trim().max(60).optional(),
    montant: z.string().trim().max(30).optional(),
  })
  .default({});

export const previewBody = z.strictObject({
  body: z.string().max(4000),
  subject: z.string().max(200).nullable().default(null),
  householdId: z.string().uuid(),
  values: fieldValues,
});
export const previewAnswer = z.object({
  text: z.string(),
  subject: z.string().nullable(),
  sms: z.object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), length: z.number(), segments: z.number() }),
  household: z.object({ erpRef: z.string(), holder: z.string() }),
});

export const audience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('household'), householdId: z.string().uuid() }),
  z.strictObject({ kind: z.literal('segment'), filters: householdFilters }),
  z.strictObject({ kind: z.literal('campaign'), campaignId: z.string().uuid() }),
  z.strictObject({ kind: z.literal('volunteers') }),
]);
export type AudienceBody = z.infer<typeof audience>;

export const dryRunBody = z.strictObject({ templateId: z.string().uuid(), audience, values: fieldValues });

export const plan = z.object({
  total: z.number(),
  channels: z.record(z.enum(sendChannels), z.number()),
  excluded: z.record(z.enum(exclusionReasons), z.number()),
});

export const sendStatuses = ['draft', 'awaiting_approval', 'preparing', 'queued', 'failed'] as const;
export const sendStatusLabels: Record<(typeof sendStatuses)[number], string> = {
  draft: 'Simulation',
  awaiting_approval: 'En attente de validation',
  preparing: 'En préparation',
  queued: 'En cours d’envoi',
  failed: 'Échec de la préparation',
};

/** The send's report: the outbox's statuses grouped as staff read them. */
export const reportGroups = ['queued', 'sent', 'delivered', 'failed', 'opted_out', 'unknown'] as const;
export const reportGroupLabels: Record<(typeof reportGroups)[number], string> = {
  queued: 'En file',
  sent: 'Envoyés',
  delivered: 'Distribués',
  failed: 'Échecs',
  opted_out: 'Désinscrits (STOP)',
  unknown: 'Statut à vérifier',
};

/** Who a send was written to: the four audiences staff choose, and the invitations to a food distribution or an outreach event (issue 17). */
export const sendAudiences = ['household', 'segment', 'campaign', 'volunteers', 'distribution', 'outreach'] as const;

export const sendAnswer = z.object({
  id: z.string().uuid(),
  template: z.string(),
  audience: z.enum(sendAudiences),
  status: z.enum(sendStatuses),
  plan,
  recipients: z.number(),
  prepared: z.number(),
  needsApproval: z.boolean(),
  createdBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  letters: z.number(),
  report: z.record(z.enum(reportGroups), z.number()),
  /** Messages handed to the outbox (SMS and e-mails), for the drain's progress bar. */
  messages: z.number(),
});
export type SendAnswer = z.infer<typeof sendAnswer>;

export const sendListRow = z.object({
  id: z.string().uuid(),
  template: z.string(),
  audience: z.enum(sendAudiences),
  status: z.enum(sendStatuses),
  recipients: z.number(),
  prepared: z.number(),
  createdAt: z.string(),
});

/** The escalation ladder of a campaign: the SMS template of each step, or none. */
export const ladderBody = z.strictObject({ beforeFirstCall: z.string().uuid().nullable(), beforeDoorstep: z.string().uuid().nullable() });
export type LadderBody = z.infer<typeof ladderBody>;
export const ladderAnswer = z.object({
  beforeFirstCall: z.string().uuid().nullable(),
  beforeDoorstep: z.string().uuid().nullable(),
  firstCallSendId: z.string().uuid().nullable(),
  doorstepSendId: z.string().uuid().nullable(),
});

/** The merge fields with their descriptions, for the editor's help. */
export const mergeFieldList = Object.entries(mergeFields).map(([name, description]) => ({ name, description }));
