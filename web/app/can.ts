import type { Ability } from '../../contracts/abilities.ts';
import { useMe } from './session.ts';

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
