import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, isTotpCode, newRecoveryCode, normaliseRecoveryCode } from './recovery-codes.ts';
import { currentTotp, matchTotp, newTotpSecret, nextUnusedTotp } from './totp.ts';

describe('recovery codes', () => {
  it('are four groups of four unambiguous characters, all different', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it('are read in any case, with or without dashes and spaces', () => {
    const code = newRecoveryCode();
    expect(normaliseRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(normaliseRecoveryCode('ABCD-EFGH-JKLM-NPQ0')).toBeNull();
    expect(normaliseRecoveryCode('ABCD-EFGH-JKLM')).toBeNull();
  });

  it('hash per user: the same code gives another hash for another user', () => {
    const code = newRecoveryCode();
    const a = hashRecoveryCode('u1', code);
    expect(a).toEqual(hashRecoveryCode('u1', code.toLowerCase()));
    expect(a).not.toEqual(hashRecoveryCode('u2', code));
    expect(a?.toString('hex')).not.toContain(code);
  });

  it('tells a TOTP code from a recovery code', () => {
    expect(isTotpCode('123456')).toBe(true);
    expect(isTotpCode(newRecoveryCode())).toBe(false);
  });
});

describe('the demo code', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 10, 24, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('is the current code when it has not been used, then the next one, then none', () => {
    expect(nextUnusedTotp(secret, null, now)?.code).toBe(currentTotp(secret, now));
    const next = nextUnusedTotp(secret, step, now);
    expect(next?.code).toBe(currentTotp(secret, now + 30_000));
    expect(matchTotp(secret, next?.code as string, now)).toBe(step + 1);
    expect(nextUnusedTotp(secret, step + 1, now)).toBeNull();
  });
});
