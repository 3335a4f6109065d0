/**
 * Solidarity operations (issue 17): vacant homes lent to health workers and to people fleeing
 * violence. The shapes the API validates and the web shows, with their French labels.
 */
import { z } from 'zod';
import { householdFilters } from './households.ts';

/** For whom a home is lent. */
export const lendingAudiences = ['health_workers', 'violence_shelter', 'other'] as const;
export type LendingAudience = (typeof lendingAudiences)[number];
export const lendingAudienceLabels: Record<LendingAudience, string> = {
  health_workers: 'Soignant·es',
  violence_shelter: 'Mise à l’abri (violences faites aux femmes)',
  other: 'Autre',
};

/** Who asks for a home. */
export const requesterKinds = ['hospital', 'care_home', 'association'] as const;
export type RequesterKind = (typeof requesterKinds)[number];
export const requesterKindLabels: Record<RequesterKind, string> = {
  hospital: 'Hôpital',
  care_home: 'EHPAD, établissement de soins',
  association: 'Association',
};

export const offerStatuses = ['open', 'matched', 'occupied', 'closed'] as const;
export type OfferStatus = (typeof offerStatuses)[number];
export const offerStatusLabels: Record<OfferStatus, string> = { open: 'Disponible', matched: 'Attribué', occupied: 'Occupé', closed: 'Terminé' };

export const requestStatuses = ['open', 'matched', 'closed'] as const;
export const lendingStatuses = ['agreed', 'occupied', 'ended'] as const;
export type LendingStatus = (typeof lendingStatuses)[number];
export const lendingStatusLabels: Record<LendingStatus, string> = {
  agreed: 'Convention prête, clés à remettre',
  occupied: 'Occupé (clés remises)',
  ended: 'Terminé (clés rendues)',
};

const day = (message: string) => z.iso.date({ message });
const id = z.string().uuid('Identifiant invalide.');

/** A vacant unit offered: from the registry, the dates, for whom, how many people it takes. */
export const lendingOfferBody = z
  .strictObject({
    unitId: id,
    audience: z.enum(lendingAudiences, { message: 'Public invalide.' }),
    furnished: z.boolean(),
    availableFrom: day('Date de début invalide.'),
    availableTo: day('Date de fin invalide.'),
    capacity: z.number().int().min(1, 'Au moins une personne.').max(12, 'Au plus 12 personnes.'),
  })
  .refine((b) => b.availableTo >= b.availableFrom, { message: 'La fin de disponibilité précède son début.', path: ['availableTo'] });
export type LendingOfferBody = z.infer<typeof lendingOfferBody>;

/** A request: only what matching needs (TRUST DP-03, data minimisation): no name of the person. */
export const lendingRequestBody = z
  .strictObject({
    audience: z.enum(lendingAudiences, { message: 'Public invalide.' }),
    requesterKind: z.enum(requesterKinds, { message: 'Demandeur invalide.' }),
    requesterName: z.string().trim().min(2, 'Nom du demandeur trop court.').max(120, 'Nom du demandeur trop long.'),
    neededFrom: day('Date de début invalide.'),
    neededTo: day('Date de fin invalide.'),
    area: z.string().regex(/^[0-9]{2}([0-9]{3})?$/, 'Secteur : un département (2 chiffres) ou un code postal (5 chiffres).'),
    householdSize: z.number().int().min(1, 'Au moins une personne.').max(12, 'Au plus 12 personnes.'),
    /** The requester's referent, who will know the address; the caller when omitted (always the caller for a partner). */
    referentId: id.optional(),
  })
  .refine((b) => b.neededTo >= b.neededFrom, { message: 'La fin du besoin précède son début.', path: ['neededTo'] });
export type LendingRequestBody = z.infer<typeof lendingRequestBody>;

export const lendingBody = z.strictObject({ offerId: id, requestId: id });
export const keysBody = z.strictObject({ event: z.enum(['handed', 'returned'], { message: 'Événement invalide.' }) });

/** A unit's address, only for whom may know it. */
const place = z.object({ residence: z.string(), address: z.string(), unitRef: z.string(), floor: z.number().nullable() });

