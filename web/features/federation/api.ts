import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AggregateCell, Dashboard, dictionaryResponse, federationSpace, IndicatorId, RefreshStatus } from '../../../contracts/indicators.ts';
import { api } from '../../app/api.ts';

export type Dictionary = z.infer<typeof dictionaryResponse>;
export type Space = z.infer<typeof federationSpace>;

const keys = {
  all: ['federation'] as const,
  space: ['federation', 'space'] as const,
  dictionary: ['federation', 'dictionary'] as const,
  refresh: ['federation', 'refresh'] as const,
  dashboard: (q: { indicatorId: IndicatorId; from: string; to: string }) => ['federation', 'dashboard', q] as const,
};

export const useSpace = () => useQuery({ queryKey: keys.space, queryFn: () => api<Space>('GET', '/api/federation/space') });
export const useDictionary = () =>
  useQuery({ queryKey: keys.dictionary, queryFn: () => api<Dictionary>('GET', '/api/federation/indicators'), staleTime: Infinity });

export function useDashboard(q: { indicatorId: IndicatorId; from: string; to: string }, enabled: boolean) {
  return useQuery({ queryKey: keys.dashboard(q), queryFn: () => api<Dashboard>('POST', '/api/federation/dashboard', q), enabled });
}

/** The last refresh; polled every second while it runs. */
export function useRefresh(enabled: boolean) {
  return useQuery({
    queryKey: keys.refresh,
    queryFn: () => api<{ refresh: RefreshStatus | null }>('GET', '/api/federation/refresh'),
    enabled,
    refetchInterval: (q) => {
      const s = q.state.data?.refresh?.status;
      return s === 'queued' || s === 'running' ? 1000 : false;
    },
  });
}

function useFederationMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: keys.all }) });
}

export const useStartRefresh = () => useFederationMutation(() => api<RefreshStatus>('POST', '/api/federation/refresh'));
export const useAddMember = () => useFederationMutation((slug: string) => api<{ memberId: string }>('POST', '/api/federation/members', { slug }));
export const useRemoveMember = () => useFederationMutation((id: string) => api<void>('DELETE', `/api/federation/members/${id}`));
export const useReportText = () =>
  useFederationMutation((v: { id: string; text: string }) => api<void>('PUT', `/api/federation/members/${v.id}/report-text`, { text: v.text }));
export const useSetAgreement = () =>
  useFederationMutation((v: { federationId: string; indicators: IndicatorId[] }) =>
    api<{ indicators: IndicatorId[] }>('PUT', `/api/federation/memberships/${v.federationId}`, { indicators: v.indicators }),
  );
export const useLeave = () => useFederationMutation((federationId: string) => api<void>('DELETE', `/api/federation/memberships/${federationId}`));

export function usePreview() {
  return useMutation({
    mutationFn: (v: { federationId: string; indicators: IndicatorId[] }) =>
      api<{ cells: AggregateCell[]; from: string; to: string }>('POST', `/api/federation/memberships/${v.federationId}/preview`, { indicators: v.indicators }),
  });
}

/** « 2026-03 » → « mars 2026 ». */
export const monthLabel = (ym: string) => {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, 15)).toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
};
