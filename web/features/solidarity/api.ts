import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  LendingOfferBody,
  LendingOfferRow,
  LendingRequestBody,
  LendingRequestRow,
  LendingRow,
  lendingMatch,
  vacantUnitRow,
} from '../../../contracts/solidarity.ts';
import { api } from '../../app/api.ts';

export type VacantUnit = z.infer<typeof vacantUnitRow>;
export type LendingMatch = z.infer<typeof lendingMatch>;

const key = ['solidarity'] as const;

function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: key }) });
}

export const useVacantUnits = (enabled: boolean) =>
  useQuery({ queryKey: [...key, 'units'], queryFn: () => api<VacantUnit[]>('GET', '/api/solidarity/vacant-units'), enabled });
export const useOffers = (enabled: boolean) =>
  useQuery({ queryKey: [...key, 'offers'], queryFn: () => api<LendingOfferRow[]>('GET', '/api/solidarity/offers'), enabled });
export const useRequests = () => useQuery({ queryKey: [...key, 'requests'], queryFn: () => api<LendingRequestRow[]>('GET', '/api/solidarity/requests') });
export const useMatches = (requestId: string | null) =>
  useQuery({
    queryKey: [...key, 'matches', requestId],
    queryFn: () => api<LendingMatch[]>('GET', `/api/solidarity/requests/${requestId}/matches`),
    enabled: requestId !== null,
  });
export const useLending = (id: string) =>
  useQuery({ queryKey: [...key, 'lending', id], queryFn: () => api<LendingRow>('GET', `/api/solidarity/lendings/${id}`) });

export const useCreateOffer = () => useRefreshing((body: LendingOfferBody) => api<{ id: string }>('POST', '/api/solidarity/offers', body));
export const useCreateRequest = () => useRefreshing((body: LendingRequestBody) => api<{ id: string }>('POST', '/api/solidarity/requests', body));
export const useLend = () => useRefreshing((body: { offerId: string; requestId: string }) => api<{ id: string }>('POST', '/api/solidarity/lendings', body));
export const useKeys = () =>
  useRefreshing(({ id, event }: { id: string; event: 'handed' | 'returned' }) => api<{ ok: true }>('POST', `/api/solidarity/lendings/${id}/keys`, { event }));