export const vacantUnitRow = z.object({
  id: z.string(),
  erpRef: z.string(),
  residence: z.string(),
  address: z.string(),
  postalCode: z.string(),
  city: z.string(),
  rooms: z.number().nullable(),
  floor: z.number().nullable(),
});

export const lendingOfferRow = z.object({
  id: z.string(),
  audience: z.enum(lendingAudiences),
  furnished: z.boolean(),
  availableFrom: z.string(),
  availableTo: z.string(),
  postalCode: z.string(),
  city: z.string(),
  capacity: z.number(),
  status: z.enum(offerStatuses),
  keeper: z.string(),
  /** Null when the address is hidden from the reader (a shelter: only its keeper and referent). */
  place: place.nullable(),
});
export type LendingOfferRow = z.infer<typeof lendingOfferRow>;

export const lendingRequestRow = z.object({
  id: z.string(),
  audience: z.enum(lendingAudiences),
  requesterKind: z.enum(requesterKinds),
  requesterName: z.string(),
  neededFrom: z.string(),
  neededTo: z.string(),
  area: z.string(),
  householdSize: z.number(),
  referent: z.string(),
  status: z.enum(requestStatuses),
  lendingId: z.string().nullable(),
});
export type LendingRequestRow = z.infer<typeof lendingRequestRow>;

export const lendingRow = z.object({
  id: z.string(),
  offerId: z.string(),
  requestId: z.string(),
  audience: z.enum(lendingAudiences),
  requesterName: z.string(),
  from: z.string(),
  to: z.string(),
  status: z.enum(lendingStatuses),
  keysHandedAt: z.string().nullable(),
  keysReturnedAt: z.string().nullable(),
  keeper: z.string(),
  referent: z.string(),
  place: place.nullable(),
});
export type LendingRow = z.infer<typeof lendingRow>;

export const lendingMatch = z.object({ offer: lendingOfferRow, score: z.number() });

// ——— Volunteers: recruitment and onboarding ———

export const volunteerSkills = ['calls', 'deliveries', 'sewing', 'languages'] as const;
export type VolunteerSkill = (typeof volunteerSkills)[number];
export const volunteerSkillLabels: Record<VolunteerSkill, string> = {
  calls: 'Appels aux locataires',
  deliveries: 'Livraisons (repas, courses, médicaments)',
  sewing: 'Couture',
  languages: 'Langues parlées (traduction)',
};

/** What the public page needs to show its form: whose page, and the signed form token with its proof-of-work challenge. */
export const volunteerForm = z.object({
  organisation: z.string(),
  intro: z.string(),
  token: z.string(),
  /** Leading zero bits SHA-256(token + ':' + nonce) must have. */
  difficulty: z.number(),
});
export type VolunteerForm = z.infer<typeof volunteerForm>;

/** A sign-up from the public page. `website` is the honeypot: people leave it empty (it is hidden). */
export const volunteerSignUpBody = z.strictObject({
  firstName: z.string().trim().min(1, 'Indiquez votre prénom.').max(80, 'Prénom trop long.'),
  lastName: z.string().trim().min(1, 'Indiquez votre nom.').max(80, 'Nom trop long.'),
  email: z.string().trim().toLowerCase().email('Adresse e-mail invalide.').max(254, 'Adresse e-mail trop longue.'),
  phone: z.string().trim().max(30, 'Numéro trop long.').optional(),
  availability: z.string().trim().min(1, 'Indiquez vos disponibilités.').max(300, 'Disponibilités : 300 caractères au plus.'),
  skills: z.array(z.enum(volunteerSkills, { message: 'Compétence inconnue.' })).min(1, 'Choisissez au moins une façon d’aider.'),
  languages: z.string().trim().max(200, 'Langues : 200 caractères au plus.').optional(),
  area: z.string().trim().min(1, 'Indiquez votre quartier ou votre commune.').max(100, 'Secteur : 100 caractères au plus.'),
  website: z.string().optional(),
  token: z.string().min(1).max(500),
  nonce: z.string().max(40),
});
export type VolunteerSignUpBody = z.infer<typeof volunteerSignUpBody>;

export const applicationStatuses = ['pending', 'accepted', 'declined'] as const;

