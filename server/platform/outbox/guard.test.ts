import { describe, expect, it } from 'vitest';
import { providerGuard } from './guard.ts';

describe('circuit breaker (TRUST FT-06)', () => {
  it('opens after the threshold, half-opens after the cooldown for one trial at a time, closes on a success', () => {
    let t = 0;
    const guard = providerGuard({ ratePerSecond: 50, threshold: 3, cooldownMs: 30_000, now: () => t });
    guard.failed();
    guard.failed();
    expect(guard.closedFor()).toBe(0);
    guard.failed();
    expect(guard.closedFor()).toBe(30_000);
    t = 30_000;
    expect(guard.closedFor()).toBe(0); // the trial
    expect(guard.closedFor()).toBe(5000); // the others wait
    t = 31_000;
    expect(guard.closedFor()).toBe(4000);
    // The trial's answer never came (neither success nor failure): another trial 5 s later.
    t = 35_000;
    expect(guard.closedFor()).toBe(0);
    guard.failed(); // it failed: open again for the whole cooldown
    expect(guard.closedFor()).toBe(30_000);
    t = 65_000;
    expect(guard.closedFor()).toBe(0);
    guard.succeeded();
    expect(guard.closedFor()).toBe(0);
    expect(guard.closedFor()).toBe(0);
  });
});
