import type { CaretakerOption, ResidenceRow } from '../../../contracts/residences.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { invalid, notFound } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import { caretakerFor, caretakers } from '../identity/index.ts';
import { scopeOf } from './households.service.ts';
import * as repo from './residences.repository.ts';

/** Who sees the residences and gives them a caretaker: the organisation's admins, managers inside their agencies. */
export const residenceManagers = rolesWith('residences.manage');

export function listResidences(deps: Deps, s: SessionContext, filter: { agencyId?: string | undefined; q?: string | undefined }): Promise<ResidenceRow[]> {
  return withSession(deps.database, s, async (trx) =>
    (await repo.listResidences(trx, scopeOf(s), filter)).map((r) => ({
      id: r.id,
      erpCode: r.erp_code,
      name: r.name,
      address: r.address,
      postalCode: r.postal_code,
      city: r.city,
      qpv: r.qpv,
      agencyId: r.agency_id,
      agency: r.agency,
      households: r.households,
      caretakerId: r.caretaker_id,
      caretakerName: r.caretaker_name,
      caretakerServing: r.caretaker_serving,
    })),
  );
}

export function caretakerOptions(deps: Deps, s: SessionContext): Promise<CaretakerOption[]> {
  return withSession(deps.database, s, async (trx) => (await caretakers(trx, scopeOf(s))).map((c) => ({ id: c.id, name: c.name, agencyIds: c.agency_ids })));
}

/**
 * Give a residence its caretaker (or none): an active caretaker of the organisation, attached to
 * the residence's agency when they have agencies. Pending doorstep visits follow; audited with
 * the previous caretaker.
 */
export function assignCaretaker(deps: Deps, s: SessionContext, residenceId: string, caretakerId: string | null, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const residence = await repo.findResidence(trx, residenceId, scopeOf(s));
    if (!residence) throw notFound('Résidence', 'residence_not_found');
    if (caretakerId) {
      const caretaker = await caretakerFor(trx, { caretakerId, agencyId: residence.agency_id });
      if (!caretaker) throw invalid('caretaker_invalid', 'Choisissez un·e gardien·ne actif·ve de votre organisme.');
      if (!caretaker.serves) {
        throw invalid('caretaker_other_agency', `${caretaker.name} n’est pas rattaché·e à l’agence de cette résidence.`);
      }
    }
    if (residence.caretaker_id === caretakerId) return;
    await repo.setCaretaker(trx, residenceId, caretakerId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'residence.caretaker_set',
      objectType: 'residence',
      objectId: residenceId,
      details: { from: residence.caretaker_id, to: caretakerId },
    });
  });
}
