/** Data classification of the tables privacy owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

// The requests exist to answer the person within the legal deadline (RGPD art. 12 to 22).
const rental = classifier('rental_management');

export const privacyData = {
  subject_requests: {
    about: 'Demandes d’une personne sur ses données (droit d’accès…) et leur échéance légale',
    columns: {
      id: rental('internal'),
      organisation_id: rental('internal'),
      household_id: rental('personal'),
      person_id: rental('personal'),
      kind: rental('personal'),
      received_on: rental('personal'),
      due_on: rental('personal'),
      status: rental('personal'),
      recorded_by: rental('personal'),
      recorded_at: rental('personal'),
      answered_at: rental('personal'),
      answered_by: rental('personal'),
      // Free text of the DPO (how the request arrived…).
      notes: rental('social_sensitive'),
      // The purposes objected to (objection requests, DP-07).
      purposes: rental('personal'),
      // What an erasure or objection did: counts per table deleted, restricted or kept, and why.
      outcome: rental('personal'),
      executed_at: rental('personal'),
      executed_by: rental('personal'),
      // Why the DPO refused an erasure or an objection (free text told to the person).
      refusal_reason: rental('social_sensitive'),
    },
  },
} satisfies ModuleClassification<'privacy'>;
