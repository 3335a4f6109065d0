/**
 * Campaign labels and constants without zod: the caller's pages import them from here, so their
 * bundle does not carry the schemas. `campaigns.ts` re-exports everything.
 */

/** Outcomes of a call, in the order the caller's page offers them. */
export const callOutcomes = ['reached', 'no_answer', 'voicemail', 'busy', 'callback', 'wrong_number', 'refused', 'in_hospital', 'moved', 'deceased'] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export const callOutcomeLabels: Record<CallOutcome, string> = {
  reached: 'Joint·e',
  no_answer: 'Pas de réponse',
  voicemail: 'Messagerie',
  busy: 'Occupé',
  callback: 'Rappeler à l’heure demandée',
  wrong_number: 'Faux numéro',
  refused: 'Refuse l’appel',
  in_hospital: 'Hospitalisé·e',
  moved: 'A déménagé',
  deceased: 'Décédé·e',
};
/** Outcomes that count as « nobody answered » for the retry policy. */
export const unansweredOutcomes: readonly CallOutcome[] = ['no_answer', 'voicemail', 'busy'];

export const campaignStatuses = ['draft', 'active', 'paused', 'closed'] as const;
export const campaignStatusLabels: Record<(typeof campaignStatuses)[number], string> = {
  draft: 'Brouillon',
  active: 'En cours',
  paused: 'En pause',
  closed: 'Terminée',
};

export const NOTE_MAX = 1000;

export const doorstepResults = ['met', 'absent', 'refused', 'concern', 'moved', 'in_hospital'] as const;
export const doorstepResultLabels: Record<(typeof doorstepResults)[number], string> = {
  met: 'Rencontré·e, tout va bien',
  absent: 'Absent·e',
  refused: 'Ne souhaite pas échanger',
  concern: 'Inquiétude : à suivre',
  moved: 'A déménagé',
  in_hospital: 'Hospitalisé·e',
};
