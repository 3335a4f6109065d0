/** Data classification of the tables platform/audit owns (TRUST DP-01; see platform/db/classification.ts). */
import { classify, type ModuleClassification } from '../db/classification.ts';

export const auditData = {
  audit_events: {
    about: 'Journal d’audit : qui a consulté ou modifié quoi, et quand (ajout seul)',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      at: classify('personal', 'security'),
      actor_id: classify('personal', 'security'),
      actor_role: classify('personal', 'security'),
      ip: classify('personal', 'security'),
      action: classify('personal', 'security'),
      object_type: classify('internal', 'security'),
      object_id: classify('personal', 'security'),
      details: classify('personal', 'security'),
    },
  },
} satisfies ModuleClassification<'platform/audit'>;
