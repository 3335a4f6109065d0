/** A failure the user should understand: a stable code, an HTTP status, a French message. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly extra: Record<string, unknown> | undefined;
  constructor(code: string, status: number, detail: string, extra?: Record<string, unknown>) {
    super(detail);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

/** Another organisation's object and a missing one look the same: 404 (no existence oracle). */
export const notFound = (what: string, code = 'not_found') => new AppError(code, 404, `${what} introuvable.`);
export const forbidden = () => new AppError('forbidden', 403, "Vous n'avez pas accès à cette fonction.");
export const unauthenticated = (detail = 'Veuillez vous connecter.') => new AppError('unauthenticated', 401, detail);
export const conflict = (code: string, detail: string) => new AppError(code, 409, detail);
export const invalid = (code: string, detail: string, extra?: Record<string, unknown>) => new AppError(code, 422, detail, extra);
