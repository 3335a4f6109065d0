import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Agency, User } from '../../../contracts/users.ts';
import { api } from '../../app/api.ts';

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api<User[]>('GET', '/api/users') });
}

export function useAgencies() {
  return useQuery({ queryKey: ['agencies'], queryFn: () => api<Agency[]>('GET', '/api/agencies') });
}

/** A mutation on users that refreshes the list afterwards. */
export function useUserMutation<T>(fn: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }) });
}
