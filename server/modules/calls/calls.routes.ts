import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  callerCampaign,
  charterAcceptBody,
  charterStatus,
  nextCallBody,
  nextCallResult,
  noteReviewBody,
  noteReviewRow,
  outcomeBody,
  outcomeResult,
  targetParams,
} from '../../../contracts/campaigns.ts';
import { idParams } from '../../../contracts/users.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import { callerRoles, noteReviewers } from './calls.policy.ts';
import * as charter from './charter.service.ts';
import { myCampaigns, nextCall, nextCallLockPrefix, releaseCall } from './dispatch.service.ts';
import { pendingNotes, reviewNote } from './notes.service.ts';
import { recordOutcome } from './outcomes.service.ts';

const ok = z.object({ ok: z.literal(true) });

/** Calling (callers: charter, next, outcome, release) and the review of flagged call notes (DPO). URLs unchanged. */
export async function callRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const callers = { policy: allow(...callerRoles) };
  const tags = ['campaigns'];

  // ——— Calling ———
  r.get(
    '/api/calls/campaigns',
    { config: callers, schema: { tags, summary: 'Mes campagnes d’appel', response: { 200: z.array(callerCampaign) } } },
    async (request) => myCampaigns(deps, caller(request)),
  );
  r.get(
    '/api/calls/charter',
    { config: callers, schema: { tags, summary: 'Charte de confidentialité des appelant·es', response: { 200: charterStatus } } },
    async (request) => charter.charterStatus(deps, caller(request)),
  );
  r.post(
    '/api/calls/charter',
    { config: callers, schema: { tags, summary: 'Accepter la charte de confidentialité', body: charterAcceptBody, response: { 200: ok } } },
    async (request) => {
      await charter.acceptCharter(deps, caller(request), request.body.version, request.ip);
      return { ok: true as const };
    },
  );
  // The hot routes of a campaign resolve the session with their transaction's `begin`, and their
  // statements run on generic plans from the first execution (ADR 0009).
  const inTransaction = { sessionTransaction: { genericPlans: true } };
  r.post(
    '/api/calls/next',
    {
      // The caller's lock (one « next » at a time per caller) is taken in the same round trip.
      config: { ...callers, sessionTransaction: { lockPrefix: nextCallLockPrefix, genericPlans: true } },
      schema: { tags, summary: 'Appeler le suivant (429 au-delà des limites horaires de la campagne)', body: nextCallBody, response: { 200: nextCallResult } },
    },
    async (request, reply) => {
      try {
        return await nextCall(deps, caller(request), request.body.campaignId, request.ip);
      } catch (error) {
        // Past a caller limit (429): when they may go on, for clients that honour the header too.
        if (error instanceof AppError && typeof error.extra?.retryAfterSeconds === 'number') reply.header('retry-after', String(error.extra.retryAfterSeconds));
        throw error;
      }
    },
  );
  r.post(
    '/api/calls/:targetId/outcome',
    {
      config: { ...callers, ...inTransaction },
      schema: { tags, summary: 'Enregistrer l’issue de l’appel', params: targetParams, body: outcomeBody, response: { 200: outcomeResult } },
    },
    async (request) => recordOutcome(deps, caller(request), request.params.targetId, request.body, request.ip),
  );
  r.post(
    '/api/calls/:targetId/release',
    {
      config: { ...callers, ...inTransaction },
      schema: { tags, summary: 'Rendre le ménage à la file (ne peut pas appeler)', params: targetParams, response: { 200: ok } },
    },
    async (request) => {
      await releaseCall(deps, caller(request), request.params.targetId, request.ip);
      return { ok: true as const };
    },
  );

  // ——— Note review (DPO) ———
  const reviewers = { policy: allow(...noteReviewers) };
  r.get(
    '/api/call-notes/review',
    { config: reviewers, schema: { tags, summary: 'Notes d’appel signalées, à relire', response: { 200: z.array(noteReviewRow) } } },
    async (request) => pendingNotes(deps, caller(request), request.ip),
  );
  r.post(
    '/api/call-notes/:id/review',
    { config: reviewers, schema: { tags, summary: 'Conserver ou retirer une note signalée', params: idParams, body: noteReviewBody, response: { 200: ok } } },
    async (request) => {
      await reviewNote(deps, caller(request), request.params.id, request.body.decision, request.ip);
      return { ok: true as const };
    },
  );
}
