import { describe, expect, it } from 'vitest';
import { currentTotp, matchTotp, newTotpSecret } from './totp.ts';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 10, 24, 12, 0, 10);

  it('accepts the current code and tells its time step', () => {
    expect(matchTotp(secret, currentTotp(secret, now), now)).toBe(Math.floor(now / 30_000));
  });
  it('accepts one step of clock drift, not more', () => {
    expect(matchTotp(secret, currentTotp(secret, now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(matchTotp(secret, currentTotp(secret, now - 90_000), now)).toBeNull();
  });
  it('refuses a wrong code', () => {
    const code = currentTotp(secret, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(matchTotp(secret, wrong, now)).toBeNull();
  });
});
