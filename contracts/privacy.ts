/**
 * Requests of a person about their data (issue 13): the right of access (TRUST DP-06), erasure
 * and objection (DP-07). Recorded by the DPO (`privacy.manage`), answered within the legal month
 * (RGPD art. 12.3).
 */
import { z } from 'zod';
import { type Purpose, purposes } from './data-protection.ts';
import { objectionKinds } from './households.ts';

/** What a person asks about their data: access (art. 15), erasure (art. 17), objection (art. 21). */
export const subjectRequestKinds = ['access', 'erasure', 'objection'] as const;

/** One kind of request. */
export type SubjectRequestKind = (typeof subjectRequestKinds)[number];

/** French labels of the kinds, for the DPO. */
export const subjectRequestKindLabels: Record<SubjectRequestKind, string> = { access: 'Accès', erasure: 'Effacement', objection: 'Opposition' };

/**
 * The purposes a person may object to (art. 21: those based on the landlord's legitimate interest).
 * The lease and the arrears rest on the contract and the law: no objection to them, only erasure
 * where their legal purpose has ended.
 */
export const objectablePurposes = ['campaign', 'fragility_register'] as const satisfies readonly Purpose[];

/** One purpose a person may object to. */
export type ObjectablePurpose = (typeof objectablePurposes)[number];

/** The formats of a right-of-access export. */
export const exportFormats = ['json', 'csv', 'pdf'] as const;

/** Record a request: for a person, received on a day (Paris date, not in the future). */
export const subjectRequestBody = z
  .strictObject({
    personId: z.string().uuid('Personne invalide.'),
    kind: z.enum(subjectRequestKinds, { message: 'Type de demande invalide : accès, effacement ou opposition.' }).default('access'),
    receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date de réception invalide (AAAA-MM-JJ).'),
    notes: z.string().trim().max(2000, 'Note trop longue (2 000 caractères au plus).').optional(),
    /** An objection's purposes (and only an objection's): the campaigns, the fragility register. */
    purposes: z
      .array(z.enum(objectablePurposes, { message: 'Finalité invalide : on peut s’opposer aux campagnes d’appels ou au registre des fragilités.' }))
      .max(objectablePurposes.length)
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'objection' && !b.purposes?.length) {
      ctx.addIssue({ code: 'custom', path: ['purposes'], message: 'Une opposition doit dire à quelle finalité la personne s’oppose.' });
    }
    if (b.kind !== 'objection' && b.purposes?.length) {
      ctx.addIssue({ code: 'custom', path: ['purposes'], message: 'Seule une opposition porte sur des finalités.' });
    }
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
  /** The purposes objected to (an objection), empty otherwise. */
  purposes: z.array(z.enum(purposes)),
  /** When an erasure or an objection was carried out (null until then, and for access). */
  executedAt: z.string().nullable(),
  /** Why the DPO refused an erasure or an objection (null unless refused). */
  refusalReason: z.string().nullable(),
});

/** Refuse an erasure or an objection: the reason is told to the person (RGPD art. 12.4). */
export const refusalBody = z.strictObject({
  reason: z
    .string({ message: 'Indiquez le motif du refus.' })
    .trim()
    .min(1, 'Indiquez le motif du refus : il est communiqué à la personne.')
    .max(2000, 'Motif trop long (2 000 caractères au plus).'),
});

export type SubjectRequestRow = z.infer<typeof subjectRequestRow>;

/** Which format to download. */
export const exportQuery = z.strictObject({ format: z.enum(exportFormats, { message: 'Format invalide : json, csv ou pdf.' }).default('json') });

/** What an erasure or an objection does to a table: delete its rows, restrict them (kept, hidden), or keep them. */
export const erasureActions = ['delete', 'restrict', 'keep'] as const;

/** One action. */
export type ErasureAction = (typeof erasureActions)[number];

/** French labels of the actions, for the DPO and the requester. */
export const erasureActionLabels: Record<ErasureAction, string> = { delete: 'Effacées', restrict: 'Conservées, accès limité', keep: 'Conservées' };

/** One line of an erasure or objection: a table's rows about the person, what happens to them and why (in French, for the requester). */
export const erasureLine = z.object({
  table: z.string(),
  /** What the table holds, in the DPO's words (the classification). */
  label: z.string(),
  purpose: z.enum(purposes),
  purposeLabel: z.string(),
  action: z.enum(erasureActions),
  rows: z.number().int(),
  reason: z.string(),
});

export type ErasureLine = z.infer<typeof erasureLine>;

/**
 * The preview of an erasure or objection (before), or its outcome (after, `executedAt` set): one
 * line per table, and for a restriction, who still sees the household and why.
 */
export const erasurePlan = z.object({
  requestId: z.string().uuid(),
  kind: z.enum(['erasure', 'objection']),
  lines: z.array(erasureLine),
  /** The household stays, restricted (erasure with a legal purpose still met): the reason and the role that still sees it. */
  restriction: z.object({ reason: z.string(), seenBy: z.string() }).nullable(),
  /** The objections recorded on the household (objection requests). */
  objections: z.array(z.enum(objectionKinds)),
  executedAt: z.string().nullable(),
});

export type ErasurePlan = z.infer<typeof erasurePlan>;
