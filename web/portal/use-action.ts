import { useCallback, useState } from 'react';

/** An API error's French message, else a generic one. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : 'Une erreur est survenue. Réessayez.');

/**
 * A form's or a button's action: `busy` while it runs (its button disabled), its error's French
 * message in `error`, cleared when the next try starts.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
