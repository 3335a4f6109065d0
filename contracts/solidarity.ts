/**
 * Solidarity operations (issue 17): vacant homes lent to health workers and to people fleeing
 * violence. The shapes the API validates and the web shows, with their French labels.
 */
import { z } from 'zod';

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
