import { useQuery } from '@tanstack/react-query';
import type { ImportRun, ImportUpload } from '../../../contracts/imports.ts';
import { ApiError, api } from '../../app/api.ts';

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

/** Upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadExport(file: File, onProgress: (percent: number) => void): Promise<ImportUpload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const body = (xhr.response ?? {}) as Record<string, unknown>;
      if (xhr.status === 201) resolve(body as unknown as ImportUpload);
      else reject(new ApiError(xhr.status, String(body.code ?? 'error'), String(body.detail ?? "L'envoi du fichier a échoué."), body));
    };
    xhr.onerror = () => reject(new Error("L'envoi du fichier a échoué (connexion interrompue)."));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
