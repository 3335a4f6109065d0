import { z } from 'zod';
import { abilities } from './abilities.ts';
import { roles } from './roles.ts';
import { secondFactorCodePattern, signInMessages } from './sign-in-fields.ts';

/** Passwords: at least 12 characters, no composition rules, long passphrases welcome. */
export const passwordSchema = z
  .string()
  .min(12, 'Le mot de passe doit contenir au moins 12 caractères.')
  .max(256, 'Le mot de passe ne peut pas dépasser 256 caractères.');

export const emailSchema = z.string().trim().toLowerCase().email(signInMessages.email).max(254);

/**
 * Sign-in with e-mail and password. An address may have an account in several organisations:
 * when the password fits more than one, the answer (409 `organisation_choice_required`) lists
 * them and the form resubmits with the chosen `organisationId`.
 */
export const signInBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, signInMessages.password).max(256),
  organisationId: z.string().uuid().optional(),
});

/** The organisations offered when the password fits accounts in several of them. */
const organisationChoice = z.object({ id: z.string().uuid(), name: z.string() });
export type OrganisationChoice = z.infer<typeof organisationChoice>;

/** Second factor: a 6-digit TOTP code. */
export const totpCodeBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Le code comporte 6 chiffres.'),
});

/**
 * At the second-factor step and at re-authentication: the 6-digit code of the application, or
 * one of the recovery codes (« ABCD-EFGH-JKLM-NPQR », any case, dashes optional).
 */
const secondFactorCode = z.string().trim().regex(secondFactorCodePattern, signInMessages.code);

export const secondFactorBody = z.strictObject({ code: secondFactorCode });

/** Where the session stands after a sign-in step. */
const sessionStage = z.enum(['second_factor', 'enrolment', 'active']);

/** The signed-in user as the web app sees it. */
export const me = z.object({
  id: z.string().uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(roles),
  organisation: z.object({ id: z.string().uuid(), name: z.string(), slug: z.string() }),
  agencyIds: z.array(z.string().uuid()),
  totpEnabled: z.boolean(),
  /** Unused recovery codes left (0 when the second factor is not enrolled). */
  recoveryCodesLeft: z.number().int(),
  stage: sessionStage,
  /** What the user may do (empty until the second factor is done); pages decide from these, not from roles. */
  abilities: z.array(z.enum(abilities)),
});
export type Me = z.infer<typeof me>;

export const signInResult = z.object({ stage: sessionStage });

export const totpEnrolment = z.object({ secret: z.string(), uri: z.string(), qrCodeDataUrl: z.string() });

/** One-time recovery codes, shown once: at enrolment and when regenerated. */
export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/** Enrolment confirmed: the session is active and the recovery codes are shown once. */
export const enrolmentConfirmed = z.object({ stage: z.literal('active'), recoveryCodes: z.array(z.string()) });

/** Demo organisation only: the current code of the signed-in demo account. */
export const demoCode = z.object({ code: z.string().nullable(), secondsLeft: z.number().int() });

export const passwordResetRequestBody = z.strictObject({ email: emailSchema });
/** Completing a reset or an invitation: the token from the e-mailed link and the new password. */
export const passwordSetBody = z.strictObject({ token: z.string().min(20).max(200), password: passwordSchema });

/** The form that chooses a password: typed twice, the same both times. */
export const newPasswordForm = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Les deux mots de passe ne sont pas identiques.' });

/** Confirm identity again before a sensitive action (bulk export…). */
export const reauthenticateBody = z.strictObject({
  password: z.string().min(1).max(256),
  code: secondFactorCode.optional(),
});
