import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { adminRoutes } from './modules/admin/index.ts';
import { appointmentRoutes, appointmentTenantRoutes } from './modules/appointments/index.ts';
import { arrearsRoutes } from './modules/arrears/index.ts';
import { breachRoutes } from './modules/breach/index.ts';
import { callRoutes, queueRoutes } from './modules/calls/index.ts';
import { campaignRoutes } from './modules/campaigns/index.ts';
import type { Deps } from './modules/deps.ts';
import { doorstepRoutes } from './modules/doorstep/index.ts';
import { federationRoutes } from './modules/federation/index.ts';
import { caseRoutes, followupRoutes } from './modules/followups/index.ts';
import { homeRoutes } from './modules/home/index.ts';
import { activeOrgAdmins, identityRoutes, usersRoutes } from './modules/identity/index.ts';
import { messagingRoutes } from './modules/messaging/index.ts';
import { partnerRoutes } from './modules/partners/index.ts';
import { inboxRoutes, portalRoutes, releaseTenantTransaction, tenantOf, tenantResolver } from './modules/portal/index.ts';
import { privacyRoutes, registerRoutes } from './modules/privacy/index.ts';
import { householdRoutes, importRoutes, optOutOfSmsByReply, residenceRoutes } from './modules/registry/index.ts';
import { reportingRoutes } from './modules/reporting/index.ts';
import { retentionRoutes } from './modules/retention/index.ts';
import {
  deliveryRoutes,
  distributionRoutes,
  helpCallRoutes,
  helpCallSmsReply,
  outreachRoutes,
  solidarityRoutes,
  volunteerRoutes,
} from './modules/solidarity/index.ts';
import { policyPlugin, publicRoute, type RouteRecord, tenantRoute } from './platform/auth/policy.ts';
import { sameOriginGuard } from './platform/auth/same-origin.ts';
import { registerErrorHandler } from './platform/errors/error-handler.ts';
import { filesRoutes } from './platform/files/files.routes.ts';
import type { Logger } from './platform/logger.ts';
import { opsRoutes } from './platform/ops.ts';
import { outboxCallbackRoutes } from './platform/outbox/callbacks.routes.ts';

const builtWeb = path.resolve(import.meta.dirname, '../web/dist');
/** Vite's hashed file names (`assets/index-D-xbHzVN.js`): their content never changes under that name. */
/** Helmet's headers that apply to documents only; the nosniff, CORP and HSTS headers stay on every file. */
const documentOnlyHeaders = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];
const hashedAsset = /\/assets\/[^/]+-[\w-]{8}\.[a-z0-9]+(\.(br|gz))?$/;

/** Name of the session cookie; `__Host-` binds it to this origin over HTTPS (and localhost). */
function sessionCookieName(config: Config) {
  return config.COOKIE_SECURE ? '__Host-lien_session' : 'lien_session';
}

export type App = FastifyInstance & { routeInventory: RouteRecord[] };

