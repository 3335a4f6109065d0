import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HouseholdFile } from '../../../contracts/households.ts';
import { api } from '../../app/api.ts';

export function useHousehold(id: string) {
  return useQuery({ queryKey: ['households', id], queryFn: () => api<HouseholdFile>('GET', `/api/households/${id}`) });
}

/** Run a change on the household, then reload its file. */
export function useHouseholdAction(id: string) {
  const client = useQueryClient();
  return async (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
    const result = await api(method, `/api/households/${id}${path}`, body);
    await client.invalidateQueries({ queryKey: ['households', id] });
    return result;
  };
}