export const volunteerApplicationRow = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  availability: z.string(),
  skills: z.array(z.enum(volunteerSkills)),
  languages: z.string().nullable(),
  area: z.string(),
  status: z.enum(applicationStatuses),
  createdAt: z.string(),
});
export type VolunteerApplicationRow = z.infer<typeof volunteerApplicationRow>;

export const volunteerDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), endDate: day('Date de fin d’accès invalide.') }),
  z.strictObject({ decision: z.literal('decline') }),
]);

export const volunteerPageBody = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/, 'Adresse de la page : 2 à 40 lettres minuscules, chiffres ou tirets.'),
  open: z.boolean(),
  intro: z.string().max(2000, 'Présentation : 2 000 caractères au plus.'),
});
export const volunteerPageRow = volunteerPageBody.extend({ slug: z.string() }).nullable();

const trainingQuestion = z.strictObject({
  question: z.string().trim().min(3, 'Question trop courte.').max(300, 'Question trop longue.'),
  options: z
    .array(z.string().trim().min(1, 'Réponse vide.').max(200, 'Réponse trop longue.'))
    .min(2, 'Au moins deux réponses.')
    .max(6, 'Six réponses au plus.'),
  answer: z.number().int().min(0),
});
export const volunteerTrainingBody = z
  .strictObject({
    content: z.string().trim().min(20, 'Le contenu de la formation est trop court.').max(20000, 'Contenu trop long.'),
    questions: z.array(trainingQuestion).min(1, 'Au moins une question.').max(10, 'Dix questions au plus.'),
  })
  .refine((t) => t.questions.every((q) => q.answer < q.options.length), { message: 'Chaque question doit désigner une de ses réponses.', path: ['questions'] });
export type VolunteerTrainingBody = z.infer<typeof volunteerTrainingBody>;

/** The training as a volunteer reads it: no answers. */
export const volunteerTrainingView = z.object({
  version: z.number(),
  content: z.string(),
  questions: z.array(z.object({ question: z.string(), options: z.array(z.string()) })),
  passed: z.boolean(),
});
export const trainingAnswersBody = z.strictObject({ version: z.number().int(), answers: z.array(z.number().int().min(0)) });
export const trainingResult = z.object({ passed: z.boolean(), wrong: z.array(z.number()) });

/** A volunteer's own page: what they did, and whether they are paused. */
export const volunteerTally = z.object({
  callsMade: z.number(),
  deliveriesDone: z.number(),
  paused: z.boolean(),
  trainingRequired: z.boolean(),
  trainingPassed: z.boolean(),
});
export const volunteerPauseBody = z.strictObject({ paused: z.boolean() });

// ——— Deliveries ———

