/** What a provider adapter of the outbox is and what it may answer. */
import type { ProviderGuard } from './guard.ts';
import type { Sealed } from './sealing.ts';

/**
 * What an adapter is given to deliver. `key` is stable across retries of one message. `body` is
 * the text everyone may read (personal links masked); `sealed`, when present, is the full text
 * for the recipient only, which the adapter opens with its key at the moment it hands it over.
 */
export type OutgoingMessage = {
  key: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  sealed?: Sealed | null;
  /** SMS only: a `marketing` SMS (not a reply to the tenant's own request) carries the opt-out mention. */
  smsType?: 'transactional' | 'marketing';
};
export type DeliveryResult = { status: 'sent' | 'delivered_locally'; providerMessageId: string | null };

/** The provider did not take the message (outage, 5xx, refused connection): it is delayed and tried again later, never lost (TRUST FT-06). */
export class ProviderUnavailable extends Error {}
/** The request may have reached the provider but no answer came back: without idempotency keys, the message becomes `unknown` (FT-02). */
export class DeliveryUncertain extends Error {}
/** The provider refused this message for good (invalid number, empty text): retrying cannot help. */
export class ProviderRefused extends Error {}

/** A provider behind the outbox. */
export type OutboxAdapter = {
  name: string;
  /**
   * Whether the provider de-duplicates on `key`. If not, a message whose earlier attempt may
   * have reached the provider is marked `unknown` instead of being sent again.
   */
  idempotent: boolean;
  deliver: (message: OutgoingMessage) => Promise<DeliveryResult>;
  /** Rate limit and circuit breaker of this provider (FT-06). */
  guard?: ProviderGuard;
  /** An adapter that sends each channel through another: the one for this channel. */
  route?: (channel: 'email' | 'sms') => OutboxAdapter;
};
