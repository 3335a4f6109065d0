/** Data classification of the tables partners owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const referral = classifier('referral');

export const partnersData = {
  partners: {
    about: 'Partenaires du bailleur (CCAS, associations, Soliha…) : communes servies, besoins pris en charge, délai d’accusé de réception',
    columns: {
      id: referral('internal'),
      organisation_id: referral('internal'),
      name: referral('internal'),
      kind: referral('internal'),
      communes: referral('internal'),
      need_types: referral('internal'),
      ack_days: referral('internal'),
      active: referral('internal'),
      created_at: referral('internal'),
    },
  },
  partner_members: {
    about: 'Comptes « partenaire » rattachés à un partenaire',
    columns: {
      organisation_id: referral('internal'),
      user_id: referral('personal'),
      partner_id: referral('internal'),
      created_at: referral('personal'),
    },
  },
  referrals: {
    about: 'Orientations d’un dossier vers un partenaire : champs transmis (copie exacte), accord du ménage, réponses du partenaire',
    columns: {
      id: referral('internal'),
      organisation_id: referral('internal'),
      case_id: referral('internal'),
      household_id: referral('personal'),
      agency_id: referral('internal'),
      partner_id: referral('social_sensitive'),
      consent_id: referral('personal'),
      // Says that health details were sent (under explicit consent).
      health_consent_id: referral('art9_health'),
      fields: referral('personal'),
      // The snapshot: name, phone, address, need; health details only under explicit consent.
      payload: referral('art9_health'),
      status: referral('social_sensitive'),
      decline_reason: referral('social_sensitive'),
      outcome: referral('social_sensitive'),
      // Free text written by the partner (checked by the free-text guard).
      partner_note: referral('social_sensitive'),
      sent_by: referral('personal'),
      sent_at: referral('social_sensitive'),
      ack_due_at: referral('internal'),
      acknowledged_at: referral('social_sensitive'),
      answered_at: referral('social_sensitive'),
      reported_at: referral('social_sensitive'),
      updated_by: referral('personal'),
    },
  },
} satisfies ModuleClassification<'partners'>;
