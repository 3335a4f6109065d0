import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CaseBoardBody, CaseDetail, CaseNoteKind, CaseOutcome, CaseRow, CaseType, raisedNeed } from '../../../contracts/cases.ts';
import { api } from '../../app/api.ts';

export type { CaseDetail, CaseRow };
export type RaisedNeed = z.infer<typeof raisedNeed>;
export type BoardFilter = Partial<CaseBoardBody>;

/** Query keys: every change to a case refreshes the board, the summary and the case. */
export const caseKeys = {
  all: ['cases'] as const,
  board: (f: BoardFilter) => ['cases', 'board', f] as const,
  summary: () => ['cases', 'summary'] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  raised: () => ['cases', 'raised'] as const,
};

export function useCaseBoard(filter: BoardFilter) {
  return useQuery({ queryKey: caseKeys.board(filter), queryFn: () => api<CaseRow[]>('POST', '/api/cases/board', { limit: 200, ...filter }) });
}

export function useCaseSummary() {
  return useQuery({
    queryKey: caseKeys.summary(),
    queryFn: () => api<{ open: number; waitingPartner: number; waitingTenant: number; mine: number; overdue: number }>('GET', '/api/cases/summary'),
  });
}

export function useCase(id: string) {
  return useQuery({ queryKey: caseKeys.detail(id), queryFn: () => api<CaseDetail>('GET', `/api/cases/${id}`) });
}

export function useRaisedNeeds() {
  return useQuery({ queryKey: caseKeys.raised(), queryFn: () => api<RaisedNeed[]>('GET', '/api/calls/raised-needs') });
}

/** A mutation that refreshes every case query once done. */
function useCaseMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.all }) });
}

export const useAssignCases = () =>
  useCaseMutation(({ ids, userId }: { ids: string[]; userId: string | null }) => api<{ assigned: number }>('POST', '/api/cases/assign', { ids, userId }));

export type StatusChange = { status: 'open' | 'waiting_partner' | 'waiting_tenant' } | { status: 'closed'; outcome: CaseOutcome; note: string };
export const useCaseStatus = (id: string) => useCaseMutation((body: StatusChange) => api<{ ok: true }>('POST', `/api/cases/${id}/status`, body));

export const useAddTask = (id: string) =>
  useCaseMutation((body: { title: string; dueOn: string | null; remind: boolean }) => api<{ id: string }>('POST', `/api/cases/${id}/tasks`, body));

export const useCompleteTask = (id: string) => useCaseMutation((taskId: string) => api<{ ok: true }>('POST', `/api/cases/${id}/tasks/${taskId}/done`));

export const useAddNote = (id: string) =>
  useCaseMutation((body: { kind: CaseNoteKind; body: string }) => api<{ id: string }>('POST', `/api/cases/${id}/notes`, body));

export const useOpenCase = () => useCaseMutation((body: { householdId: string; type: CaseType }) => api<{ id: string }>('POST', '/api/cases', body));
// The origin defaults to « staff » (opened by the team) on the server.
