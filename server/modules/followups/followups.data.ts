/** Data classification of the tables followups owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const fragility = classifier('fragility_register');

export const followupsData = {
  followups: {
    about: 'Suivis ouverts par un appel ou une visite : ce qu’il faut faire pour un ménage',
    columns: {
      id: fragility('internal'),
      organisation_id: fragility('internal'),
      household_id: fragility('personal'),
      agency_id: fragility('internal'),
      campaign_id: fragility('internal'),
      attempt_id: fragility('personal'),
      // Needs include health ones (kept under consent_id) and « hospitalisation ».
      need: fragility('art9_health'),
      label: fragility('art9_health'),
      consent_id: fragility('art9_health'),
      urgent: fragility('social_sensitive'),
      status: fragility('social_sensitive'),
      assigned_to: fragility('personal'),
      created_at: fragility('social_sensitive'),
      closed_at: fragility('social_sensitive'),
      closed_by: fragility('personal'),
      // Free text written by staff when closing.
      resolution: fragility('social_sensitive'),
    },
  },
} satisfies ModuleClassification<'followups'>;
