import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  demoCode,
  enrolmentConfirmed,
  me,
  passwordResetRequestBody,
  passwordSetBody,
  reauthenticateBody,
  recoveryCodes,
  secondFactorBody,
  signInBody,
  signInResult,
  totpCodeBody,
  totpEnrolment,
} from '../../../contracts/auth.ts';
import { anySession, caller, publicRoute } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as identity from './identity.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Sign-in, second factor, sign-out, password reset and invitation acceptance. */
export async function identityRoutes(app: FastifyInstance, deps: Deps & { cookieName: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(deps.cookieName, token, { path: '/', httpOnly: true, secure: deps.config.COOKIE_SECURE, sameSite: 'strict' });

  r.post(
    '/api/auth/sign-in',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['auth'],
        summary: 'Se connecter (e-mail et mot de passe)',
        description:
          "Une adresse peut avoir un compte dans plusieurs organismes. Si le mot de passe convient à plusieurs d'entre eux, la réponse est un 409 `organisation_choice_required` dont `organisations` liste `{ id, name }` de ces comptes seulement ; renvoyer alors la même demande avec `organisationId`.",
        body: signInBody,
        response: { 200: signInResult },
      },
    },
    async (request, reply) => {
      const result = await identity.signIn(deps, { ...request.body, ip: request.ip });
      setCookie(reply, result.token);
      return { stage: result.stage };
    },
  );

  r.post(
    '/api/auth/second-factor',
    {
      config: { policy: anySession('second_factor') },
      schema: {
        tags: ['auth'],
        summary: 'Valider le second facteur (code TOTP ou code de secours)',
        body: secondFactorBody,
        response: { 200: signInResult },
      },
    },
    async (request, reply) => {
      const token = await identity.verifySecondFactor(deps, caller(request), request.body.code, request.ip);
      setCookie(reply, token);
      return { stage: 'active' as const };
    },
  );

  r.post(
    '/api/auth/totp/enrolment',
    {
      config: { policy: anySession('enrolment') },
      schema: { tags: ['auth'], summary: "Commencer l'activation de la double authentification", response: { 200: totpEnrolment } },
    },
    async (request) => identity.startTotpEnrolment(deps, caller(request)),
  );

  r.post(
    '/api/auth/totp/enrolment/confirm',
    {
      config: { policy: anySession('enrolment') },
      schema: {
        tags: ['auth'],
        summary: 'Confirmer la double authentification avec un premier code (renvoie les codes de secours, une seule fois)',
        body: totpCodeBody,
        response: { 200: enrolmentConfirmed },
      },
    },
    async (request, reply) => {
      const result = await identity.confirmTotpEnrolment(deps, caller(request), request.body.code, request.ip);
      setCookie(reply, result.token);
      return { stage: 'active' as const, recoveryCodes: result.recoveryCodes };
    },
  );

  r.post(
    '/api/auth/recovery-codes',
    {
      config: { policy: anySession() },
      schema: {
        tags: ['auth'],
        summary: 'Créer de nouveaux codes de secours (les anciens ne fonctionnent plus ; ré-authentification requise)',
        response: { 200: recoveryCodes },
      },
    },
    async (request) => ({ recoveryCodes: await identity.regenerateRecoveryCodes(deps, caller(request), request.ip) }),
  );

  r.get(
    '/api/auth/demo-code',
    {
      config: { policy: anySession('second_factor') },
      schema: {
        tags: ['auth'],
        summary: 'Organisme de démonstration seulement : le code actuel du compte de démonstration (404 ailleurs)',
        response: { 200: demoCode },
      },
    },
    async (request) => identity.demoCode(deps, caller(request)),
  );

  r.post(
    '/api/auth/reauthenticate',
    {
      config: { policy: anySession() },
      schema: { tags: ['auth'], summary: 'Confirmer son identité avant une action sensible (export…)', body: reauthenticateBody, response: { 200: ok } },
    },
    async (request) => {
      await identity.reauthenticate(deps, caller(request), request.body, request.ip);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/sign-out',
    {
      config: { policy: anySession('second_factor', 'enrolment') },
      schema: { tags: ['auth'], summary: 'Se déconnecter', response: { 200: ok } },
    },
    async (request, reply) => {
      await identity.signOut(deps, caller(request), request.ip);
      reply.clearCookie(deps.cookieName, { path: '/', httpOnly: true, secure: deps.config.COOKIE_SECURE, sameSite: 'strict' });
      return { ok: true as const };
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { policy: anySession('second_factor', 'enrolment') },
      schema: { tags: ['auth'], summary: 'Utilisateur connecté', response: { 200: me } },
    },
    async (request) => identity.describeMe(deps, caller(request)),
  );

  r.post(
    '/api/auth/password-reset',
    {
      config: { policy: publicRoute },
      schema: { tags: ['auth'], summary: 'Recevoir un lien de réinitialisation par e-mail', body: passwordResetRequestBody, response: { 202: ok } },
    },
    async (request, reply) => {
      await identity.requestPasswordReset(deps, request.body.email, request.ip);
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['auth'],
        summary: 'Choisir un mot de passe avec le lien reçu (réinitialisation ou invitation)',
        body: passwordSetBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      await identity.setPasswordWithToken(deps, request.body.token, request.body.password, request.ip);
      return { ok: true as const };
    },
  );
}
