/** Partners (partenaires): the administrator sets them up and links their users (role « partenaire »). */
import type { z } from 'zod';
import type { PartnerBody, partnerMemberBody } from '../../../contracts/partners.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import { activeUsers, isActiveWith } from '../identity/index.ts';
import * as repo from './partners.repository.ts';

const nameTaken = () => conflict('partner_name_taken', 'Un partenaire porte déjà ce nom.');
const values = (b: PartnerBody): repo.PartnerValues => ({
  name: b.name,
  kind: b.kind,
  communes: [...new Set(b.communes.filter((c) => c.length > 0))],
  needTypes: [...new Set(b.needTypes)],
  ackDays: b.ackDays,
  active: b.active,
});

/** Every partner with its members. */
export function listPartners(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const users = new Map(
      (await activeUsers(trx, { roles: ['partner'] })).map((u) => [u.id, { id: u.id, name: `${u.first_name} ${u.last_name}`, email: u.email }]),
    );
    return (await repo.partners(trx)).map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      communes: p.communes,
      needTypes: p.need_types,
      ackDays: p.ack_days,
      active: p.active,
      members: p.member_ids.flatMap((id) => users.get(id) ?? []),
    }));
  });
}

export function createPartner(deps: Deps, s: SessionContext, body: PartnerBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const id = await repo.insertPartner(trx, values(body));
    if (!id) throw nameTaken();
    await recordAudit(trx, actorOf(s, ip), { action: 'partner.created', objectType: 'partner', objectId: id });
    return { id };
  });
}

export function updatePartner(deps: Deps, s: SessionContext, id: string, body: PartnerBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.updatePartner(trx, id, values(body));
    if (r === 'missing') throw notFound('Partenaire', 'partner_not_found');
    if (r === 'taken') throw nameTaken();
    await recordAudit(trx, actorOf(s, ip), { action: 'partner.updated', objectType: 'partner', objectId: id });
  });
}

/** The active accounts of role « partenaire » and the partner each belongs to. */
export function partnerUsers(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const users = await activeUsers(trx, { roles: ['partner'] });
    const member = await repo.membershipsOf(
      trx,
      users.map((u) => u.id),
    );
    return users.map((u) => ({ id: u.id, name: `${u.first_name} ${u.last_name}`, email: u.email, partnerId: member.get(u.id) ?? null }));
  });
}

/** Links an account of role « partenaire » to a partner (or unlinks it). */
export function setMember(deps: Deps, s: SessionContext, body: z.infer<typeof partnerMemberBody>, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await isActiveWith(trx, { userId: body.userId, roles: ['partner'] })))
      throw invalid('partner_user_invalid', 'Ce compte n’est pas un compte « partenaire » actif.');
    if (body.partnerId && !(await repo.partnerOf(trx, body.partnerId))) throw notFound('Partenaire', 'partner_not_found');
    await repo.setMembership(trx, body.userId, body.partnerId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'partner.member_set',
      objectType: 'user',
      objectId: body.userId,
      details: { partnerId: body.partnerId },
    });
  });
}
