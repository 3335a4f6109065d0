/** Data classification of the tables platform/auth owns (TRUST DP-01; see platform/db/classification.ts). */
import { classify, type ModuleClassification } from '../db/classification.ts';

export const authData = {
  sessions: {
    about: 'Sessions de connexion des utilisateur·rices (navigateur connecté)',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      token_hash: classify('personal', 'security'),
      stage: classify('internal', 'security'),
      created_at: classify('personal', 'security'),
      last_seen_at: classify('personal', 'security'),
      authenticated_at: classify('personal', 'security'),
      ended_at: classify('personal', 'security'),
      end_reason: classify('internal', 'security'),
    },
  },
  auth_throttle: {
    about: 'Échecs de connexion récents par adresse ou par compte (limitation des essais)',
    columns: {
      key: classify('personal', 'security'),
      failures_at: classify('personal', 'security'),
    },
  },
} satisfies ModuleClassification<'platform/auth'>;
