/** Data classification of the tables identity owns (TRUST DP-01; see platform/db/classification.ts). */
import { classify, type ModuleClassification } from '../../platform/db/classification.ts';

export const identityData = {
  agencies: {
    about: 'Agences du bailleur',
    columns: {
      id: classify('internal', 'rental_management'),
      organisation_id: classify('internal', 'rental_management'),
      code: classify('internal', 'rental_management'),
      name: classify('public', 'rental_management'),
      duty_phone: classify('internal', 'rental_management'),
      created_at: classify('internal', 'rental_management'),
    },
  },
  users: {
    about: 'Comptes des personnes qui se connectent (salarié·es, gardien·nes, bénévoles, partenaires)',
    columns: {
      id: classify('personal', 'security'),
      organisation_id: classify('internal', 'security'),
      email: classify('personal', 'security'),
      first_name: classify('personal', 'security'),
      last_name: classify('personal', 'security'),
      role: classify('personal', 'security'),
      status: classify('personal', 'security'),
      end_date: classify('personal', 'security'),
      password_hash: classify('personal', 'security'),
      totp_enabled: classify('personal', 'security'),
      totp_secret: classify('personal', 'security'),
      totp_last_step: classify('personal', 'security'),
      created_at: classify('personal', 'security'),
      updated_at: classify('personal', 'security'),
    },
  },
  user_agencies: {
    about: 'Agences pour lesquelles travaille chaque utilisateur·rice (périmètre d’accès)',
    columns: {
      organisation_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      agency_id: classify('internal', 'security'),
    },
  },
  user_tokens: {
    about: 'Jetons d’invitation et de réinitialisation du mot de passe',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      purpose: classify('internal', 'security'),
      token_hash: classify('personal', 'security'),
      expires_at: classify('internal', 'security'),
      used_at: classify('personal', 'security'),
      created_at: classify('personal', 'security'),
    },
  },
  user_recovery_codes: {
    about: 'Codes de secours du second facteur (empreintes)',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      code_hash: classify('personal', 'security'),
      used_at: classify('personal', 'security'),
      created_at: classify('personal', 'security'),
    },
  },
} satisfies ModuleClassification<'identity'>;
