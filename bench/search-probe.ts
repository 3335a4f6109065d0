// The household search as a benchmark times it beside other work (the purge's way, for the SMS
// drain): queries typed one after the other through the service (RLS, organisation context,
// audit), first on a quiet database, then for as long as the work runs. Each p95 in milliseconds.
import { benchSearch } from '../server/modules/registry/index.ts';

type Deps = Parameters<typeof benchSearch>[0];

/** Names, a typo, a full name, a street, a residence and a reference of `generateRegistry`'s data. */
const registryQueries = ['martin', 'Bernadr', 'marie dubois', 'rue Jean Jaures', 'Résidence 12', 'thomas', 'Lefebre', 'M4242'];

export function percentile(xs: number[], p: number): number | null {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number).toFixed(1)) : null;
}

/** An administrator of `organisationId` searching with `extraQueries` among the registry's. */
export function searchProbe(deps: Deps, organisationId: string, extraQueries: string[] = []) {
  const session = {
    organisationId,
    userId: '00000000-0000-7000-8000-000000000000',
    role: 'org_admin' as const,
    stage: 'active' as const,
    agencyIds: [],
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  };
  const queries = [...registryQueries, ...extraQueries];
  const search = async (i: number) => {
    const t0 = performance.now();
    await benchSearch(deps, session, queries[i % queries.length] as string);
    return performance.now() - t0;
  };
  return {
    queries,
    /** Each query once (warm-up), then `count` searches on a quiet database. */
    async quiet(count: number): Promise<number[]> {
      for (let i = 0; i < queries.length; i++) await search(i);
      const times: number[] = [];
      for (let i = 0; i < count; i++) times.push(await search(i));
      return times;
    },
    /** Searches one after the other for as long as `work` runs; its result and their times. */
    async during<T>(work: () => Promise<T>): Promise<{ result: T; times: number[] }> {
      const times: number[] = [];
      let running = true;
      const searching = (async () => {
        for (let i = 0; running; i++) times.push(await search(i));
      })();
      try {
        return { result: await work(), times };
      } finally {
        running = false;
        await searching;
      }
    },
  };
}
