/**
 * The demo landlord's partners (CCAS, Secours populaire, Soliha, Protection civile, the FSL
 * office), the demo partner account linked to the CCAS, and a few referrals of the demo's cases:
 * one new in the CCAS's inbox, one overdue at Soliha, one reported back by the Secours populaire.
 */
import type { CaseType } from '../../../contracts/cases.ts';
import { caseTypeLabels } from '../../../contracts/cases.ts';
import type { Tx } from '../../platform/db/database.ts';
import { setCaseStatus } from '../followups/index.ts';
import { householdReferralFacts, recordReferralConsent } from '../registry/index.ts';
import * as repo from './partners.repository.ts';

const partners: repo.PartnerValues[] = [
  { name: 'CCAS de Vitry-sur-Seine', kind: 'ccas', communes: ['Vitry-sur-Seine'], needTypes: ['food', 'isolation', 'rent'], ackDays: 3, active: true },
  { name: 'Secours populaire du Val-de-Marne', kind: 'association', communes: [], needTypes: ['food', 'isolation'], ackDays: 5, active: true },
  { name: 'Soliha Val-de-Marne', kind: 'soliha', communes: [], needTypes: ['technical'], ackDays: 5, active: true },
  { name: 'Protection civile du Val-de-Marne', kind: 'civil_protection', communes: [], needTypes: ['isolation', 'health'], ackDays: 2, active: true },
  { name: 'Fonds de solidarité logement du Val-de-Marne', kind: 'fsl', communes: [], needTypes: ['rent'], ackDays: 10, active: true },
];

export async function seedDemoPartners(
  trx: Tx,
  p: { partnerUserId: string | undefined; senderId: string; agencyId: string; cases: { id: string; type: CaseType; householdId: string }[]; now: Date },
) {
  const ids = new Map<string, string>();
  for (const values of partners) {
    const id = await repo.insertPartner(trx, values);
    if (id) ids.set(values.name, id);
  }
  const ccas = ids.get('CCAS de Vitry-sur-Seine');
  if (p.partnerUserId && ccas) await repo.setMembership(trx, p.partnerUserId, ccas);
  const day = (n: number) => new Date(p.now.getTime() + n * 86_400_000);
  const plan: { type: CaseType; partner: string; sentDaysAgo: number; reported?: boolean }[] = [
    { type: 'isolation', partner: 'CCAS de Vitry-sur-Seine', sentDaysAgo: 1 },
    { type: 'technical', partner: 'Soliha Val-de-Marne', sentDaysAgo: 8 },
    { type: 'food', partner: 'Secours populaire du Val-de-Marne', sentDaysAgo: 18, reported: true },
  ];
  for (const r of plan) {
    const c = p.cases.find((k) => k.type === r.type);
    const partnerId = ids.get(r.partner);
    const facts = c && (await householdReferralFacts(trx, c.householdId));
    if (!c || !partnerId || !facts) continue;
    const consentId = await recordReferralConsent(trx, {
      householdId: c.householdId,
      partnerId,
      purpose: 'referral',
      channel: 'phone',
      wording: `Accord pour être orienté·e vers ${r.partner} (champs du modèle d’orientation)`,
      recordedBy: p.senderId,
    });
    const payload: Record<string, string> = {};
    for (const [k, v] of Object.entries({
      holder_name: facts.holder,
      phone: facts.phone,
      address: [facts.address, facts.postal_code].filter(Boolean).join(', '),
      commune: facts.city,
      need_type: caseTypeLabels[c.type],
    }))
      if (v) payload[k] = v;
    const id = await repo.insertReferral(trx, {
      caseId: c.id,
      householdId: c.householdId,
      agencyId: p.agencyId,
      partnerId,
      consentId,
      healthConsentId: null,
      fields: Object.keys(payload),
      payload,
      sentBy: p.senderId,
      at: day(-r.sentDaysAgo),
      ackDays: partners.find((x) => x.name === r.partner)?.ackDays ?? 5,
    });
    if (r.reported) {
      await repo.setReferralStatus(trx, id, { status: 'acknowledged', at: day(-r.sentDaysAgo + 1), userId: p.senderId });
      await repo.setReferralStatus(trx, id, {
        status: 'reported',
        at: day(-3),
        userId: p.senderId,
        outcome: 'done',
        note: 'Colis livrés pendant trois semaines.',
      });
    } else await setCaseStatus(trx, c.id, 'waiting_partner');
  }
}
