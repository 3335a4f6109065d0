import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ArrearsRow,
  ArrearsViewBody,
  balanceApplied,
  balanceImport,
  householdArrears,
  PlanCreateBody,
  StepCreateBody,
} from '../../../contracts/arrears.ts';
import { api, uploadWithProgress } from '../../app/api.ts';

export type { ArrearsRow };
export type BalanceImport = z.infer<typeof balanceImport>;
export type HouseholdArrears = z.infer<typeof householdArrears>;

export const arrearsKeys = {
  all: ['arrears'] as const,
  view: (f: ArrearsViewBody) => ['arrears', 'view', f] as const,
  household: (id: string) => ['arrears', 'household', id] as const,
  imports: () => ['arrears', 'imports'] as const,
  import: (id: string) => ['arrears', 'imports', id] as const,
};

/** The households whose debt appeared or grew since a date. */
export function useArrearsView(f: ArrearsViewBody) {
  return useQuery({ queryKey: arrearsKeys.view(f), queryFn: () => api<{ total: number; rows: ArrearsRow[] }>('POST', '/api/arrears/view', f) });
}

export function useHouseholdArrears(id: string, enabled: boolean) {
  return useQuery({ queryKey: arrearsKeys.household(id), queryFn: () => api<HouseholdArrears>('GET', `/api/arrears/households/${id}`), enabled });
}

export function useBalanceImports() {
  return useQuery({ queryKey: arrearsKeys.imports(), queryFn: () => api<BalanceImport[]>('GET', '/api/arrears/balance-imports') });
}

/** A mutation that refreshes every arrears query once done. */
function useArrearsMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: arrearsKeys.all }) });
}

export const useCreatePlan = () => useArrearsMutation((p: PlanCreateBody) => api<{ id: string; caseId: string }>('POST', '/api/arrears/plans', p));
export const useOpenRentCase = () => useArrearsMutation((householdId: string) => api<{ id: string }>('POST', '/api/arrears/cases', { householdId }));
export const usePause = () =>
  useArrearsMutation((p: { householdIds: string[]; untilOn: string; reason: string }) =>
    api<{ households: number }>('POST', '/api/arrears/pauses', { segment: { householdIds: p.householdIds }, untilOn: p.untilOn, reason: p.reason }),
  );
export const useApplyBalances = () =>
  useArrearsMutation((id: string) => api<z.infer<typeof balanceApplied>>('POST', `/api/arrears/balance-imports/${id}/apply`, {}));
export const useCancelBalances = () => useArrearsMutation((id: string) => api<{ ok: true }>('POST', `/api/arrears/balance-imports/${id}/cancel`, {}));

/** Sends a balance file with upload progress (a large file takes a while): the checked preview. */
export const uploadBalances = (file: File, onProgress: (percent: number) => void) =>
  uploadWithProgress<BalanceImport>('/api/arrears/balance-imports', file, onProgress);

export { euros } from '../../../contracts/money.ts';
export { frenchDay } from '../../../contracts/paris-time.ts';

export const useAddStep = () => useArrearsMutation((s: StepCreateBody) => api<{ id: string; caseId: string }>('POST', '/api/arrears/steps', s));
