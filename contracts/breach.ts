/**
 * Breach readiness (TRUST DP-15, issue 13): when an account may have been misused, the DPO lists,
 * for that user and a time window, the households whose data the user accessed and the categories
 * of data concerned, from the audit trail — what a notification to the CNIL (72 hours, RGPD art.
 * 33) and to the persons (art. 34) needs. Exportable as CSV and JSON.
 */
import { z } from 'zod';
import { dataClasses } from './data-protection.ts';

/** The longest window one report covers (the audit trail is kept about a year). */
export const MAX_BREACH_WINDOW_DAYS = 400;

/** Households the report shows on screen; the CSV and JSON downloads hold every one. */
export const BREACH_SCREEN_ROWS = 500;

/** The formats of the report's download. */
export const breachFormats = ['json', 'csv'] as const;

/** Whose accesses, between when and when (`to` excluded). */
export const breachQuery = z
  .strictObject({
    userId: z.string({ message: 'Choisissez l’utilisateur·rice.' }).uuid('Utilisateur·rice invalide.'),
    from: z.iso.datetime({ offset: true, message: 'Date de début invalide.' }),
    to: z.iso.datetime({ offset: true, message: 'Date de fin invalide.' }),
  })
  .refine((q) => new Date(q.from) < new Date(q.to), { message: 'La date de fin doit suivre la date de début.', path: ['to'] })
  .refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= MAX_BREACH_WINDOW_DAYS * 86_400_000, {
    message: `La période couvre au plus ${MAX_BREACH_WINDOW_DAYS} jours : raccourcissez-la.`,
    path: ['from'],
  });
export type BreachQuery = z.infer<typeof breachQuery>;

/** The download: the same query and a format. */
export const breachExportBody = z.strictObject({
  userId: z.string().uuid('Utilisateur·rice invalide.'),
  from: z.iso.datetime({ offset: true, message: 'Date de début invalide.' }),
  to: z.iso.datetime({ offset: true, message: 'Date de fin invalide.' }),
  format: z.enum(breachFormats, { message: 'Format invalide : json ou csv.' }).default('csv'),
});

/** A category of data: the table, what it holds (French), its most sensitive data class. */
export const dataCategory = z.object({ table: z.string(), label: z.string(), class: z.enum(dataClasses), classLabel: z.string() });
export type DataCategoryRow = z.infer<typeof dataCategory>;

/** One household the user reached. */
export const breachHousehold = z.object({
  householdId: z.string().uuid(),
  /** « Prénom Nom (référence ERP) » as the registry names it; null when the household is no longer held. */
  name: z.string().nullable(),
  firstAt: z.string(),
  lastAt: z.string(),
  /** Audited events that touched the household. */
  accesses: z.number().int(),
  /** French labels of the actions (« Fiche ménage consultée »…). */
  actions: z.array(z.string()),
  /** The categories of data concerned, as keys of the report's `categories` (most sensitive first). */
  categories: z.array(z.string()),
});
export type BreachHousehold = z.infer<typeof breachHousehold>;

/** Events that may have shown households' data without the trail naming them one by one. */
export const breachUnlisted = z.object({
  action: z.string(),
  label: z.string(),
  events: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  categories: z.array(dataCategory),
});

/** The report. */
export const breachReport = z.object({
  user: z.object({ id: z.string().uuid(), name: z.string(), role: z.string().nullable() }),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  /** How many households the user reached in the window. */
  totalHouseholds: z.number().int(),
  /** The households, by first access; on screen the first `BREACH_SCREEN_ROWS` only (the downloads hold them all). */
  households: z.array(breachHousehold),
  /** Every category concerned across the households, most sensitive first: what the households' keys name. */
  categories: z.array(dataCategory),
  unlisted: z.array(breachUnlisted),
});
export type BreachReport = z.infer<typeof breachReport>;
