import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import '../../../contracts/locale.ts';
import { type DenialContext, recordDeniedRead } from '../audit/denials.ts';
import { AppError } from './app-error.ts';

type Problem = { type: string; title: string; status: number; code: string; detail: string; errors?: unknown };

const titles: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Non connecté',
  403: 'Accès refusé',
  404: 'Introuvable',
  409: 'Conflit',
  413: 'Contenu trop volumineux',
  415: 'Type de contenu non pris en charge',
  422: 'Données refusées',
  429: 'Trop de tentatives',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

function problem(status: number, code: string, detail: string, errors?: unknown): Problem {
  return { type: `urn:lien:error:${code}`, title: titles[status] ?? 'Erreur', status, code, detail, ...(errors ? { errors } : {}) };
}

function fieldName(path: PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : 'corps de la requête';
}

/** Map every error to `application/problem+json` with a French `detail`, once, for the whole app. */
export function registerErrorHandler(app: FastifyInstance, options: { spaIndexHtml: string | null; denials: DenialContext }): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let body: Problem;
    if (error instanceof AppError) {
      body = { ...problem(error.status, error.code, error.message), ...(error.extra ?? {}) };
      if (error.status === 404) await auditNotFound(options.denials, request);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => {
        const path = (v.params as { issue?: { path?: PropertyKey[] } })?.issue?.path ?? v.instancePath.split('/').filter(Boolean);
        return { field: fieldName(path), message: v.message ?? 'valeur invalide' };
      });
      body = problem(400, 'validation_failed', `Requête invalide : ${errors.map((e) => `${e.field} — ${e.message}`).join(' ; ')}`, errors);
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      body = problem(413, 'payload_too_large', 'Le contenu envoyé dépasse la taille autorisée.');
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      body = problem(415, 'unsupported_media_type', "Ce type de contenu n'est pas accepté.");
    } else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      body = problem(400, 'invalid_json', "Le contenu envoyé n'est pas un JSON valide.");
    } else if (isDatabaseUnavailable(error)) {
      body = problem(503, 'database_unavailable', 'La base de données est momentanément indisponible. Réessayez dans quelques instants.');
    } else if (error.statusCode && error.statusCode < 500) {
      body = problem(error.statusCode, 'bad_request', 'Requête invalide.');
    } else {
      request.log.error({ err: error }, 'unhandled error');
      body = problem(500, 'internal_error', 'Une erreur interne est survenue. Réessayez ou contactez votre administrateur.');
    }
    return reply.status(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    // Unknown non-API pages are routes of the web app: serve its index.
    if (options.spaIndexHtml && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(options.spaIndexHtml);
    }
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem(404, 'route_not_found', `Aucune ressource à l'adresse ${request.routeOptions.url ?? 'demandée'}.`));
  });
}

/**
 * A signed-in caller asked for an object that is missing or another organisation's (TRUST AA-10,
 * DP-11): the probe leaves a trace — route, method and the ids of the path, never the body —
 * and counts towards the caller's denied-reads alert. Services throw their 404 from anywhere;
 * this is the one place that sees them all.
 */
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function auditNotFound(denials: DenialContext, request: FastifyRequest) {
  const session = request.session;
  if (session?.stage !== 'active' || !request.routeOptions.url) return;
  const params = Object.fromEntries(Object.entries((request.params ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const ids = [params.id, ...Object.values(params)].filter((v): v is string => !!v && uuid.test(v));
  const objectId = ids[0] ?? null;
  try {
    await recordDeniedRead(denials, session, request.ip, {
      action: 'access.not_found',
      objectId,
      details: { route: request.routeOptions.url, method: request.method, params },
    });
  } catch (err) {
    // The caller still gets its 404; a trail that cannot be written is an operator's problem.
    request.log.error({ err }, 'not-found audit failed');
  }
}

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001'].includes(code);
}
