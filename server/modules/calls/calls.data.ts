/** Data classification of the tables calls owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, classify, type ModuleClassification } from '../../platform/db/classification.ts';

const campaign = classifier('campaign');

export const callsData = {
  campaign_targets: {
    about: 'Ménages dans la file d’appel d’une campagne',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      campaign_id: campaign('internal'),
      household_id: campaign('personal'),
      agency_id: campaign('internal'),
      residence_id: campaign('internal'),
      // Computed from the household's fragility: the most fragile are called first.
      priority: campaign('social_sensitive'),
      status: campaign('personal'),
      attempts: campaign('personal'),
      tried_slots: campaign('personal'),
      next_attempt_at: campaign('personal'),
      last_contact_at: campaign('personal'),
      assigned_to: campaign('personal'),
      assigned_at: campaign('personal'),
      claim_expires_at: campaign('internal'),
      callback_user_id: campaign('personal'),
      // The outcomes include « in hospital » and « deceased ».
      final_outcome: campaign('art9_health'),
      updated_at: campaign('internal'),
    },
  },
  call_attempts: {
    about: 'Appels passés, leur issue, les réponses au questionnaire et la note de l’appelant·e',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      campaign_id: campaign('internal'),
      target_id: campaign('personal'),
      household_id: campaign('personal'),
      caller_id: campaign('personal'),
      slot: campaign('personal'),
      claimed_at: campaign('personal'),
      recorded_at: campaign('personal'),
      // The outcomes include « in hospital » and « deceased ».
      outcome: campaign('art9_health'),
      // Health answers are kept under an explicit consent (health_consent_id, health_keys).
      answers: classify('art9_health', 'campaign', 'fragility_register'),
      health_consent_id: classify('art9_health', 'fragility_register'),
      health_keys: classify('art9_health', 'fragility_register'),
      urgent: campaign('social_sensitive'),
      callback_at: campaign('personal'),
      // Free text: capped and checked for health terms (note-guard), still sensitive.
      note: campaign('social_sensitive'),
      note_flags: campaign('social_sensitive'),
      note_review: campaign('social_sensitive'),
    },
  },
  campaign_caller_events: {
    about: 'Demandes, rendus et alertes comptés par les limites horaires des appelant·es',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      campaign_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      kind: classify('personal', 'security'),
      at: classify('personal', 'security'),
    },
  },
  charter_acceptances: {
    about: 'Acceptations de la charte de confidentialité par les appelant·es',
    columns: {
      id: classify('internal', 'security'),
      organisation_id: classify('internal', 'security'),
      user_id: classify('personal', 'security'),
      version: classify('internal', 'security'),
      accepted_at: classify('personal', 'security'),
    },
  },
} satisfies ModuleClassification<'calls'>;
