/**
 * Retention of personal data per organisation × purpose (TRUST DP-02, issue 13): how long each
 * purpose's data is kept and from which moment, the preview of the next purge and its schedule.
 * Read and edited by the DPO (`privacy.manage`).
 */
import { z } from 'zod';
import { type Purpose, purposes } from './data-protection.ts';

/**
 * From which moment the delay runs: the end of the follow-up or the withdrawal of consent; the
 * end of the purpose (the household's departure, the campaign's closing); or the day the row was
 * recorded.
 */
export const endKinds = ['end_of_followup', 'purpose_lasts', 'fixed'] as const;

/** One kind of end. */
export type EndKind = (typeof endKinds)[number];

/** French labels of the kinds of end, for the DPO. */
export const endKindLabels: Record<EndKind, string> = {
  end_of_followup: 'À la fin du suivi ou au retrait du consentement',
  purpose_lasts: 'Tant que dure la finalité',
  fixed: 'Durée fixe après l’enregistrement',
};

/** The purposes whose data ends with a follow-up or a consent (« à la fin du suivi »). */
export const followupPurposes: readonly Purpose[] = ['fragility_register', 'referral'];

/** The audit trail is kept between six and twelve months (CNIL, AU-2014-124). */
export const securityMonths = { min: 6, max: 12 } as const;

/** One purpose's rule, as the DPO's screen shows it. */
export const retentionRuleRow = z.object({
  purpose: z.enum(purposes),
  endKind: z.enum(endKinds),
  months: z.number().int(),
  /** True when the organisation has not changed the default. */
  isDefault: z.boolean(),
  defaultEndKind: z.enum(endKinds),
  defaultMonths: z.number().int(),
  /** Why the default is what it is, in French. */
  basis: z.string(),
  updatedAt: z.string().nullable(),
});

export type RetentionRuleRow = z.infer<typeof retentionRuleRow>;

/** Path parameter: one purpose. */
export const purposeParams = z.strictObject({ purpose: z.enum(purposes, { message: 'Finalité inconnue.' }) });

/** Change a purpose's rule: the kind of end and the delay in months after it (0 to 120). */
export const retentionRuleBody = z.strictObject({
  endKind: z.enum(endKinds, { message: 'Type de fin invalide : à la fin du suivi, tant que dure la finalité ou durée fixe.' }),
  months: z
    .number({ message: 'Durée invalide : un nombre de mois.' })
    .int('Durée invalide : un nombre entier de mois.')
    .min(0, 'La durée ne peut pas être négative.')
    .max(120, 'Durée trop longue (120 mois au plus).'),
});

export type RetentionRuleBody = z.infer<typeof retentionRuleBody>;

/** What the purge does to a table's expired rows. */
export const purgeActions = ['delete', 'anonymise'] as const;

/** One line of a purge or of its preview: a table, the purpose whose rule applies, how many rows. */
export const purgeLine = z.object({
  table: z.string(),
  purpose: z.enum(purposes),
  action: z.enum(purgeActions),
  /** What the rows are, in French. */
  label: z.string(),
  count: z.number().int(),
});

export type PurgeLine = z.infer<typeof purgeLine>;

/** What the next purge would remove, and when it runs. */
export const purgePreview = z.object({
  nextPurgeAt: z.string(),
  lines: z.array(purgeLine),
  total: z.number().int(),
});

export type PurgePreview = z.infer<typeof purgePreview>;
