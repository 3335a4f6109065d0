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
      case_id: fragility('internal'),
      raised_by: fragility('personal'),
    },
  },
  cases: {
    about: 'Dossiers d’accompagnement d’un ménage : type de besoin, origine, statut, personne chargée',
    columns: {
      id: fragility('internal'),
      organisation_id: fragility('internal'),
      household_id: fragility('personal'),
      agency_id: fragility('internal'),
      // « Santé » or « violences » says something about the household's health or safety.
      type: fragility('art9_health'),
      origin: fragility('social_sensitive'),
      status: fragility('social_sensitive'),
      outcome: fragility('social_sensitive'),
      // Free text written by staff when closing (checked by the free-text guard).
      outcome_note: fragility('social_sensitive'),
      urgent: fragility('social_sensitive'),
      next_due: fragility('social_sensitive'),
      assigned_to: fragility('personal'),
      opened_by: fragility('personal'),
      created_at: fragility('social_sensitive'),
      updated_at: fragility('social_sensitive'),
      closed_at: fragility('social_sensitive'),
      closed_by: fragility('personal'),
    },
  },
  case_tasks: {
    about: 'Tâches d’un dossier d’accompagnement, avec leur échéance',
    columns: {
      id: fragility('internal'),
      organisation_id: fragility('internal'),
      case_id: fragility('internal'),
      title: fragility('social_sensitive'),
      due_on: fragility('social_sensitive'),
      remind: fragility('internal'),
      reminded_at: fragility('internal'),
      done_at: fragility('social_sensitive'),
      done_by: fragility('personal'),
      created_by: fragility('personal'),
      created_at: fragility('social_sensitive'),
    },
  },
  case_notes: {
    about: 'Notes d’un dossier ; celles de type santé ou violences ne sont lisibles que des travailleur·ses sociaux·ales et responsables',
    columns: {
      id: fragility('internal'),
      organisation_id: fragility('internal'),
      case_id: fragility('internal'),
      kind: fragility('art9_health'),
      // Health and violence notes hold art. 9 data, read under a row-level policy.
      body: fragility('art9_health'),
      author_id: fragility('personal'),
      created_at: fragility('social_sensitive'),
    },
  },
} satisfies ModuleClassification<'followups'>;
