/**
 * The sign-in fields' rules, without zod: `contracts/auth.ts` builds its schemas from them and
 * the sign-in pages check them with Mantine's own validators, so the first page a phone loads
 * does not download zod (see docs/architecture.md, « The web »).
 */
export const signInMessages = {
  email: 'Adresse e-mail invalide.',
  password: 'Saisissez votre mot de passe.',
  code: 'Saisissez le code à 6 chiffres de votre application, ou un code de secours.',
} as const;

/** The application's 6 digits, or a recovery code (four groups of four, spaces or dashes allowed). */
export const secondFactorCodePattern = /^(\d{6}|[A-Za-z0-9]{4}([\s-]?[A-Za-z0-9]{4}){3})$/;
