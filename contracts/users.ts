import { z } from 'zod';
import { emailSchema } from './auth.ts';
import { roles } from './roles.ts';

const name = z.string().trim().min(1, 'Champ obligatoire.').max(100);

/** A user as the organisation admin sees it. */
export const user = z.object({
  id: z.string().uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(roles),
  status: z.enum(['invited', 'active', 'inactive']),
  agencyIds: z.array(z.string().uuid()),
  totpEnabled: z.boolean(),
  endDate: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

/** Invite a user: an e-mail with a single-use link to choose a password is sent. */
export const inviteUserBody = z.strictObject({
  email: emailSchema,
  firstName: name,
  lastName: name,
  role: z.enum(roles),
  agencyIds: z.array(z.string().uuid()).max(100).default([]),
  endDate: z.iso.date().nullable().optional(),
});

/**
 * The users form (invitation, or change of role, agencies and end date): the date field is empty
 * or a date, and a volunteer's account must end (the service checks it again).
 */
export const userForm = z
  .strictObject({
    email: emailSchema,
    firstName: name,
    lastName: name,
    role: z.enum(roles),
    agencyIds: z.array(z.string().uuid()).max(100),
    endDate: z.union([z.literal(''), z.iso.date('Date invalide.')]),
  })
  .refine((v) => v.role !== 'volunteer' || v.endDate !== '', { path: ['endDate'], message: "Un compte bénévole doit avoir une date de fin d'accès." });

/** Change a user's role, agency scope or end date. */
export const updateUserBody = z.strictObject({
  role: z.enum(roles).optional(),
  agencyIds: z.array(z.string().uuid()).max(100).optional(),
  endDate: z.iso.date().nullable().optional(),
});

export const agency = z.object({ id: z.string().uuid(), code: z.string(), name: z.string() });
export type Agency = z.infer<typeof agency>;

export const idParams = z.strictObject({ id: z.string().uuid('Identifiant invalide.') });
