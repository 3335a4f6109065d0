/** Data classification of the tables the portal owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, classify, type ModuleClassification } from '../../platform/db/classification.ts';

const portal = classifier('portal');
const security = (c: 'internal' | 'personal') => classify(c, 'security');

export const portalData = {
  portal_codes: {
    about: 'Codes de connexion à l’espace locataire (empreinte seulement), valables 10 minutes',
    columns: {
      id: security('internal'),
      organisation_id: security('internal'),
      person_id: security('personal'),
      household_id: security('personal'),
      contact_point_id: security('personal'),
      code_hash: security('internal'),
      expires_at: security('internal'),
      attempts: security('internal'),
      used_at: security('internal'),
      created_at: security('internal'),
    },
  },
  tenant_sessions: {
    about: 'Sessions des locataires dans l’espace locataire',
    columns: {
      id: security('internal'),
      organisation_id: security('internal'),
      person_id: security('personal'),
      household_id: security('personal'),
      token_hash: security('internal'),
      created_at: security('internal'),
      last_seen_at: security('internal'),
      ended_at: security('internal'),
      end_reason: security('internal'),
    },
  },
  portal_deadlines: {
    about: 'Délai de réponse du bailleur par catégorie de demande',
    columns: {
      organisation_id: portal('internal'),
      category: portal('internal'),
      days: portal('internal'),
    },
  },
  portal_requests: {
    about: 'Demandes déposées par les locataires (catégorie, description, statut, échéance)',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      household_id: portal('personal'),
      agency_id: portal('internal'),
      person_id: portal('personal'),
      category: portal('personal'),
      description: portal('social_sensitive'),
      status: portal('personal'),
      assigned_to: portal('personal'),
      due_at: portal('internal'),
      case_id: portal('internal'),
      created_at: portal('personal'),
      updated_at: portal('internal'),
      closed_at: portal('internal'),
    },
  },
  portal_request_messages: {
    about: 'Échanges entre le locataire et le bailleur sur une demande (messages, documents, statuts)',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      request_id: portal('internal'),
      household_id: portal('personal'),
      author: portal('internal'),
      person_id: portal('personal'),
      user_id: portal('personal'),
      body: portal('social_sensitive'),
      file_id: portal('personal'),
      created_at: portal('personal'),
    },
  },
  portal_articles: {
    about: 'Questions fréquentes et actualités écrites par le bailleur pour ses locataires',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      kind: portal('internal'),
      agency_id: portal('internal'),
      title: portal('internal'),
      body: portal('internal'),
      created_by: portal('personal'),
      created_at: portal('internal'),
      updated_at: portal('internal'),
    },
  },
  portal_settings: {
    about: 'Ce que le bailleur montre à ses locataires dans leur espace (solde et plan de paiement)',
    columns: {
      organisation_id: portal('internal'),
      show_balance: portal('internal'),
    },
  },
  portal_request_notes: {
    about: 'Notes internes des salarié·es sur une demande, jamais montrées au locataire',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      request_id: portal('internal'),
      user_id: portal('personal'),
      body: portal('social_sensitive'),
      created_at: portal('internal'),
    },
  },
} satisfies ModuleClassification<'portal'>;
