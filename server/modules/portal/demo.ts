/**
 * The portal's documents in the demo landlord (issue 16): one household of the agency finds an
 * attestation to download and a document asked for in « Mes documents ».
 */

import type { Tx } from '../../platform/db/database.ts';
import { storeFile } from '../../platform/files/files.ts';
import { checklistPdf } from '../../platform/pdf/checklist.ts';
import type { Deps } from '../deps.ts';
import { segmentHouseholdIds } from '../registry/index.ts';
import * as repo from './documents.repository.ts';

export async function seedDemoDocuments(deps: Deps, trx: Tx, p: { organisationId: string; agencyId: string; managerId: string }) {
  // The 7th household from the agency's end: the first ones are left to the browser tests, the last six have appointments.
  const households = (await segmentHouseholdIds(trx, { status: 'active', agencyId: p.agencyId, fragilityMatch: 'all' }, null)).sort();
  const householdId = households.at(-7) ?? households.at(-1);
  if (!householdId) return;
  const bytes = await checklistPdf('Attestation de loyer', 'Habitat Démo atteste que le ménage est locataire et à jour de son loyer au 1er du mois.', [
    'Document de démonstration',
  ]);
  const fileId = await storeFile(trx, deps.jobs, deps.config, p.organisationId, {
    fileName: 'attestation-de-loyer.pdf',
    purpose: 'portal_document',
    bytes,
    createdBy: p.managerId,
  });
  await repo.insertDocument(trx, { householdId, kind: 'attestation', title: 'Attestation de loyer', fileId, userId: p.managerId });
  await repo.insertDocumentRequest(trx, {
    householdId,
    label: 'Avis d’imposition de l’an dernier',
    note: 'Pour mettre à jour votre dossier (supplément de loyer). Une photo lisible suffit.',
    dueOn: null,
    userId: p.managerId,
  });
}
