import { useQuery } from '@tanstack/react-query';
import type { ImportRun, ImportUpload } from '../../../contracts/imports.ts';
import { api, uploadWithProgress } from '../../app/api.ts';

export function useImports() {
  return useQuery({ queryKey: ['imports'], queryFn: () => api<ImportRun[]>('GET', '/api/imports') });
}

/** One import, polled while it works in the background. */
export function useImport(id: string) {
  return useQuery({
    queryKey: ['imports', id],
    queryFn: () => api<ImportRun>('GET', `/api/imports/${id}`),
    refetchInterval: (q) => (q.state.data && ['validating', 'applying'].includes(q.state.data.status) ? 700 : false),
  });
}

/** An ERP export, with upload progress. */
export const uploadExport = (file: File, onProgress: (percent: number) => void) => uploadWithProgress<ImportUpload>('/api/imports', file, onProgress);
