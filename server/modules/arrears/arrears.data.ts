/** Data classification of the tables arrears owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const arrears = classifier('arrears');

export const arrearsData = {
  payment_plans: {
    about: 'Plans de paiement d’une dette locative (report, étalement, apurement)',
    columns: {
      id: arrears('internal'),
      organisation_id: arrears('internal'),
      household_id: arrears('personal'),
      case_id: arrears('internal'),
      kind: arrears('social_sensitive'),
      amount_cents: arrears('social_sensitive'),
      start_on: arrears('social_sensitive'),
      months: arrears('social_sensitive'),
      signed_on: arrears('social_sensitive'),
      grace_days: arrears('internal'),
      baseline_cents: arrears('social_sensitive'),
      status: arrears('social_sensitive'),
      created_by: arrears('personal'),
      created_at: arrears('internal'),
    },
  },
  plan_instalments: {
    about: 'Échéances d’un plan de paiement et leur respect',
    columns: {
      id: arrears('internal'),
      organisation_id: arrears('internal'),
      plan_id: arrears('internal'),
      seq: arrears('internal'),
      due_on: arrears('social_sensitive'),
      amount_cents: arrears('social_sensitive'),
      status: arrears('social_sensitive'),
      checked_at: arrears('internal'),
      task_id: arrears('internal'),
    },
  },
  arrears_pauses: {
    about: 'Suspensions des relances d’impayés d’un ménage (mode crise)',
    columns: {
      id: arrears('internal'),
      organisation_id: arrears('internal'),
      household_id: arrears('personal'),
      until_on: arrears('social_sensitive'),
      // Written by staff: a crisis (« confinement »), never about the person.
      reason: arrears('social_sensitive'),
      created_by: arrears('personal'),
      created_at: arrears('internal'),
      lifted_at: arrears('internal'),
    },
  },
  arrears_steps: {
    about: 'Demandes au FSL et activations de garantie d’un dossier impayés',
    columns: {
      id: arrears('internal'),
      organisation_id: arrears('internal'),
      case_id: arrears('internal'),
      household_id: arrears('personal'),
      kind: arrears('social_sensitive'),
      filed_on: arrears('social_sensitive'),
      decided_on: arrears('social_sensitive'),
      decision: arrears('social_sensitive'),
      amount_cents: arrears('social_sensitive'),
      created_by: arrears('personal'),
      created_at: arrears('internal'),
    },
  },
} satisfies ModuleClassification<'arrears'>;
