import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { inboxRow, inboxView, RequestCategory, RequestStatus } from '../../../contracts/portal.ts';
import { api } from '../../app/api.ts';

export type InboxRow = z.infer<typeof inboxRow>;
export type InboxView = z.infer<typeof inboxView>;
export type InboxFilter = { status: RequestStatus | 'open'; category?: RequestCategory | undefined; mine?: boolean };

const keys = { all: ['requests'] as const, list: (f: InboxFilter) => ['requests', 'list', f] as const, one: (id: string) => ['requests', 'one', id] as const };

export function useInbox(f: InboxFilter) {
  const q = new URLSearchParams({ status: f.status, ...(f.category ? { category: f.category } : {}), ...(f.mine ? { mine: 'true' } : {}) });
  return useQuery({ queryKey: keys.list(f), queryFn: () => api<InboxRow[]>('GET', `/api/requests?${q}`) });
}

export function useInboxRequest(id: string) {
  return useQuery({ queryKey: keys.one(id), queryFn: () => api<InboxView>('GET', `/api/requests/${id}`) });
}

function useRequestMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: keys.all }) });
}

export const useReply = (id: string) =>
  useRequestMutation((body: { body: string; status?: RequestStatus }) => api<{ id: string }>('POST', `/api/requests/${id}/replies`, body));
export const useNote = (id: string) => useRequestMutation((body: { body: string }) => api<{ id: string }>('POST', `/api/requests/${id}/notes`, body));
export const useChangeRequest = (id: string) =>
  useRequestMutation((body: { status?: RequestStatus; assignedTo?: string | null }) => api<{ ok: true }>('PATCH', `/api/requests/${id}`, body));
export const useRequestCase = (id: string) => useRequestMutation(() => api<{ caseId: string }>('POST', `/api/requests/${id}/case`));
export const fileLink = (fileId: string) => api<{ link: string; fileName: string }>('GET', `/api/requests/files/${fileId}`);
