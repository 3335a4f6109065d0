/**
 * What solidarity asks of the messaging module (issue 17), which plugs in from its index (as it
 * does for the campaigns' ladder): the invitations to a food distribution or an outreach event
 * (SMS, else a letter in the send's letters PDF, with messaging's channel choice), and who a call
 * for help reaches by SMS with the dry run's figures. Until messaging plugs in, nothing is sent.
 */
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Deps } from '../deps.ts';
import type { Scope } from '../registry/index.ts';

/** A distribution or an outreach event, and the words of its invitation (what, when, where). */
export type InvitedEvent = { kind: 'distribution' | 'outreach'; id: string; text: string };

/** How a distribution's or event's households were invited. */
export type InvitationFigures = { sendId: string; sms: number; letters: number; excluded: number };

/** The dry run's figures (messaging's plan: per channel, per exclusion reason). */
export type AudiencePlan = { total: number; channels: Record<string, number>; excluded: Record<string, number> };

/** One person a call for help reaches by SMS. */
export type HelpCallReached = { householdId: string | null; userId: string | null; mobile: string; firstName: string };

export type HelpCallAudience =
  | { kind: 'segment'; filters: HouseholdFilters; scope: Scope }
  | { kind: 'volunteers'; people: { userId: string; mobile: string | null; firstName: string; lastName: string }[] };

export type SolidarityMessaging = {
  /** Writes to these households in the caller's transaction, adding to the event's send when it has one; the send's id. */
  invite(
    deps: Deps,
    trx: Tx,
    i: { organisationId: string; userId: string; scope: Scope; event: InvitedEvent; sendId: string | null; householdIds: readonly string[] },
  ): Promise<string | null>;
  /** The figures of an invitation send. */
  figures(trx: Tx, sendId: string): Promise<InvitationFigures | null>;
  /** Who a call for help reaches by SMS (a mobile, no « pas de SMS », no STOP), and the dry run. */
  helpCallAudience(trx: Tx, audience: HelpCallAudience): Promise<{ plan: AudiencePlan; reached: HelpCallReached[] }>;
};

let messaging: SolidarityMessaging = {
  invite: async () => null,
  figures: async () => null,
  helpCallAudience: async () => ({ plan: { total: 0, channels: {}, excluded: {} }, reached: [] }),
};

/** The messaging module's hook. */
export function provideSolidarityMessaging(impl: SolidarityMessaging) {
  messaging = impl;
}

export const solidarityMessaging = (): SolidarityMessaging => messaging;

const dayFormat = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** « samedi 12 décembre 2026 » for a day `YYYY-MM-DD` (the 1st as « 1er »). */
export const frenchDay = (day: string) => dayFormat.format(new Date(`${day}T12:00:00Z`)).replace(/ 1 /, ' 1er ');
