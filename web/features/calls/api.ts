import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallerCampaign,
  ClaimedCall,
  charterStatus,
  doorstepResults,
  doorstepRow,
  nextCallResult,
  OutcomeBody,
  outcomeResult,
} from '../../../contracts/campaigns.ts';
import { PARIS, parisLocalAt } from '../../../contracts/paris-time.ts';
import { api } from '../../app/api.ts';

export type { CallerCampaign };
export type CharterStatus = z.infer<typeof charterStatus>;
export type NextCallResult = z.infer<typeof nextCallResult>;
export type OutcomeResult = z.infer<typeof outcomeResult>;
export type DoorstepRow = z.infer<typeof doorstepRow>;
export type DoorstepResult = (typeof doorstepResults)[number];
export { parisLocalToIso } from '../../../contracts/paris-time.ts';
export type { ClaimedCall };
/** Where the call windows live: every time the caller reads or types is Paris time. */
export { PARIS };

export function useCharter() {
  return useQuery({ queryKey: ['calls', 'charter'], queryFn: () => api<CharterStatus>('GET', '/api/calls/charter') });
}

export const acceptCharter = (version: string) => api<{ ok: true }>('POST', '/api/calls/charter', { version });

/**
 * The caller's campaigns, each saying whether a household is reserved to them now. Never kept once
 * the page is left (`gcTime: 0`): coming back asks again, so an old « holding » does not ask for a
 * household the caller did not request.
 */
export function useMyCampaigns(enabled: boolean) {
  return useQuery({ queryKey: ['calls', 'campaigns'], queryFn: () => api<CallerCampaign[]>('GET', '/api/calls/campaigns'), enabled, gcTime: 0 });
}

export const nextCall = (campaignId: string) => api<NextCallResult>('POST', '/api/calls/next', { campaignId });

export const recordOutcome = (targetId: string, body: Partial<OutcomeBody> & Pick<OutcomeBody, 'outcome'>) =>
  api<OutcomeResult>('POST', `/api/calls/${targetId}/outcome`, body);

export const releaseCall = (targetId: string) => api<{ ok: true }>('POST', `/api/calls/${targetId}/release`);

export function useDoorstep(status: 'pending' | 'done') {
  return useQuery({ queryKey: ['doorstep', status], queryFn: () => api<DoorstepRow[]>('GET', `/api/doorstep?status=${status}`) });
}

export const recordDoorstep = (id: string, body: { result: DoorstepResult; note?: string }) => api<{ ok: true }>('POST', `/api/doorstep/${id}/result`, body);

const parisTime = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });
const parisInstant = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});
const parisDate = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, day: 'numeric', month: 'long', year: 'numeric' });

/** « 14:32 », Paris time. */
export const formatParisTime = (iso: string) => parisTime.format(new Date(iso));
/** « lundi 3 mars à 14:00 », Paris time. */
export const formatParisInstant = (iso: string) => parisInstant.format(new Date(iso));
/** « 3 mars 2026 », Paris date. */
export const formatParisDate = (iso: string) => parisDate.format(new Date(iso));

/** Now in Paris as a `datetime-local` value, for the picker's minimum. */
export const parisLocalNow = () => parisLocalAt(Date.now());
