/** Data classification of the tables solidarity owns (TRUST DP-01; see platform/db/classification.ts). */

import type { ModuleClassification } from '../../platform/db/classification.ts';
import { classifier } from '../../platform/db/classification.ts';

// Lending a home is an orientation with a partner (hospital, care home, association).
const referral = classifier('referral');

export const solidarityData = {
  lending_offers: {
    about: 'Logements vacants proposés au prêt (dates, public, secteur, capacité ; jamais l’adresse)',
    columns: {
      id: referral('internal'),
      organisation_id: referral('internal'),
      audience: referral('internal'),
      furnished: referral('internal'),
      available_from: referral('internal'),
      available_to: referral('internal'),
      postal_code: referral('internal'),
      city: referral('internal'),
      capacity: referral('internal'),
      status: referral('internal'),
      keeper_id: referral('personal'),
      created_at: referral('internal'),
      closed_at: referral('internal'),
    },
  },
  lending_offer_units: {
    about: 'Logement prêté par une offre ; celui d’une mise à l’abri, visible de ses deux seules personnes (base de données)',
    columns: {
      offer_id: referral('internal'),
      organisation_id: referral('internal'),
      // Where a person fleeing violence is sheltered: its disclosure would endanger her.
      unit_id: referral('social_sensitive'),
      confidential: referral('internal'),
      keeper_id: referral('personal'),
      referent_id: referral('personal'),
      released_at: referral('internal'),
    },
  },
  lending_requests: {
    about: 'Demandes de logement d’un hôpital, d’un établissement ou d’une association : dates, secteur, taille du foyer (sans nom)',
    columns: {
      id: referral('internal'),
      organisation_id: referral('internal'),
      // « Mise à l’abri » reveals a person fleeing violence, though the request names nobody.
      audience: referral('social_sensitive'),
      requester_kind: referral('internal'),
      requester_name: referral('internal'),
      needed_from: referral('internal'),
      needed_to: referral('internal'),
      area: referral('internal'),
      household_size: referral('internal'),
      referent_id: referral('personal'),
      status: referral('internal'),
      created_by: referral('personal'),
      created_at: referral('internal'),
      closed_at: referral('internal'),
    },
  },
  lendings: {
    about: 'Prêts de logement : convention, remise et retour des clés',
    columns: {
      id: referral('internal'),
      organisation_id: referral('internal'),
      offer_id: referral('internal'),
      request_id: referral('internal'),
      status: referral('internal'),
      agreed_at: referral('internal'),
      keys_handed_at: referral('internal'),
      keys_returned_at: referral('internal'),
      created_by: referral('personal'),
    },
  },
} satisfies ModuleClassification<'solidarity'>;