/** Build the HTTP application without listening: used by main.ts and by tests (inject). */
export async function buildApp(deps: Deps, logger?: Logger | false, options: { webDist?: string } = {}): Promise<App> {
  const webDist = options.webDist ?? builtWeb;
  const app = Fastify({
    loggerInstance: logger || undefined,
    logger: logger === false ? false : undefined,
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may say who the client is (X-Forwarded-For): anyone else could
    // forge it to dodge the per-address sign-in limit and write any address into the audit trail.
    trustProxy: deps.config.TRUSTED_PROXIES.length ? deps.config.TRUSTED_PROXIES : false,
  } as never) as unknown as FastifyInstance;
  // Bodies are JSON (or multipart for uploads): a `text/plain` POST is what a cross-site form
  // can send without a preflight, so it is refused (415) rather than parsed.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const indexFile = path.join(webDist, 'index.html');
  const hasWeb = existsSync(indexFile);
  const denials = { database: deps.database, jobs: deps.jobs, publicUrl: deps.config.publicUrl, alertRecipients: activeOrgAdmins };
  registerErrorHandler(app, { spaIndexHtml: hasWeb ? readFileSync(indexFile, 'utf8') : null, denials });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', async (request, reply) => {
    // The matched route, not the raw URL (`/%61pi/…` is an API route too).
    if ((request.routeOptions.url ?? request.url).startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 51 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lien API',
        version: '0.1.0',
        description: 'API de Lien : lien entre bailleurs sociaux et locataires. Authentification par cookie de session.',
      },
    },
    transform: jsonSchemaTransform,
  });

  const routes: RouteRecord[] = [];
  const cookieName = sessionCookieName(deps.config);
  // Before the session is even looked up: a forged cross-site request goes no further.
  app.addHook('onRequest', sameOriginGuard(deps.config.publicUrl));
  await app.register(policyPlugin, { ...denials, cookieName, routes, resolveTenant: tenantResolver(deps), releaseTenant: releaseTenantTransaction });
  await app.register(async (scope) => {
    // The documentation page is public (it shows the API's shape, no data).
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), policy: publicRoute } as typeof route.config;
    });
    await scope.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });
  });

  await app.register(async (scope) => {
    scope.get('/api/openapi.json', { config: { policy: publicRoute }, schema: { hide: true } }, async () => app.swagger());
    await identityRoutes(scope, { ...deps, cookieName });
    await usersRoutes(scope, deps);
    await adminRoutes(scope, deps);
    await importRoutes(scope, deps);
    await householdRoutes(scope, deps);
    await residenceRoutes(scope, deps);
    await campaignRoutes(scope, deps);
    await queueRoutes(scope, deps);
    await callRoutes(scope, deps);
    await followupRoutes(scope, deps);
    await caseRoutes(scope, deps);
    await partnerRoutes(scope, deps);
    await messagingRoutes(scope, deps);
    await arrearsRoutes(scope, deps);
    await federationRoutes(scope, deps);
    await doorstepRoutes(scope, deps);
    await solidarityRoutes(scope, deps);
    await volunteerRoutes(scope, deps);
    await deliveryRoutes(scope, deps);
    await distributionRoutes(scope, deps);
    await outreachRoutes(scope, deps);
    await helpCallRoutes(scope, deps);
    await appointmentRoutes(scope, deps);
    await portalRoutes(scope, deps);
    // A tenant's appointments at their agency (issue 16): the portal's session, the appointments' service.
    await appointmentTenantRoutes(scope, deps, tenantOf, tenantRoute);
    await inboxRoutes(scope, deps);
    await privacyRoutes(scope, deps);
    await retentionRoutes(scope, deps);
    await breachRoutes(scope, deps);
    await registerRoutes(scope);
    await homeRoutes(scope, deps);
    await reportingRoutes(scope, deps);
    await filesRoutes(scope, deps);
    // A tenant's STOP reaches the registry (« pas de SMS »), an « OUI » / « NON » the calls for help: platform code names no module, the app wires them.
    await outboxCallbackRoutes(scope, { ...deps, onSmsOptOut: optOutOfSmsByReply, onSmsReply: helpCallSmsReply });
    await opsRoutes(scope, { database: deps.database, metricsToken: deps.config.METRICS_TOKEN });
  });

  if (hasWeb) {
    await app.register(async (scope) => {
      // The built web app is public: it holds no data, every API call is checked.
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), policy: publicRoute } as typeof route.config;
      });
      // The tenant portal is a page of its own (web/portal.html, issue 16), at /locataire/<slug>/….
      const portalFile = path.join(webDist, 'portal.html');
      if (existsSync(portalFile)) {
        const portalHtml = readFileSync(portalFile, 'utf8');
        const sendPortal = async (_request: unknown, reply: FastifyReply) =>
          reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(portalHtml);
        scope.get('/locataire/:slug', sendPortal);
        scope.get('/locataire/:slug/*', sendPortal);
      }
      await scope.register(fastifyStatic, {
        root: webDist,
        wildcard: false,
        index: false,
        serve: true,
        // `x.js.br` / `x.js.gz` written at build time (scripts/precompress.ts), chosen by Accept-Encoding.
        preCompressed: true,
        globIgnore: ['**/*.br', '**/*.gz'],
        // Hashed files are cached for a year; the rest (index.html…) is revalidated on every visit.
        cacheControl: false,
        // The validator is the etag (hashed files are never revalidated): no last-modified nor ranges.
        lastModified: false,
        acceptRanges: false,
        setHeaders: (reply, file) => {
          const hashed = hashedAsset.test(file);
          reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
          // A script or a style sheet is not a document: the headers that govern a document (its
          // CSP, framing, referrer…) do nothing on it and cost ~0.6 KB per file over HTTP/1.1.
          if (hashed) for (const name of documentOnlyHeaders) reply.removeHeader(name);
        },
      });
    });
  }
  const built = app as App;
  built.routeInventory = routes;
  return built;
}
