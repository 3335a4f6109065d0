/**
 * Partners and referrals (partenaires, orientations; issue 14, TRUST DP-09): the organisations a
 * landlord refers tenants to, and the referrals of a case's need to one of them, with only the
 * fields of the referral template and the tenant's recorded agreement.
 */
import { z } from 'zod';
import { caseTypes } from './cases.ts';

export const partnerKinds = ['association', 'ccas', 'civil_protection', 'fsl', 'soliha', 'other'] as const;
export type PartnerKind = (typeof partnerKinds)[number];
export const partnerKindLabels: Record<PartnerKind, string> = {
  association: 'Association',
  ccas: 'CCAS',
  civil_protection: 'Protection civile',
  fsl: 'Fonds de solidarité logement (FSL)',
  soliha: 'Soliha, opérateur',
  other: 'Autre',
};

const uuid = z.string().uuid('Identifiant invalide.');

/** A partner as the administrator writes it. */
export const partnerBody = z.strictObject({
  name: z.string().trim().min(2, 'Le nom doit contenir au moins 2 caractères.').max(120, 'Le nom est trop long (120 caractères au plus).'),
  kind: z.enum(partnerKinds, { error: 'Type de partenaire inconnu.' }),
  communes: z.array(z.string().trim().min(1).max(80)).max(100, 'Cent communes au plus.').default([]),
  needTypes: z.array(z.enum(caseTypes, { error: 'Type de besoin inconnu.' })).default([]),
  ackDays: z.number().int().min(1, 'Un jour au moins.').max(60, 'Soixante jours au plus.').default(5),
  active: z.boolean().default(true),
});
export type PartnerBody = z.infer<typeof partnerBody>;

export const partnerRow = z.object({
  id: uuid,
  name: z.string(),
  kind: z.enum(partnerKinds),
  communes: z.array(z.string()),
  needTypes: z.array(z.enum(caseTypes)),
  ackDays: z.number(),
  active: z.boolean(),
  members: z.array(z.object({ id: uuid, name: z.string(), email: z.string() })),
});

/** Accounts of role « partenaire » and the partner each belongs to (the administrator links them). */
export const partnerUserRow = z.object({ id: uuid, name: z.string(), email: z.string(), partnerId: uuid.nullable() });
export const partnerMemberBody = z.strictObject({ userId: uuid, partnerId: uuid.nullable() });

/**
 * The referral template: the fields a referral may carry, the same for every partner. `health`
 * holds art. 9 data (the health need): only under the tenant's explicit consent for that partner.
 */
export const referralFields = ['holder_name', 'phone', 'address', 'commune', 'need_type', 'message', 'health_details'] as const;
export type ReferralField = (typeof referralFields)[number];
export const referralFieldLabels: Record<ReferralField, string> = {
  holder_name: 'Nom du ou de la titulaire',
  phone: 'Téléphone',
  address: 'Adresse',
  commune: 'Commune',
  need_type: 'Type de besoin',
  message: 'Message',
  health_details: 'Précisions de santé',
};
/** Fields of art. 9 GDPR (health): sent only under an explicit consent for the recipient. */
export const art9ReferralFields: readonly ReferralField[] = ['health_details'];

export const referralStatuses = ['new', 'acknowledged', 'accepted', 'declined', 'reported'] as const;
export type ReferralStatus = (typeof referralStatuses)[number];
export const referralStatusLabels: Record<ReferralStatus, string> = {
  new: 'Nouvelle',
  acknowledged: 'Reçue',
  accepted: 'Acceptée, en cours',
  declined: 'Refusée',
  reported: 'Retour fait',
};

export const declineReasons = ['out_of_scope', 'no_capacity', 'already_followed', 'other'] as const;
export type DeclineReason = (typeof declineReasons)[number];
export const declineReasonLabels: Record<DeclineReason, string> = {
  out_of_scope: 'Hors de nos missions',
  no_capacity: 'Pas de capacité en ce moment',
  already_followed: 'Déjà suivi·e par nos services',
  other: 'Autre',
};

export const referralOutcomes = ['done', 'unreachable', 'refused', 'redirected'] as const;
export type ReferralOutcome = (typeof referralOutcomes)[number];
export const referralOutcomeLabels: Record<ReferralOutcome, string> = {
  done: 'Fait',
  unreachable: 'Locataire injoignable',
  refused: 'Refusé par le ou la locataire',
  redirected: 'Réorienté vers une autre structure',
};

const note = z.string().trim().max(500, 'Le texte est trop long (500 caractères au plus).');

/** Record the tenant's agreement to be referred to this partner (and, for health fields, the explicit consent). */
export const referralConsentBody = z.strictObject({
  partnerId: uuid,
  purpose: z.enum(['referral', 'referral_health'], { error: 'Objet du consentement inconnu.' }),
  channel: z.enum(['phone', 'in_person', 'letter', 'portal'], { error: 'Canal inconnu.' }),
});

export const referralSendBody = z.strictObject({
  caseId: uuid,
  partnerId: uuid,
  message: note.optional(),
  /** Art. 9: only with an explicit consent for this partner. */
  healthDetails: note.optional(),
});

export const referralAnswerBody = z.discriminatedUnion('accept', [
  z.strictObject({ accept: z.literal(true) }),
  z.strictObject({ accept: z.literal(false), reason: z.enum(declineReasons, { error: 'Motif inconnu.' }), note: note.optional() }),
]);

export const referralReportBody = z.strictObject({
  outcome: z.enum(referralOutcomes, { error: 'Issue inconnue.' }),
  note: note.optional(),
});

export const referralListBody = z.strictObject({
  status: z.enum(referralStatuses).optional(),
  /** Only the referrals not acknowledged within their partner's delay. */
  overdue: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

export const referralRow = z.object({
  id: uuid,
  caseId: uuid.nullable(),
  partnerId: uuid,
  partner: z.string(),
  status: z.enum(referralStatuses),
  sentAt: z.string(),
  ackDueAt: z.string(),
  overdue: z.boolean(),
  declineReason: z.enum(declineReasons).nullable(),
  outcome: z.enum(referralOutcomes).nullable(),
  partnerNote: z.string().nullable(),
  /** The need type and commune from the snapshot (what the partner's inbox shows). */
  needType: z.string().nullable(),
  commune: z.string().nullable(),
});
export type ReferralRow = z.infer<typeof referralRow>;

export const referralDetail = referralRow.extend({
  fields: z.array(z.enum(referralFields)),
  payload: z.record(z.string(), z.string()),
});

export const referralOptions = z.object({
  partners: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      kind: z.enum(partnerKinds),
      /** Takes the case's type of need and serves the household's commune. */
      suggested: z.boolean(),
      agreement: z.boolean(),
      healthConsent: z.boolean(),
    }),
  ),
  /** The template's fields with the values they would carry (the message and health details: typed by the sender). */
  fields: z.array(z.object({ field: z.enum(referralFields), label: z.string(), value: z.string(), art9: z.boolean() })),
});
