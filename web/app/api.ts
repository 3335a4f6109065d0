/** An API failure with the server's French message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;
  constructor(status: number, code: string, detail: string, body: Record<string, unknown>) {
    super(detail);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** Call the API with JSON; the session cookie travels by itself. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(response.status, String(data.code ?? 'error'), String(data.detail ?? 'Une erreur est survenue.'), data);
  }
  return data as T;
}

/**
 * Sends a file (form field `file`) with upload progress in percent — fetch cannot report upload
 * progress, XMLHttpRequest can. Resolves with the JSON body of a 201; otherwise an ApiError with
 * the server's French detail.
 */
export function uploadWithProgress<T>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const body = (xhr.response ?? {}) as Record<string, unknown>;
      if (xhr.status === 201) resolve(body as T);
      else reject(new ApiError(xhr.status, String(body.code ?? 'error'), String(body.detail ?? 'L’envoi du fichier a échoué.'), body));
    };
    xhr.onerror = () => reject(new Error('L’envoi du fichier a échoué (connexion interrompue).'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
