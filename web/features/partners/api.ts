import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  PartnerBody,
  partnerRow,
  partnerUserRow,
  ReferralRow,
  ReferralStatus,
  referralAnswerBody,
  referralConsentBody,
  referralDetail,
  referralOptions,
  referralReportBody,
  referralSendBody,
} from '../../../contracts/partners.ts';
import { api } from '../../app/api.ts';

export type Partner = z.infer<typeof partnerRow>;
export type PartnerUser = z.infer<typeof partnerUserRow>;
export type ReferralOptions = z.infer<typeof referralOptions>;
export type ReferralDetail = z.infer<typeof referralDetail>;
export type { ReferralRow };

/** Every referral or partner change refreshes these, and the cases (a referral changes its case's status). */
const keys = { partners: ['partners'] as const, referrals: ['referrals'] as const, cases: ['cases'] as const };

function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(Object.values(keys).map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}

export const usePartners = () => useQuery({ queryKey: [...keys.partners, 'list'], queryFn: () => api<Partner[]>('GET', '/api/partners') });
export const usePartnerUsers = () => useQuery({ queryKey: [...keys.partners, 'users'], queryFn: () => api<PartnerUser[]>('GET', '/api/partners/users') });
export const useSavePartner = () =>
  useRefreshing(({ id, body }: { id: string | null; body: PartnerBody }) =>
    id ? api<unknown>('PUT', `/api/partners/${id}`, body) : api<unknown>('POST', '/api/partners', body),
  );
export const useSetMember = () => useRefreshing((body: { userId: string; partnerId: string | null }) => api<{ ok: true }>('POST', '/api/partners/users', body));

export const useReferralOptions = (caseId: string, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.referrals, 'options', caseId],
    queryFn: () => api<ReferralOptions>('GET', `/api/cases/${caseId}/referral-options`),
    enabled,
  });
export const useCaseReferrals = (caseId: string) =>
  useQuery({ queryKey: [...keys.referrals, 'case', caseId], queryFn: () => api<ReferralRow[]>('GET', `/api/cases/${caseId}/referrals`) });
export const useRecordConsent = (caseId: string) =>
  useRefreshing((body: z.infer<typeof referralConsentBody>) => api<{ id: string }>('POST', `/api/cases/${caseId}/referral-consents`, body));
export const useSendReferral = () => useRefreshing((body: z.infer<typeof referralSendBody>) => api<{ id: string }>('POST', '/api/referrals', body));

export const useReferrals = (filter: { status?: ReferralStatus; overdue?: boolean }) =>
  useQuery({ queryKey: [...keys.referrals, 'list', filter], queryFn: () => api<ReferralRow[]>('POST', '/api/referrals/list', filter) });
export const useReferral = (id: string) =>
  useQuery({ queryKey: [...keys.referrals, 'detail', id], queryFn: () => api<ReferralDetail>('GET', `/api/referrals/${id}`) });
export const useAcknowledge = (id: string) => useRefreshing(() => api<{ ok: true }>('POST', `/api/referrals/${id}/acknowledge`));
export const useAnswer = (id: string) =>
  useRefreshing((body: z.infer<typeof referralAnswerBody>) => api<{ ok: true }>('POST', `/api/referrals/${id}/answer`, body));
export const useReport = (id: string) =>
  useRefreshing((body: z.infer<typeof referralReportBody>) => api<{ ok: true }>('POST', `/api/referrals/${id}/report`, body));
