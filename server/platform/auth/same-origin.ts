import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const crossOrigin = () =>
  new AppError(
    'cross_origin_refused',
    403,
    'Cette action a été refusée car elle ne vient pas de Lien lui-même. Ouvrez Lien directement à son adresse habituelle et réessayez.',
  );

/**
 * Cross-site request forgery guard (TRUST AA-12), on top of the SameSite=Strict cookie: a
 * state-changing request is refused when the browser says it comes from another site
 * (`Sec-Fetch-Site: cross-site` or `same-site`), or when it carries an `Origin` that is not
 * Lien's own — the configured public address or the address the request was sent to. A
 * request with neither header (curl, scripts, server to server) carries no browser's cookie
 * by surprise and passes; its session cookie is still checked by the route's policy.
 */
export function sameOriginGuard(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return async (request: FastifyRequest) => {
    if (!stateChanging.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') throw crossOrigin();
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (origin === publicOrigin || origin === `${request.protocol}://${request.host}`) return;
    throw crossOrigin();
  };
}
