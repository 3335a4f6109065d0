/** Data classification of the tables retention owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

// The rules are the landlord's settings, no person's data: who changed one is in the audit trail.
const security = classifier('security');

export const retentionData = {
  retention_rules: {
    about: 'Durée de conservation choisie par l’organisme pour une finalité',
    columns: {
      organisation_id: security('internal'),
      purpose: security('internal'),
      end_kind: security('internal'),
      months: security('internal'),
      updated_at: security('internal'),
    },
  },
} satisfies ModuleClassification<'retention'>;
