// The statuses of a message in the outbox (SMS and e-mail), with their one French label each: the
// outbox page, the household timeline and the dashboards all read them from here.
import { word } from './plural.ts';

export const messageStatuses = ['queued', 'sending', 'delayed', 'sent', 'delivered', 'delivered_locally', 'opted_out', 'failed', 'unknown'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** Singular and plural of each status, as said of a message (« SMS distribué », « SMS distribués »). */
const labels: Record<MessageStatus, readonly [string, string]> = {
  queued: ['en attente', 'en attente'],
  sending: ['en cours d’envoi', 'en cours d’envoi'],
  delayed: ['retardé', 'retardés'],
  sent: ['envoyé', 'envoyés'],
  delivered: ['distribué', 'distribués'],
  delivered_locally: ['déposé dans la boîte locale', 'déposés dans la boîte locale'],
  opted_out: ['non envoyé (STOP)', 'non envoyés (STOP)'],
  failed: ['en échec', 'en échec'],
  unknown: ['à vérifier', 'à vérifier'],
};

/** The status in French, agreed with `count` (1 by default); an unknown status is shown as it is. */
export function messageStatusLabel(status: string, count = 1): string {
  const pair = labels[status as MessageStatus];
  return pair ? word(count, pair[0], pair[1]) : status;
}

/** Statuses that count as sent on the dashboards: handed to the provider, delivered, or kept locally. */
export const sentStatuses: readonly MessageStatus[] = ['sent', 'delivered', 'delivered_locally'];