export const deliveryKinds = ['meal', 'groceries', 'medicines'] as const;
export type DeliveryKind = (typeof deliveryKinds)[number];
export const deliveryKindLabels: Record<DeliveryKind, string> = { meal: 'Repas', groceries: 'Courses', medicines: 'Médicaments' };
export const deliveryStatuses = ['assigned', 'done', 'not_home', 'refused'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
export const deliveryStatusLabels: Record<DeliveryStatus, string> = { assigned: 'À livrer', done: 'Livré', not_home: 'Absent (deux fois)', refused: 'Refusé' };
export const deliveryOutcomes = ['done', 'not_home', 'refused'] as const;

export const deliveryBody = z
  .strictObject({
    householdId: id,
    kind: z.enum(deliveryKinds, { message: 'Type de livraison invalide.' }),
    detail: z.string().trim().min(1).max(200, 'Détail : 200 caractères au plus.').optional(),
    dueOn: day('Date de livraison invalide.'),
    assigneeId: id,
  })
  .refine((b) => b.kind !== 'medicines' || !b.detail, {
    message: 'Une livraison de médicaments ne porte aucun détail (secret médical).',
    path: ['detail'],
  });
export type DeliveryBody = z.infer<typeof deliveryBody>;
export const deliveryOutcomeBody = z.strictObject({ outcome: z.enum(deliveryOutcomes, { message: 'Résultat invalide.' }) });

/** The deliverer's card, on a phone: the first name, the door and a phone. Nothing else of the household. */
export const delivererCard = z.object({
  id: z.string(),
  kind: z.enum(deliveryKinds),
  detail: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(deliveryStatuses),
  notHomeCount: z.number(),
  firstName: z.string(),
  address: z.string(),
  unit: z.string(),
  floor: z.number().nullable(),
  phone: z.string().nullable(),
});
/** Why a volunteer sees no card yet: the charter, the training, or their own pause (null: nothing holds them back). */
export const volunteerBlocks = ['charter', 'training', 'paused'] as const;
export const myDeliveries = z.object({ blocked: z.enum(volunteerBlocks).nullable(), message: z.string().nullable(), cards: z.array(delivererCard) });
export type MyDeliveries = z.infer<typeof myDeliveries>;

/** A delivery as staff follow it. */
export const deliveryRow = z.object({
  id: z.string(),
  householdId: z.string(),
  household: z.string(),
  kind: z.enum(deliveryKinds),
  detail: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(deliveryStatuses),
  notHomeCount: z.number(),
  assignee: z.string(),
});
export const delivererRow = z.object({ id: z.string(), name: z.string(), role: z.enum(['volunteer', 'caretaker']) });

// ——— Food distributions ———

export const distributionKinds = ['food_parcel', 'meals', 'hygiene_kit'] as const;
export type DistributionKind = (typeof distributionKinds)[number];
export const distributionKindLabels: Record<DistributionKind, string> = { food_parcel: 'Colis alimentaires', meals: 'Repas', hygiene_kit: 'Kits d’hygiène' };

export const distributionBody = z.strictObject({
  partnerId: id,
  kind: z.enum(distributionKinds, { message: 'Type de distribution invalide.' }),
  heldOn: day('Date invalide.'),
  place: z.string().trim().min(2, 'Indiquez le lieu.').max(200, 'Lieu : 200 caractères au plus.'),
  capacity: z.number().int().min(1, 'Au moins un ménage.').max(2000, 'Au plus 2 000 ménages.'),
});
export type DistributionBody = z.infer<typeof distributionBody>;

/** Invite households: the open cases of type « food », or a segment of the registry; never past the capacity. */
export const distributionInviteBody = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('food_cases') }),
  z.strictObject({ from: z.literal('segment'), segment: householdFilters }),
]);
export const attendanceBody = z.strictObject({ householdId: id, attended: z.boolean() });

/** How a distribution's or an outreach event's households were invited: by SMS, by letter (the send's letters PDF), not at all. */
export const invitationFigures = z.object({ sendId: z.string(), sms: z.number(), letters: z.number(), excluded: z.number() });

export const distributionRow = z.object({
  id: z.string(),
  partner: z.string(),
  kind: z.enum(distributionKinds),
  heldOn: z.string(),
  place: z.string(),
  capacity: z.number(),
  invited: z.number(),
  attended: z.number(),
  invitations: invitationFigures.nullable(),
});

/** The partner's list: only what it needs at the door — the name to call out, how many people. No address, phone, or why. */
export const partnerListLine = z.object({ householdId: z.string(), name: z.string(), persons: z.number(), attended: z.boolean().nullable() });
export const partnerList = z.object({
  partner: z.string(),
  kind: z.enum(distributionKinds),
  heldOn: z.string(),
  place: z.string(),
  lines: z.array(partnerListLine),
});
export type PartnerList = z.infer<typeof partnerList>;

// ——— Outreach events ———

export const outreachTopics = ['arrears', 'technical', 'health', 'isolation', 'other'] as const;
export type OutreachTopic = (typeof outreachTopics)[number];
export const outreachTopicLabels: Record<OutreachTopic, string> = {
  arrears: 'Impayés',
  technical: 'Technique',
  health: 'Santé',
  isolation: 'Isolement',
  other: 'Autre',
};

export const outreachEventBody = z.strictObject({
  residenceId: id,
  heldOn: day('Date invalide.'),
  partnerIds: z.array(id).max(20).default([]),
  staffIds: z.array(id).max(30).default([]),
});

/**
 * A contact, quickly: the topics raised, and the household when known. A health topic with a
 * household opens a health case only with the tenant's agreement to be followed (TRUST DP-03).
 */
