import { z } from 'zod';

/** A residence (group of buildings) of the registry, with its caretaker (« gardien·ne »). */
export const residenceRow = z.object({
  id: z.string().uuid(),
  erpCode: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  qpv: z.boolean(),
  agencyId: z.string().uuid(),
  agency: z.string(),
  households: z.number().int(),
  caretakerId: z.string().uuid().nullable(),
  caretakerName: z.string().nullable(),
  /** False when the caretaker was deactivated or left the agency: the visits then go to every caretaker of the agency. */
  caretakerServing: z.boolean(),
});
export type ResidenceRow = z.infer<typeof residenceRow>;

export const residenceListQuery = z
  .object({
    agencyId: z.string().uuid().optional(),
    /** Name, address, city or ERP code, accents and case ignored. */
    q: z.string().trim().max(100).optional(),
  })
  .strict();

/** A caretaker who may be given residences: active, with the agencies they belong to (none: the whole organisation). */
export const caretakerOption = z.object({ id: z.string().uuid(), name: z.string(), agencyIds: z.array(z.string().uuid()) });
export type CaretakerOption = z.infer<typeof caretakerOption>;

/** Give a residence its caretaker, or none (null): later doorstep visits go to them, pending ones too. */
export const caretakerBody = z.object({ caretakerId: z.string().uuid().nullable() }).strict();
