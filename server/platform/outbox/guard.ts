/**
 * What protects a provider and the messages from each other (TRUST FT-06): a rate limit (messages
 * per second, per sending process) and a circuit breaker. After `threshold` outages in a row the
 * breaker opens: for `cooldownMs` no message is handed to the provider, each is put back as
 * `delayed` with a new job due when the breaker half-opens; then one message tries, and a success
 * closes it. Nothing is lost: a delayed message keeps its row and its job.
 */
export type ProviderGuard = {
  /** Wait for the next sending slot. */
  slot: () => Promise<void>;
  /** Milliseconds until the provider may be tried again; 0 when it may be tried now. */
  closedFor: () => number;
  succeeded: () => void;
  failed: () => void;
};

export function providerGuard(options: { ratePerSecond: number; threshold?: number; cooldownMs?: number; now?: () => number }): ProviderGuard {
  const now = options.now ?? Date.now;
  const threshold = options.threshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const interval = 1000 / options.ratePerSecond;
  let nextSlot = 0;
  let failures = 0;
  let openUntil = 0;
  let trialAt = 0;
  return {
    async slot() {
      const t = now();
      const at = Math.max(t, nextSlot);
      nextSlot = at + interval;
      if (at > t) await new Promise((resolve) => setTimeout(resolve, at - t));
    },
    closedFor() {
      const t = now();
      if (t < openUntil) return openUntil - t;
      if (failures >= threshold) {
        // Half open: one message tries every few seconds until one gets through (or fails and reopens).
        const trialEvery = Math.min(cooldownMs, 5000);
        if (t - trialAt < trialEvery) return trialEvery - (t - trialAt);
        trialAt = t;
      }
      return 0;
    },
    succeeded() {
      failures = 0;
      openUntil = 0;
      trialAt = 0;
    },
    failed() {
      failures++;
      if (failures >= threshold) openUntil = now() + cooldownMs;
    },
  };
}
