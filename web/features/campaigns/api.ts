import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CallScript,
  CampaignDetail,
  CampaignInput,
  CampaignSummary,
  callerCandidate,
  Dashboard,
  followupRow,
  launchResult,
  noteReviewRow,
  segmentCount,
} from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { api } from '../../app/api.ts';

export type { CampaignSummary };
export type CallerCandidate = z.infer<typeof callerCandidate>;
export type SegmentCount = z.infer<typeof segmentCount>;
export type LaunchResult = z.infer<typeof launchResult>;
export type FollowupRow = z.infer<typeof followupRow>;
export type NoteReviewRow = z.infer<typeof noteReviewRow>;
export type FollowupFilter = { status: 'open' | 'closed'; urgentOnly: boolean; campaignId?: string };

/** Query keys: one family per resource, so that a change refreshes what depends on it. */
export const campaignKeys = {
  all: ['campaigns'] as const,
  list: () => ['campaigns', 'list'] as const,
  detail: (id: string) => ['campaigns', 'detail', id] as const,
  dashboard: (id: string) => ['campaigns', 'dashboard', id] as const,
  template: () => ['campaigns', 'script-template'] as const,
  candidates: () => ['campaigns', 'caller-candidates'] as const,
  segmentCount: (segment: HouseholdFilters) => ['campaigns', 'segment-count', segment] as const,
  followups: (filter?: FollowupFilter) => (filter ? (['followups', filter] as const) : (['followups'] as const)),
  notes: () => ['call-notes', 'review'] as const,
};

export function useCampaigns() {
  return useQuery({ queryKey: campaignKeys.list(), queryFn: () => api<CampaignSummary[]>('GET', '/api/campaigns') });
}

export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: campaignKeys.detail(id ?? ''),
    queryFn: () => api<CampaignDetail>('GET', `/api/campaigns/${id}`),
    enabled: !!id,
  });
}

/** The live dashboard, refreshed every 10 seconds. */
export function useDashboard(id: string) {
  return useQuery({
    queryKey: campaignKeys.dashboard(id),
    queryFn: () => api<Dashboard>('GET', `/api/campaigns/${id}/dashboard`),
    refetchInterval: 10_000,
  });
}

export function useScriptTemplate(enabled: boolean) {
  return useQuery({
    queryKey: campaignKeys.template(),
    queryFn: () => api<CallScript>('GET', '/api/campaigns/script-template'),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** People a follow-up can be assigned to (managers, staff, social workers, org admins). */
export function useFollowupAssignees() {
  return useQuery({
    queryKey: ['followups', 'assignees'] as const,
    queryFn: () => api<{ id: string; name: string; role: string }[]>('GET', '/api/followups/assignees'),
  });
}

export function useCallerCandidates() {
  return useQuery({ queryKey: campaignKeys.candidates(), queryFn: () => api<CallerCandidate[]>('GET', '/api/campaigns/caller-candidates') });
}

/** How many households a segment targets (« ne pas appeler » left out). */
export function useSegmentCount(segment: HouseholdFilters) {
  return useQuery({
    queryKey: campaignKeys.segmentCount(segment),
    queryFn: () => api<SegmentCount>('POST', '/api/campaigns/segment-count', { segment }),
    placeholderData: (previous) => previous,
  });
}

export function useSaveCampaign(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignInput) =>
      id ? api<{ ok: true }>('PUT', `/api/campaigns/${id}`, input).then(() => ({ id })) : api<{ id: string }>('POST', '/api/campaigns', input),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}

export type CampaignAction = 'launch' | 'pause' | 'resume' | 'close';

export function useCampaignAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: CampaignAction) => api<LaunchResult | { status: string }>('POST', `/api/campaigns/${id}/${action}`),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}

export function useFollowups(filter: FollowupFilter) {
  return useQuery({
    queryKey: campaignKeys.followups(filter),
    queryFn: () => api<FollowupRow[]>('POST', '/api/followups/list', { ...filter, limit: 200 }),
  });
}

export function useAssignFollowup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, userId }: { id: string; userId: string | null }) => api<{ ok: true }>('POST', `/api/followups/${id}/assign`, { userId }),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.followups() }),
  });
}

export function useCloseFollowup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, resolution }: { id: string; resolution: string }) => api<{ ok: true }>('POST', `/api/followups/${id}/close`, { resolution }),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.followups() }),
  });
}

export function usePendingNotes() {
  return useQuery({ queryKey: campaignKeys.notes(), queryFn: () => api<NoteReviewRow[]>('GET', '/api/call-notes/review') });
}

export function useReviewNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'kept' | 'redacted' }) => api<{ ok: true }>('POST', `/api/call-notes/${id}/review`, { decision }),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.notes() }),
  });
}
