import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './password.ts';

const refusal = (password: string, email?: string) => {
  try {
    assertAcceptablePassword(password, email);
    return null;
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
};

describe('password policy (AA-06)', () => {
  it('refuses fewer than 12 characters, with a French message', () => {
    expect(refusal('onze-chars!')).toEqual({ code: 'weak_password', message: expect.stringContaining('au moins 12 caractères') });
  });
  it('accepts 12 characters without any composition rule', () => {
    expect(refusal('ours et lama')).toBeNull();
    expect(refusal('brocoli jazz')).toBeNull();
  });
  it('accepts long passphrases (64+ characters)', () => {
    const long = 'le petit chat est dans le jardin et il regarde les oiseaux voler au loin';
    expect(long.length).toBeGreaterThan(64);
    expect(refusal(long)).toBeNull();
    expect(refusal('une phrase de passe pour Inès')).toBeNull();
    expect(refusal('x'.repeat(200) + ' et puis une phrase de passe bien à moi')).not.toBeNull();
  });
  it('refuses guessable passwords that a 24-entry list let through, saying why in French', () => {
    for (const weak of ['motdepasse12', 'Password2026', 'Soleil2026!!']) {
      const r = refusal(weak);
      expect(r, weak).not.toBeNull();
      expect(r?.code, weak).toBe('guessable_password');
      expect(r?.message, weak).toMatch(/^Ce mot de passe est trop facile à deviner : .+\. .+/);
    }
    expect(refusal('Password2026')?.message).toContain('couramment utilisé');
  });
  it('refuses the commonest breached passwords and repeated characters', () => {
    expect(refusal('Azerty123456')?.code).toBe('guessable_password');
    expect(refusal('aaaaaaaaaaaaaaa')?.message).toContain('caractères répétés');
    expect(refusal('a'.repeat(70))).not.toBeNull();
  });
  it('refuses a password containing the e-mail name', () => {
    expect(refusal('jean.dupont-2026', 'jean.dupont@exemple.fr')?.message).toContain('adresse e-mail');
  });
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('une phrase de passe');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'une phrase de passe')).toBe(true);
    expect(await verifyPassword(hash, 'une autre phrase')).toBe(false);
    expect(await verifyPassword(null, 'x')).toBe(false);
  });
});
