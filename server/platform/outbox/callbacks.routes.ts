import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { publicRoute } from '../auth/policy.ts';
import type { Database } from '../db/database.ts';
import { AppError, unauthenticated } from '../errors/app-error.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { type BrevoSmsEvent, CallbackRefused, handleBrevoSmsEvent, type SmsOptOutHook, type SmsReplyHook } from './callbacks.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The secret Brevo presents: in the webhook URL (`?token=`), as a bearer token, or as the password
 * of basic authentication (the three ways Brevo's webhook settings allow). Compared in constant
 * time, on digests so that the length leaks nothing either.
 */
export function presentsSecret(request: FastifyRequest, secret: string | undefined): boolean {
  if (!secret) return false;
  const candidates: string[] = [];
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof token === 'string') candidates.push(token);
  const header = request.headers.authorization ?? '';
  if (/^bearer /i.test(header)) candidates.push(header.slice(7).trim());
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    candidates.push(decoded.slice(decoded.indexOf(':') + 1));
  }
  const expected = digest(secret);
  let ok = false;
  for (const candidate of candidates) ok = timingSafeEqual(digest(candidate), expected) || ok;
  return ok;
}

const event = z
  .object({
    msg_status: z.string().max(40).optional(),
    event: z.string().max(40).optional(),
    messageId: z.union([z.string().max(64), z.number()]).optional(),
    to: z.string().max(32).optional(),
    ts_event: z.number().optional(),
    tag: z.string().max(100).optional(),
    reply: z.string().max(2000).optional(),
    text: z.string().max(2000).optional(),
  })
  .passthrough();

/**
 * Brevo's SMS webhook (delivery states, replies, unsubscriptions). Public: the secret is the
 * authorisation (TRUST IN-11). Answers 401 without it, 400 for a replay or a malformed event
 * (nothing changes), 404 for a message Lien does not know yet (Brevo tries again later), 200 otherwise.
 */
export async function outboxCallbackRoutes(
  app: FastifyInstance,
  deps: { config: Config; database: Database; jobs: Jobs; onSmsOptOut: SmsOptOutHook; onSmsReply?: SmsReplyHook },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/outbox/callbacks/brevo-sms',
    {
      config: { policy: publicRoute },
      schema: {
        tags: ['outbox'],
        summary: 'Accusés de livraison et réponses des SMS envoyés par Brevo (webhook, protégé par un secret)',
        querystring: z.object({ token: z.string().max(200).optional() }),
        body: z.union([event, z.array(event).max(100)]),
      },
    },
    async (request, reply) => {
      if (!presentsSecret(request, deps.config.BREVO_WEBHOOK_SECRET)) throw unauthenticated('Secret du webhook absent ou incorrect.');
      const events = (Array.isArray(request.body) ? request.body : [request.body]) as BrevoSmsEvent[];
      const outcomes = [];
      for (const e of events) {
        try {
          outcomes.push(
            await handleBrevoSmsEvent(
              {
                database: deps.database,
                jobs: deps.jobs,
                onSmsOptOut: deps.onSmsOptOut,
                ...(deps.onSmsReply ? { onSmsReply: deps.onSmsReply } : {}),
                maxAgeMinutes: deps.config.SMS_CALLBACK_MAX_AGE_MINUTES,
              },
              e,
            ),
          );
        } catch (error) {
          if (error instanceof CallbackRefused) throw new AppError('callback_refused', 400, error.message);
          throw error;
        }
      }
      if (outcomes.length === 1 && outcomes[0] === 'unknown_message')
        return reply.code(404).send({ error: 'unknown_message', message: 'Message inconnu de Lien (pour l’instant).' });
      return { outcomes };
    },
  );
}
