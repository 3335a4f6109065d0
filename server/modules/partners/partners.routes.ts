import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  partnerBody,
  partnerMemberBody,
  partnerRow,
  partnerUserRow,
  referralAnswerBody,
  referralConsentBody,
  referralDetail,
  referralListBody,
  referralOptions,
  referralReportBody,
  referralRow,
  referralSendBody,
} from '../../../contracts/partners.ts';
import { idParams } from '../../../contracts/users.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import type { Deps } from '../deps.ts';
import * as partners from './partners.service.ts';
import * as referrals from './referrals.service.ts';

const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.string().uuid() });

/** Partners (the administrator's set-up) and referrals (sent by case workers, answered by the partner's users). */
export async function partnerRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admins = { policy: allow(...rolesWith('partners.manage')) };
  const senders = { policy: allow(...rolesWith('referrals.send')) };
  const receivers = { policy: allow(...rolesWith('referrals.receive')) };
  const both = { policy: allow(...rolesWith('referrals.send'), ...rolesWith('referrals.receive')) };
  const tags = ['partners'];

  r.get(
    '/api/partners',
    { config: admins, schema: { tags, summary: 'Les partenaires et leurs membres', response: { 200: z.array(partnerRow) } } },
    async (request) => partners.listPartners(deps, caller(request)),
  );
  r.post(
    '/api/partners',
    { config: admins, schema: { tags, summary: 'Ajouter un partenaire', body: partnerBody, response: { 200: created } } },
    async (request) => partners.createPartner(deps, caller(request), request.body, request.ip),
  );
  r.put(
    '/api/partners/:id',
    { config: admins, schema: { tags, summary: 'Modifier un partenaire', params: idParams, body: partnerBody, response: { 200: ok } } },
    async (request) => {
      await partners.updatePartner(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/partners/users',
    { config: admins, schema: { tags, summary: 'Les comptes « partenaire » et leur partenaire', response: { 200: z.array(partnerUserRow) } } },
    async (request) => partners.partnerUsers(deps, caller(request)),
  );
  r.post(
    '/api/partners/users',
    { config: admins, schema: { tags, summary: 'Rattacher un compte « partenaire » à un partenaire', body: partnerMemberBody, response: { 200: ok } } },
    async (request) => {
      await partners.setMember(deps, caller(request), request.body, request.ip);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/cases/:id/referral-options',
    {
      config: senders,
      schema: { tags, summary: 'Orienter : partenaires suggérés, accords du ménage, champs transmis', params: idParams, response: { 200: referralOptions } },
    },
    async (request) => referrals.referralOptions(deps, caller(request), request.params.id),
  );
  r.get(
    '/api/cases/:id/referrals',
    { config: senders, schema: { tags, summary: 'Les orientations d’un dossier', params: idParams, response: { 200: z.array(referralRow) } } },
    async (request) => referrals.caseReferrals(deps, caller(request), request.params.id),
  );
  r.post(
    '/api/cases/:id/referral-consents',
    {
      config: senders,
      schema: { tags, summary: 'Recueillir l’accord du ménage pour une orientation', params: idParams, body: referralConsentBody, response: { 200: created } },
    },
    async (request) => referrals.recordConsent(deps, caller(request), request.params.id, request.body, request.ip),
  );
  r.post(
    '/api/referrals',
    { config: senders, schema: { tags, summary: 'Envoyer une orientation à un partenaire', body: referralSendBody, response: { 200: created } } },
    async (request) => referrals.sendReferral(deps, caller(request), request.body, request.ip),
  );
  r.post(
    '/api/referrals/list',
    {
      config: both,
      schema: {
        tags,
        summary: 'Les orientations (celles de son partenaire, pour un partenaire)',
        body: referralListBody,
        response: { 200: z.array(referralRow) },
      },
    },
    async (request) => referrals.listReferrals(deps, caller(request), request.body, request.ip),
  );
  r.get(
    '/api/referrals/:id',
    { config: both, schema: { tags, summary: 'Une orientation : ce qui a été transmis', params: idParams, response: { 200: referralDetail } } },
    async (request) => referrals.referralDetail(deps, caller(request), request.params.id, request.ip),
  );
  r.post(
    '/api/referrals/:id/acknowledge',
    { config: receivers, schema: { tags, summary: 'Accuser réception d’une orientation', params: idParams, response: { 200: ok } } },
    async (request) => {
      await referrals.acknowledgeReferral(deps, caller(request), request.params.id, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/referrals/:id/answer',
    { config: receivers, schema: { tags, summary: 'Accepter ou refuser une orientation', params: idParams, body: referralAnswerBody, response: { 200: ok } } },
    async (request) => {
      await referrals.answerReferral(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/referrals/:id/report',
    { config: receivers, schema: { tags, summary: 'Faire le retour d’une orientation', params: idParams, body: referralReportBody, response: { 200: ok } } },
    async (request) => {
      await referrals.reportReferral(deps, caller(request), request.params.id, request.body, request.ip);
      return { ok: true as const };
    },
  );
}
