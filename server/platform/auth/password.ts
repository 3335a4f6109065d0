import { hash, verify } from '@node-rs/argon2';
import { passwordSchema } from '../../../contracts/auth.ts';
import { invalid } from '../errors/app-error.ts';

// OWASP-recommended argon2id parameters (m=19 MiB, t=2, p=1).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

// The commonest breached passwords of 12+ characters (from public breach top lists), refused
// outright; length does the rest (no composition rules, per NIST SP 800-63B and ANSSI).
const breached = new Set([
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'azertyuiopqs',
  'motdepasse123',
  'password1234',
  'passwordpassword',
  'azertyazerty',
  'qwertyqwerty',
  '111111111111',
  '000000000000',
  'abcdefghijkl',
  'iloveyou1234',
  'motdepassemotdepasse',
  'soleil123456',
  'bonjour12345',
  'changeme1234',
  'administrateur',
  'welcome12345',
  'football1234',
  'azerty123456',
  'qwerty123456',
  '123456789abc',
  'aaaaaaaaaaaa',
]);

/** Check the password policy; throws a French 422 naming the rule. */
export function assertAcceptablePassword(password: string, email?: string): void {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw invalid('weak_password', parsed.error.issues[0]?.message ?? 'Mot de passe refusé.');
  const lower = password.toLowerCase();
  if (breached.has(lower) || /^(.)\1+$/.test(password)) {
    throw invalid('breached_password', 'Ce mot de passe figure parmi les plus courants et les plus piratés. Choisissez une phrase de passe.');
  }
  if (email && lower.includes(email.split('@')[0] ?? '\0')) {
    throw invalid('weak_password', 'Le mot de passe ne doit pas contenir votre adresse e-mail.');
  }
}

/** Hash with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verifying against a real hash when the account does not exist keeps timing uniform.
const dummyHash = hash('lien-dummy-password-for-timing', options);

/** Verify a password; with no stored hash, spends the same time and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
