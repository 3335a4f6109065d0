import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaretakerOption, ResidenceRow } from '../../../contracts/residences.ts';
import { api } from '../../app/api.ts';

export function useResidences(filter: { agencyId: string | null; q: string }) {
  const params = new URLSearchParams();
  if (filter.agencyId) params.set('agencyId', filter.agencyId);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  return useQuery({
    queryKey: ['residences', filter.agencyId, filter.q.trim()],
    queryFn: () => api<ResidenceRow[]>('GET', `/api/residences${params.size ? `?${params}` : ''}`),
  });
}

export function useCaretakers() {
  return useQuery({ queryKey: ['residences', 'caretakers'], queryFn: () => api<CaretakerOption[]>('GET', '/api/residences/caretakers') });
}

export function useAssignCaretaker() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, caretakerId }: { id: string; caretakerId: string | null }) =>
      api<{ ok: true }>('PUT', `/api/residences/${id}/caretaker`, { caretakerId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['residences'] }),
  });
}
