/**
 * The demo's federation (issue 18): « Fédération Démo » counts the demo landlord among its
 * members, the landlord shares every indicator, and the demo's federation analyst belongs to it —
 * so analyste@demo.lien.fr opens a federation's space with figures, not an empty shell — with the
 * federation's administrator (federation@demo.lien.fr), who manages its members.
 */
import { indicatorIds } from '../../../contracts/indicators.ts';
import { newTotpSecret } from '../../platform/auth/totp.ts';
import { createOrganisation, markDemoOrganisation } from '../../platform/db/organisations.ts';
import type { Deps } from '../deps.ts';
import { createActiveUser } from '../identity/index.ts';
import * as repo from './federation.repository.ts';
import { runRefresh } from './federation.service.ts';

export const DEMO_FEDERATION = { slug: 'demo-federation', name: 'Fédération Démo des bailleurs' };

export async function seedDemoFederation(
  deps: Deps,
  o: {
    ownerUrl: string;
    landlord: { id: string; name: string };
    analyst: { email: string; firstName: string; lastName: string };
    admin: { email: string; firstName: string; lastName: string };
    passwordHash: string;
  },
) {
  const federationId = await createOrganisation(deps.database, { ...DEMO_FEDERATION, kind: 'federation' });
  await markDemoOrganisation(o.ownerUrl, federationId);
  await deps.database.withOrg({ organisationId: federationId }, async (trx) => {
    await createActiveUser(trx, { ...o.analyst, role: 'federation_analyst', endDate: null, passwordHash: o.passwordHash, totpSecret: newTotpSecret() });
    await createActiveUser(trx, { ...o.admin, role: 'org_admin', endDate: null, passwordHash: o.passwordHash, totpSecret: newTotpSecret() });
    await repo.addMember(trx, { memberId: o.landlord.id, memberName: o.landlord.name, federationName: DEMO_FEDERATION.name });
  });
  await deps.database.withOrg({ organisationId: o.landlord.id }, (trx) =>
    repo.upsertAgreement(trx, { federationId, federationName: DEMO_FEDERATION.name, indicators: [...indicatorIds] }),
  );
  await runRefresh(deps.database, federationId, null);
  return federationId;
}
