/**
 * Who receives a send, and how (issue 15): the channel of each household from its preferred
 * channel and what it has, the exclusions with their reason. Pure functions: the dry run and the
 * preparation job apply the same rules, and the unit test covers every case.
 */
import type { ExclusionReason, SendChannel, TemplateChannel } from '../../../contracts/messaging.ts';

/** What the rules read of a recipient (a household's holder, or a volunteer). */
export type Reachable = {
  left: boolean;
  restricted: boolean;
  noSms: boolean;
  preferred: 'phone' | 'sms' | 'email' | 'letter' | null;
  mobile: string | null;
  email: string | null;
  /** Has a postal address (volunteers do not: no letter for them). */
  postal: boolean;
};

/**
 * French mobile numbers in E.164: mainland 06/07, and the overseas departments' mobile ranges
 * (Réunion and Mayotte 0692–0693 and 0639, Guadeloupe 0690–0691, Guyane 0694, Martinique 0696–0697).
 */
const mobilePattern = /^\+33[67]\d{8}$|^\+262(69[23]|639)\d{6}$|^\+590(69[01])\d{6}$|^\+594694\d{6}$|^\+596(69[67])\d{6}$/;

/** Whether a number can receive an SMS (a French mobile; a landline cannot). */
export const isMobile = (value: string | null): value is string => value !== null && mobilePattern.test(value);

/** Whether a value looks like an e-mail address. */
export const isEmail = (value: string | null): value is string => value !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

export type Decision = { channel: SendChannel } | { excluded: ExclusionReason };

/**
 * The channel for one recipient. A household that left, or whose processing is restricted, gets
 * nothing. Otherwise its preferred channel when the template has it and the household can receive
 * it, else SMS, then e-mail, then a letter; a « pas de SMS » objection removes SMS. So a household
 * with neither a mobile nor an e-mail gets a letter (when the template is a letter too); when
 * nothing fits, the reason names what was missing: the objection, the mobile, or the e-mail.
 */
export function decide(r: Reachable, channels: readonly TemplateChannel[]): Decision {
  if (r.left) return { excluded: 'left' };
  if (r.restricted) return { excluded: 'no_contact' };
  const can: Record<SendChannel, boolean> = {
    sms: channels.includes('sms') && isMobile(r.mobile) && !r.noSms,
    email: channels.includes('email') && isEmail(r.email),
    letter: channels.includes('letter') && r.postal,
  };
  const preferred = r.preferred === 'sms' || r.preferred === 'email' || r.preferred === 'letter' ? r.preferred : null;
  if (preferred && can[preferred]) return { channel: preferred };
  for (const c of ['sms', 'email', 'letter'] as const) if (can[c]) return { channel: c };
  if (channels.includes('sms')) return { excluded: r.noSms && isMobile(r.mobile) ? 'no_sms' : 'no_mobile' };
  return { excluded: 'no_email' };
}

/** The dry run's figures. */
export type Plan = { total: number; channels: Record<SendChannel, number>; excluded: Record<ExclusionReason, number> };

export const emptyPlan = (): Plan => ({
  total: 0,
  channels: { sms: 0, email: 0, letter: 0 },
  excluded: { no_contact: 0, no_sms: 0, no_mobile: 0, no_email: 0, left: 0 },
});

/** Add one decision to the figures. */
export function count(plan: Plan, d: Decision) {
  plan.total++;
  if ('channel' in d) plan.channels[d.channel]++;
  else plan.excluded[d.excluded]++;
}

/** How many will receive something. */
export const recipientsOf = (plan: Plan) => plan.channels.sms + plan.channels.email + plan.channels.letter;
