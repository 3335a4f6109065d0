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
