/**
 * Requests of a person about their data (TRUST DP-06, issue 13): the right of access now, erasure
 * and objection later (DP-07). Recorded by the DPO (`privacy.manage`), answered within the legal
 * month (RGPD art. 12.3).
 */
import { z } from 'zod';

/** What a person asks about their data; only access is built so far. */
export const subjectRequestKinds = ['access'] as const;

/** The formats of a right-of-access export. */
export const exportFormats = ['json', 'csv', 'pdf'] as const;

/** Record a request: for a person, received on a day (Paris date, not in the future). */
export const subjectRequestBody = z.strictObject({
  personId: z.string().uuid('Personne invalide.'),
  kind: z.enum(subjectRequestKinds, { message: 'Type de demande invalide.' }).default('access'),
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date de réception invalide (AAAA-MM-JJ).'),
  notes: z.string().trim().max(2000, 'Note trop longue (2 000 caractères au plus).').optional(),
});

/** A request as the DPO's list shows it. */
export const subjectRequestRow = z.object({
  id: z.string().uuid(),
  kind: z.enum(subjectRequestKinds),
  personId: z.string().uuid(),
  householdId: z.string().uuid(),
  personName: z.string(),
  householdRef: z.string(),
  receivedOn: z.string(),
  dueOn: z.string(),
  /** Days from today (Paris) to the due day: negative when late. */
  daysLeft: z.number().int(),
  overdue: z.boolean(),
  status: z.enum(['open', 'answered']),
  recordedBy: z.string().nullable(),
  answeredAt: z.string().nullable(),
  notes: z.string().nullable(),
});

export type SubjectRequestRow = z.infer<typeof subjectRequestRow>;

/** Which format to download. */
export const exportQuery = z.strictObject({ format: z.enum(exportFormats, { message: 'Format invalide : json, csv ou pdf.' }).default('json') });
