/** The tenant portal (issue 16): requests, their categories, statuses and deadlines. */
import { z } from 'zod';
import { documentKinds, documentRequestStatuses, requestCategories, requestStatuses } from './portal-labels.ts';

export {
  canMove,
  type DocumentKind,
  type DocumentRequestStatus,
  defaultDeadlineDays,
  documentKindLabels,
  documentRequestStatusLabels,
  isFinished,
  type RequestCategory,
  type RequestStatus,
  requestCategories,
  requestCategoryLabels,
  requestStatuses,
  requestStatusLabels,
} from './portal-labels.ts';

export const codeRequestBody = z.strictObject({ contact: z.string().trim().min(3, 'Indiquez votre numéro de mobile ou votre e-mail.').max(200) });
export const codeVerifyBody = z.strictObject({
  challenge: z.string().uuid('Demandez un nouveau code.'),
  code: z.string().regex(/^\d{6}$/, 'Le code contient 6 chiffres.'),
});
export const newRequestBody = z.strictObject({
  category: z.enum(requestCategories, { message: 'Choisissez le type de demande.' }),
  description: z.string().trim().min(1, 'Décrivez votre demande.').max(4000, 'Votre description est trop longue (4 000 caractères au plus).'),
});
export const messageBody = z.strictObject({
  body: z.string().trim().min(1, 'Écrivez votre message.').max(4000, 'Message trop long (4 000 caractères au plus).'),
});

export const exchange = z.object({
  id: z.string().uuid(),
  at: z.string(),
  author: z.enum(['tenant', 'landlord', 'status']),
  body: z.string(),
  file: z.object({ id: z.string().uuid(), name: z.string(), scanStatus: z.enum(['pending', 'clean', 'infected']) }).nullable(),
});
export const tenantRequestRow = z.object({
  id: z.string().uuid(),
  category: z.enum(requestCategories),
  description: z.string(),
  status: z.enum(requestStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const tenantRequestView = tenantRequestRow.extend({ exchanges: z.array(exchange) });

export const inboxRow = z.object({
  id: z.string().uuid(),
  householdId: z.string().uuid(),
  householdName: z.string(),
  agencyId: z.string().uuid(),
  category: z.enum(requestCategories),
  description: z.string(),
  status: z.enum(requestStatuses),
  assignedTo: z.string().uuid().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export const inboxNote = z.object({ id: z.string().uuid(), at: z.string(), userId: z.string().uuid().nullable(), body: z.string() });
export const inboxView = inboxRow.extend({ caseId: z.string().uuid().nullable(), exchanges: z.array(exchange), notes: z.array(inboxNote) });
export const inboxFilter = z.object({
  status: z.enum([...requestStatuses, 'open']).default('open'),
  category: z.enum(requestCategories).optional(),
  agencyId: z.string().uuid().optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const replyBody = z.strictObject({
  body: z.string().trim().min(1, 'Écrivez votre réponse.').max(4000, 'Réponse trop longue (4 000 caractères au plus).'),
  status: z.enum(requestStatuses).optional(),
});
export const noteBody = z.strictObject({ body: z.string().trim().min(1, 'Écrivez la note.').max(4000, 'Note trop longue (4 000 caractères au plus).') });
export const requestChangeBody = z.strictObject({ status: z.enum(requestStatuses).optional(), assignedTo: z.string().uuid().nullable().optional() });
export const deadlinesBody = z.strictObject({
  days: z.partialRecord(z.enum(requestCategories), z.number().int().min(1, 'Un jour au moins.').max(90, '90 jours au plus.')),
});

export const articleBody = z.strictObject({
  kind: z.enum(['faq', 'news'], { message: 'Choisissez : question fréquente ou actualité.' }),
  agencyId: z.string().uuid().nullable(),
  title: z.string().trim().min(1, 'Donnez un titre.').max(200, 'Titre trop long (200 caractères au plus).'),
  body: z.string().trim().min(1, 'Écrivez le texte.').max(8000, 'Texte trop long (8 000 caractères au plus).'),
});
export const articleRow = z.object({
  id: z.string().uuid(),
  kind: z.enum(['faq', 'news']),
  agencyId: z.string().uuid().nullable(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string(),
});

export const portalSettings = z.strictObject({ showBalance: z.boolean() });
export const tenantBalance = z.union([
  z.object({ shown: z.literal(false) }),
  z.object({
    shown: z.literal(true),
    balance: z.object({ cents: z.number(), on: z.string() }).nullable(),
    plan: z
      .object({
        kind: z.enum(['deferral', 'instalments', 'clearance']),
        amountCents: z.number(),
        instalments: z.array(z.object({ dueOn: z.string(), amountCents: z.number(), status: z.enum(['pending', 'met', 'missed']) })),
      })
      .nullable(),
  }),
]);

// ——— Documents (issue 16) ———

const fileState = z.object({ id: z.string().uuid(), name: z.string(), scanStatus: z.enum(['pending', 'clean', 'infected']) });
export const publishFields = z.strictObject({
  kind: z.enum(documentKinds, { message: 'Choisissez le type de document.' }),
  title: z.string().trim().min(1, 'Donnez un titre au document.').max(200, 'Titre trop long (200 caractères au plus).'),
});
export const documentRequestBody = z.strictObject({
  label: z.string().trim().min(1, 'Indiquez le document demandé.').max(200, 'Intitulé trop long (200 caractères au plus).'),
  note: z.string().trim().max(2000, 'Message trop long (2 000 caractères au plus).').optional(),
  dueOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.')
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
    }, 'Cette date n’existe pas.')
    .optional(),
});
export const documentReviewBody = z.union([
  z.strictObject({ decision: z.literal('accept') }),
  z.strictObject({
    decision: z.literal('redo'),
    reason: z.string().trim().min(1, 'Dites au locataire ce qui ne va pas.').max(2000, 'Motif trop long (2 000 caractères au plus).'),
  }),
]);
export const tenantDocumentRow = z.object({
  id: z.string().uuid(),
  kind: z.enum(documentKinds),
  title: z.string(),
  publishedAt: z.string(),
  fileName: z.string(),
});
export const staffDocumentRow = tenantDocumentRow.extend({ file: fileState, firstOpenedAt: z.string().nullable(), withdrawnAt: z.string().nullable() });
export const documentRequestRow = z.object({
  id: z.string().uuid(),
  label: z.string(),
  note: z.string().nullable(),
  dueOn: z.string().nullable(),
  askedAt: z.string(),
  status: z.enum(documentRequestStatuses),
  redoReason: z.string().nullable(),
  uploads: z.array(z.object({ at: z.string(), file: fileState })),
});
export const tenantDocuments = z.object({ documents: z.array(tenantDocumentRow), requests: z.array(documentRequestRow) });
export const staffDocuments = z.object({ documents: z.array(staffDocumentRow), requests: z.array(documentRequestRow) });
