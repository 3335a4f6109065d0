// Messaging (issue 15): the SMS counter shared by the server and the template page, the merge
// fields of a template and their French names. No zod here: the page imports it as is.

/**
 * The GSM 03.38 basic character set (7-bit default alphabet, 3GPP TS 23.038), one septet each.
 * French letters in it: é è ù ì ò à É Ç; not in it: ê â î ô û ë ï ç, the typographic apostrophe
 * « ’ » and the French quotes « », any of which turns the whole message into UCS-2.
 */
const gsmBasic = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');

/** The GSM extension table: each is sent as ESC + character, two septets. */
const gsmExtension = new Set('^{}\\[~]|€\f');

/** An SMS's encoding: the 7-bit GSM alphabet, or UCS-2 (UTF-16) as soon as one character is outside it. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export type SmsCount = {
  encoding: SmsEncoding;
  /** Length in the unit of the encoding: septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  length: number;
  /** Number of SMS billed: one up to 160 GSM-7 / 70 UCS-2 units, then parts of 153 / 67 (the rest carries the concatenation header). */
  segments: number;
  /** Units left in the last segment before another one starts. */
  remaining: number;
  /** The characters that forced UCS-2 (each once, in order of appearance), to help the writer replace them. */
  unicodeCharacters: string[];
};

/** Limits per encoding: a single SMS, and one part of a longer one. */
export const smsLimits = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

/** Whether every character of a text is in the GSM-7 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const c of text) if (!gsmBasic.has(c) && !gsmExtension.has(c)) return false;
  return true;
}

/**
 * Count an SMS (TRUST IN-10): its encoding, length and segments. A 160-character GSM-7 message is one
 * SMS, a 161-character one is two; 70 UCS-2 units one, 71 two. In a long message a two-septet
 * extension character or a surrogate pair is never split across two parts (as phones and
 * providers pack them), so a part may hold one unit less.
 */
export function countSms(text: string): SmsCount {
  const unicodeCharacters: string[] = [];
  for (const c of text) if (!gsmBasic.has(c) && !gsmExtension.has(c) && !unicodeCharacters.includes(c)) unicodeCharacters.push(c);
  const encoding: SmsEncoding = unicodeCharacters.length ? 'UCS-2' : 'GSM-7';
  // Width of each character in the encoding's units.
  const widths: number[] = [];
  for (const c of text) widths.push(encoding === 'GSM-7' ? (gsmExtension.has(c) ? 2 : 1) : c.length);
  const length = widths.reduce((a, b) => a + b, 0);
  const { single, part } = smsLimits[encoding];
  if (length === 0) return { encoding, length, segments: 0, remaining: single, unicodeCharacters };
  if (length <= single) return { encoding, length, segments: 1, remaining: single - length, unicodeCharacters };
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > part) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return { encoding, length, segments, remaining: part - used, unicodeCharacters };
}

/** The merge fields a template may use, with what each stands for (shown beside the editor). */
export const mergeFields = {
  civilite: 'Civilité du ou de la titulaire (« Madame », « Monsieur »)',
  prenom: 'Prénom du ou de la titulaire',
  nom: 'Nom du ou de la titulaire',
  agence: 'Nom de l’agence du ménage',
  telephone_agence: 'Téléphone de l’agence',
  date_rdv: 'Date du rendez-vous (saisie à l’envoi)',
  montant: 'Montant (saisi à l’envoi)',
  reference: 'Référence du ménage (bail)',
  adresse: 'Adresse du logement',
  invitation: 'L’invitation : quoi, quand et où (rempli par les invitations aux distributions et au pied de l’immeuble)',
} as const;

/** One merge field's name. */
export type MergeField = keyof typeof mergeFields;

/** The channels a template is written for. */
export const templateChannels = ['sms', 'email', 'letter'] as const;
export type TemplateChannel = (typeof templateChannels)[number];
export const channelLabels: Record<TemplateChannel, string> = { sms: 'SMS', email: 'E-mail', letter: 'Courrier' };

/** The `{champ}` fields of a text, each once, in order. */
export function fieldsOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\{([^{}\s]*)\}/g)) if (!found.includes(m[1] as string)) found.push(m[1] as string);
  return found;
}

/** The fields of a text that are not merge fields (a French error names them). */
export function unknownFields(text: string): string[] {
  return fieldsOf(text).filter((f) => !(f in mergeFields));
}

/** A text with its merge fields replaced; a field without a value becomes empty. */
export function renderTemplate(text: string, values: Partial<Record<MergeField, string | null>>): string {
  return text.replace(/\{([^{}\s]*)\}/g, (whole, name: string) => (name in mergeFields ? (values[name as MergeField] ?? '') : whole));
}

/**
 * The opt-out mention every SMS of a send carries (operators' rules for non-transactional
 * messages) with the local outbox, and what the page counts while typing; with Brevo the
 * delivery layer's mention (`platform/outbox/sms.ts`, « STOP au … » or SMS_OPT_OUT_MENTION)
 * replaces it, and the server's preview shows the exact text.
 */
export const smsOptOutMention = 'Répondez STOP pour ne plus recevoir de SMS';

/** Why a household or a volunteer receives nothing (dry run and report). */
export const exclusionReasons = ['no_contact', 'no_sms', 'no_mobile', 'no_email', 'left'] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];
export const exclusionLabels: Record<ExclusionReason, string> = {
  no_contact: 'Ne pas contacter (traitement limité après une demande d’effacement)',
  no_sms: 'Opposition « pas de SMS »',
  no_mobile: 'Pas de mobile valide',
  no_email: 'Pas d’e-mail',
  left: 'A quitté le logement',
};

/** How a recipient receives a send. */
export const sendChannels = ['sms', 'email', 'letter'] as const;
export type SendChannel = (typeof sendChannels)[number];
