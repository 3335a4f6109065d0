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
export type CampaignStatus = (typeof campaignStatuses)[number];
export const campaignStatusLabels: Record<CampaignStatus, string> = {
  draft: 'Brouillon',
  active: 'En cours',
  paused: 'En pause',
  closed: 'Terminée',
};

/**
 * What a manager may do to a campaign's status, and from which statuses (the launch moves a
 * draft to active on its own route). The server applies them; pages offer only what applies.
 */
export const campaignTransitions = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  close: { from: ['draft', 'active', 'paused'], to: 'closed' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;
export type CampaignAction = keyof typeof campaignTransitions;
export const campaignActions = Object.keys(campaignTransitions) as CampaignAction[];

/** A new campaign's call windows: Monday to Saturday, 09:00 to 19:00 Paris time. */
export const defaultCallWindows: { days: number[]; start: string; end: string } = { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '19:00' };
/** A new campaign's retries: 3 hours later at the earliest, 4 calls at most (the first included). */
export const defaultRetryPolicy: { retryAfterMinutes: number; maxAttempts: number } = { retryAfterMinutes: 180, maxAttempts: 4 };

/** A follow-up is open until someone closes it with what was done. */
export const followupStatuses = ['open', 'closed'] as const;
export type FollowupStatus = (typeof followupStatuses)[number];

/** A doorstep visit is pending until its result is recorded. */
export const doorstepStatuses = ['pending', 'done'] as const;
export type DoorstepStatus = (typeof doorstepStatuses)[number];

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
