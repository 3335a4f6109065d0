/** Data classification of the tables doorstep owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const campaign = classifier('campaign');

export const doorstepData = {
  doorstep_visits: {
    about: 'Visites à domicile (porte-à-porte) des ménages qu’un appel n’a pas joints',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      campaign_id: campaign('internal'),
      target_id: campaign('personal'),
      // Or born of a delivery not handed over twice (issue 17).
      delivery_id: campaign('internal'),
      household_id: campaign('personal'),
      agency_id: campaign('internal'),
      residence_id: campaign('internal'),
      status: campaign('personal'),
      // The results include « in hospital » and « concern ».
      result: campaign('art9_health'),
      visited_at: campaign('personal'),
      visited_by: campaign('personal'),
      // Free text of the caretaker.
      note: campaign('social_sensitive'),
      created_at: campaign('internal'),
    },
  },
} satisfies ModuleClassification<'doorstep'>;
