import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  DeliveryBody,
  delivererRow,
  deliveryRow,
  LendingOfferBody,
  LendingOfferRow,
  LendingRequestBody,
  LendingRequestRow,
  LendingRow,
  lendingMatch,
  MyDeliveries,
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

export type DeliveryRow = z.infer<typeof deliveryRow>;
export type Deliverer = z.infer<typeof delivererRow>;

export const useDeliverers = () => useQuery({ queryKey: [...key, 'deliverers'], queryFn: () => api<Deliverer[]>('GET', '/api/solidarity/deliverers') });
export const useDeliveries = () => useQuery({ queryKey: [...key, 'deliveries'], queryFn: () => api<DeliveryRow[]>('GET', '/api/solidarity/deliveries') });
export const useMyDeliveries = () => useQuery({ queryKey: [...key, 'mine'], queryFn: () => api<MyDeliveries>('GET', '/api/solidarity/deliveries/mine') });
export const useAssignDelivery = () => useRefreshing((body: DeliveryBody) => api<{ id: string }>('POST', '/api/solidarity/deliveries', body));
export const useDeliveryOutcome = () =>
  useRefreshing(({ id, outcome }: { id: string; outcome: 'done' | 'not_home' | 'refused' }) =>
    api<{ status: string; doorstep: boolean }>('POST', `/api/solidarity/deliveries/${id}/outcome`, { outcome }),
  );
export const useWithdrawOffer = () => useRefreshing((id: string) => api<{ ok: true }>('POST', `/api/solidarity/offers/${id}/withdraw`));
