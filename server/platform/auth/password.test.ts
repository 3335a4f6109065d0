import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './password.ts';

describe('password policy (AA-06)', () => {
  it('refuses fewer than 12 characters, with a French message', () => {
    expect(() => assertAcceptablePassword('onze-chars!')).toThrow('au moins 12 caractères');
  });
  it('accepts 12 characters without any composition rule', () => {
    expect(() => assertAcceptablePassword('toutenminusc')).not.toThrow();
  });
  it('accepts long passphrases (64+ characters)', () => {
    expect(() => assertAcceptablePassword('le petit chat est dans le jardin et il regarde les oiseaux voler au loin')).not.toThrow();
  });
  it('refuses the commonest breached passwords and repeated characters', () => {
    expect(() => assertAcceptablePassword('Azerty123456')).toThrow('piratés');
    expect(() => assertAcceptablePassword('aaaaaaaaaaaaaaa')).toThrow('piratés');
  });
  it('refuses a password containing the e-mail name', () => {
    expect(() => assertAcceptablePassword('jean.dupont-2026', 'jean.dupont@exemple.fr')).toThrow('adresse e-mail');
  });
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('une phrase de passe');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'une phrase de passe')).toBe(true);
    expect(await verifyPassword(hash, 'une autre phrase')).toBe(false);
    expect(await verifyPassword(null, 'x')).toBe(false);
  });
});
