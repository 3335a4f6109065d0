/** Data classification of the tables solidarity owns (TRUST DP-01; see platform/db/classification.ts). */

import type { ModuleClassification } from '../../platform/db/classification.ts';
import { classifier } from '../../platform/db/classification.ts';

// Lending a home is an orientation with a partner (hospital, care home, association).
const referral = classifier('referral');
// Volunteers are recruited to call and help tenants: the purpose of the campaigns they serve.
const campaign = classifier('campaign');
// Deliveries help isolated tenants: the support purpose of the fragility register.
const support = classifier('fragility_register');

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
  deliveries: {
    about: 'Livraisons (repas, courses, médicaments) à un ménage par un·e bénévole ou un·e gardien·ne',
    columns: {
      id: support('internal'),
      organisation_id: support('internal'),
      household_id: support('personal'),
      agency_id: support('internal'),
      // A delivery reveals a need for help; never a medicine's detail (a check of the table).
      kind: support('social_sensitive'),
      detail: support('social_sensitive'),
      due_on: support('personal'),
      assignee_id: support('personal'),
      status: support('personal'),
      not_home_count: support('personal'),
      done_at: support('personal'),
      created_by: support('personal'),
      created_at: support('internal'),
    },
  },
  distributions: {
    about: 'Distributions (colis, repas, kits d’hygiène) avec un partenaire : jour, lieu, capacité',
    columns: {
      id: support('internal'),
      organisation_id: support('internal'),
      partner_id: support('internal'),
      kind: support('internal'),
      held_on: support('internal'),
      place: support('internal'),
      capacity: support('internal'),
      status: support('internal'),
      invitation_send_id: support('internal'),
      created_by: support('personal'),
      created_at: support('internal'),
    },
  },
  distribution_invitees: {
    about: 'Ménages invités à une distribution, et s’ils sont venus',
    columns: {
      organisation_id: support('internal'),
      distribution_id: support('internal'),
      // Being invited to a food distribution reveals a need for food aid.
      household_id: support('social_sensitive'),
      source: support('social_sensitive'),
      invited_at: support('personal'),
      attended: support('personal'),
      marked_at: support('personal'),
    },
  },
  outreach_events: {
    about: 'Après-midi au pied d’un immeuble : résidence, jour, partenaires et salarié·es présents',
    columns: {
      id: support('internal'),
      organisation_id: support('internal'),
      residence_id: support('internal'),
      held_on: support('internal'),
      partner_ids: support('internal'),
      staff_ids: support('personal'),
      invitation_send_id: support('internal'),
      created_by: support('personal'),
      created_at: support('internal'),
    },
  },
  outreach_contacts: {
    about: 'Contacts pris lors d’un après-midi au pied d’un immeuble, avec ou sans le ménage, et les sujets abordés',
    columns: {
      id: support('internal'),
      organisation_id: support('internal'),
      event_id: support('internal'),
      household_id: support('personal'),
      // Arrears, health, isolation: the topics reveal a fragility.
      topics: support('art9_health'),
      cases_opened: support('personal'),
      recorded_by: support('personal'),
      recorded_at: support('personal'),
    },
  },
  volunteer_pages: {
    about: 'Page publique d’inscription des bénévoles d’un bailleur (adresse, ouverte ou non, présentation)',
    columns: {
      organisation_id: campaign('internal'),
      slug: campaign('public'),
      open: campaign('internal'),
      intro: campaign('public'),
      updated_at: campaign('internal'),
    },
  },
  volunteer_trainings: {
    about: 'Formation des bénévoles écrite par le bailleur : texte et questions, versionnés',
    columns: {
      organisation_id: campaign('internal'),
      version: campaign('internal'),
      content: campaign('internal'),
      questions: campaign('internal'),
      updated_by: campaign('personal'),
      updated_at: campaign('internal'),
    },
  },
  volunteer_applications: {
    about: 'Inscriptions de bénévoles depuis la page publique, examinées par le bailleur',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      first_name: campaign('personal'),
      last_name: campaign('personal'),
      email: campaign('personal'),
      phone: campaign('personal'),
      availability: campaign('personal'),
      skills: campaign('personal'),
      languages: campaign('personal'),
      area: campaign('personal'),
      status: campaign('personal'),
      decided_by: campaign('personal'),
      decided_at: campaign('internal'),
      user_id: campaign('personal'),
      created_at: campaign('internal'),
    },
  },
  volunteer_profiles: {
    about: 'Parcours d’un compte bénévole : formation réussie, pause',
    columns: {
      user_id: campaign('personal'),
      organisation_id: campaign('internal'),
      application_id: campaign('internal'),
      training_version: campaign('personal'),
      training_passed_at: campaign('personal'),
      paused_at: campaign('personal'),
    },
  },
  help_calls: {
    about: 'Appels à l’aide par SMS : la question, le savoir-faire cherché, le public (bénévoles ou segment du registre) et la simulation',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      question: campaign('internal'),
      skill: campaign('internal'),
      audience: campaign('internal'),
      segment: campaign('internal'),
      plan: campaign('internal'),
      status: campaign('internal'),
      created_by: campaign('personal'),
      created_at: campaign('internal'),
      sent_at: campaign('internal'),
      closed_at: campaign('internal'),
    },
  },
  help_call_recipients: {
    about: 'Destinataires d’un appel à l’aide : le portable, l’empreinte du lien personnel, la réponse (oui, non, disponibilités)',
    columns: {
      id: campaign('internal'),
      organisation_id: campaign('internal'),
      call_id: campaign('internal'),
      household_id: campaign('personal'),
      user_id: campaign('personal'),
      mobile: campaign('personal'),
      // Only the SHA-256 of the personal link is kept: the link itself is in the SMS only.
      token_hash: campaign('internal'),
      answer: campaign('personal'),
      note: campaign('personal'),
      answered_via: campaign('personal'),
      answered_at: campaign('personal'),
      application_id: campaign('personal'),
      created_at: campaign('internal'),
    },
  },
} satisfies ModuleClassification<'solidarity'>;
