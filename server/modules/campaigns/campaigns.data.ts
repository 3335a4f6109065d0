/** Data classification of the tables campaigns owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const campaign = classifier('campaign');

export const campaignsData = {
  campaigns: {
    about: 'Campagnes d’appels : segment, questionnaire, créneaux, limites',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      name: campaign('internal'),
      purpose: campaign('internal'),
      status: campaign('internal'),
      agency_ids: campaign('internal'),
      segment: campaign('internal'),
      script: campaign('internal'),
      call_windows: campaign('internal'),
      retry_policy: campaign('internal'),
      caller_limits: campaign('internal'),
      claim_timeout_minutes: campaign('internal'),
      excluded_no_call: campaign('internal'),
      created_by: campaign('personal'),
      created_at: campaign('internal'),
      updated_at: campaign('internal'),
      launched_at: campaign('internal'),
      closed_at: campaign('internal'),
    },
  },
  campaign_callers: {
    about: 'Appelant·es du vivier d’une campagne',
    columns: {
      organisation_id: campaign('internal'),
      campaign_id: campaign('internal'),
      user_id: campaign('personal'),
      added_at: campaign('personal'),
    },
  },
} satisfies ModuleClassification<'campaigns'>;
