import { hash, verify } from '@node-rs/argon2';
import { loadPasswordScorer } from '../../../contracts/password-strength.ts';
import { invalid } from '../errors/app-error.ts';

// OWASP-recommended argon2id parameters (m=19 MiB, t=2, p=1).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

// zxcvbn-ts with the common (breached passwords) and French dictionaries, the same rule the
// page shows as the user types (contracts/password-strength.ts). Loaded once, at start.
const scorePassword = await loadPasswordScorer();

/**
 * Check the password policy (AA-06: 12 characters at least, 64+ accepted, no composition rules,
 * common and breached passwords refused); throws a French 422 saying why.
 */
export function assertAcceptablePassword(password: string, email?: string): void {
  const name = email?.split('@')[0]?.toLowerCase() ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name)) {
    throw invalid('weak_password', 'Le mot de passe ne doit pas contenir votre adresse e-mail.');
  }
  const verdict = scorePassword(password, name ? [name, ...name.split(/[._-]+/)] : []);
  if (!verdict.acceptable) {
    const code = verdict.score === 0 && (password.length < 12 || password.length > 256) ? 'weak_password' : 'guessable_password';
    throw invalid(code, [verdict.reason, verdict.hint].filter(Boolean).join(' '));
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
