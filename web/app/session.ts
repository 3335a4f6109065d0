import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Ability } from '../../contracts/abilities.ts';
import type { Me } from '../../contracts/auth.ts';
import { ApiError, api } from './api.ts';

const meQuery = {
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api<Me>('GET', '/api/auth/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
} as const;

/** The signed-in user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({ ...meQuery, staleTime: 60_000, retry: false });
}

/**
 * Read the session again and wait for the answer before going on. The sign-in pages hold no
 * `useMe` observer, so a mere invalidation would leave the cached « nobody » (read when `/`
 * sent the visitor to sign in) for the shell to act on: it bounced back to an empty sign-in form.
 */
export function useRefreshMe() {
  const client = useQueryClient();
  return () => client.fetchQuery({ ...meQuery, staleTime: 0 });
}

/**
 * What the signed-in user may do, as the server says (`abilities` of `GET /api/auth/me`): pages
 * show or hide what they offer with `can('calls.make')`, never with role lists of their own.
 * Nothing is allowed until the session is active (the server sends no ability before).
 */
export function useCan(): (ability: Ability) => boolean {
  const me = useMe();
  const granted = me.data?.stage === 'active' ? me.data.abilities : [];
  return (ability) => granted.includes(ability);
}