export const outreachContactBody = z.strictObject({
  householdId: id.optional(),
  topics: z.array(z.enum(outreachTopics, { message: 'Sujet inconnu.' })).min(1, 'Choisissez au moins un sujet.'),
  healthAgreed: z.boolean().default(false),
});

export const outreachEventRow = z.object({
  id: z.string(),
  residence: z.string(),
  heldOn: z.string(),
  contacts: z.number(),
  invitations: invitationFigures.nullable(),
});
export const outreachSummary = z.object({
  id: z.string(),
  residence: z.string(),
  heldOn: z.string(),
  partners: z.array(z.string()),
  staff: z.array(z.string()),
  contacts: z.number(),
  withHousehold: z.number(),
  topics: z.record(z.enum(outreachTopics), z.number()),
  casesOpened: z.number(),
});

// ——— Calls for help by SMS ———

/** A call for help: the short question, the skill sought, the audience (volunteers with the skill, or the tenants of a segment). */
export const helpCallBody = z.strictObject({
  question: z.string().trim().min(5, 'Écrivez la question (au moins 5 caractères).').max(200, 'La question tient en 200 caractères (un SMS).'),
  skill: z.enum(volunteerSkills, { message: 'Savoir-faire inconnu.' }),
  audience: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('volunteers') }),
    z.strictObject({ kind: z.literal('segment'), filters: householdFilters }),
  ]),
});
export type HelpCallBody = z.infer<typeof helpCallBody>;

export const helpCallStatuses = ['draft', 'sent', 'closed'] as const;
export const helpCallStatusLabels: Record<(typeof helpCallStatuses)[number], string> = { draft: 'Simulation', sent: 'Envoyé', closed: 'Clos' };

/** The answers' counts: sent, « oui », « non », no answer yet. */
export const helpCallCounts = z.object({ sent: z.number(), yes: z.number(), no: z.number(), none: z.number() });

export const helpCallRow = z.object({
  id: z.string(),
  question: z.string(),
  skill: z.enum(volunteerSkills),
  audience: z.enum(['volunteers', 'segment']),
  status: z.enum(helpCallStatuses),
  createdAt: z.string(),
  /** The dry run: who will get the SMS, and who not (messaging's exclusion reasons). */
  plan: z.object({ total: z.number(), channels: z.record(z.string(), z.number()), excluded: z.record(z.string(), z.number()) }),
  counts: helpCallCounts,
});
export type HelpCallRow = z.infer<typeof helpCallRow>;

/** One « oui », for staff to follow up: the name and phone, the note, how they answered. */
/** Who answered a call for help: a tenant of the segment or one of the landlord's volunteers. */
export const helpCallRecipientKinds = ['tenant', 'volunteer'] as const;
export const helpCallRecipientKindLabels: Record<(typeof helpCallRecipientKinds)[number], string> = { tenant: 'locataire', volunteer: 'bénévole' };

export const helpCallYes = z.object({
  recipientId: z.string(),
  kind: z.enum(helpCallRecipientKinds),
  name: z.string(),
  phone: z.string(),
  note: z.string().nullable(),
  via: z.enum(['link', 'sms']),
  answeredAt: z.string(),
  /** The volunteer sign-up made from a tenant's « oui ». */
  applicationId: z.string().nullable(),
});
export const helpCallDetail = helpCallRow.extend({ yes: z.array(helpCallYes) });
export type HelpCallDetail = z.infer<typeof helpCallDetail>;

/** The public answer page: whose question, the question, the answer given so far. */
export const helpAnswerView = z.object({
  organisation: z.string(),
  question: z.string(),
  open: z.boolean(),
  answer: z.enum(['yes', 'no']).nullable(),
  note: z.string().nullable(),
});
export type HelpAnswerView = z.infer<typeof helpAnswerView>;

export const helpAnswerBody = z.strictObject({
  answer: z.enum(['yes', 'no'], { message: 'Répondez oui ou non.' }),
  note: z.string().trim().max(300, 'Vos disponibilités tiennent en 300 caractères.').optional(),
});

/** Staff turn a tenant's « oui » into a volunteer sign-up; the e-mail when the household has none (the invitation goes by e-mail). */
export const helpCallVolunteerBody = z.strictObject({ email: z.string().trim().email('Adresse e-mail invalide.').max(254).optional() });
