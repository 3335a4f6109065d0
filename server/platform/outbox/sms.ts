/** SMS rules shared by the sender and the messaging module: the opt-out mention and STOP replies. */
import { smsOptOutMention as plainMention } from '../../../contracts/messaging.ts';
import type { Config } from '../../config.ts';

type MentionConfig = Pick<Config, 'SMS_PROVIDER' | 'SMS_OPT_OUT_MENTION'>;

/**
 * The opt-out mention every non-transactional SMS carries (French operators' rule, « STOP au
 * 36xxx »). With Brevo, its `[STOP CODE]` placeholder is replaced by the short code of the route
 * the SMS takes; SMS_OPT_OUT_MENTION overrides it.
 */
export function smsOptOutMention(config: MentionConfig): string {
  if (config.SMS_OPT_OUT_MENTION) return config.SMS_OPT_OUT_MENTION;
  return config.SMS_PROVIDER === 'brevo' ? 'STOP au [STOP CODE]' : plainMention;
}

/** The text with the opt-out mention at its end (once: a text that already ends with it is unchanged). */
export function withSmsOptOutMention(body: string, config: MentionConfig): string {
  const mention = smsOptOutMention(config);
  const trimmed = body.trimEnd();
  return trimmed.endsWith(mention) ? trimmed : `${trimmed}\n${mention}`;
}

const stopWords = new Set(['stop', 'stop sms', 'stopsms', 'arret', 'arret sms', 'desabonner', 'desabonnement', 'desinscription', 'desinscrire', 'unsubscribe']);

/**
 * Whether an SMS reply asks to receive no more SMS: STOP and its usual French variants (« Stop »,
 * « STOP SMS », « arrêt », « désabonner », « désinscription »), whatever the case, accents and
 * punctuation. A sentence that merely contains « stop » is not an opt-out.
 */
export function isStopReply(text: string): boolean {
  const word = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return stopWords.has(word);
}

/** Brevo writes numbers as digits with their country code (« 33612345678 »); Lien stores E.164 (« +33612345678 »). */
export function fromProviderNumber(value: string): string | null {
  const digits = value.replace(/[\s.+-]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}

/** E.164 (« +33612345678 ») to Brevo's form (« 33612345678 »). */
export const toProviderNumber = (e164: string) => e164.replace(/^\+/, '');
