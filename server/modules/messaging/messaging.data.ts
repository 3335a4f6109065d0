/** Data classification of the tables messaging owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

// Sends and letters are kept like the outbox's messages (three months, purpose service_operation), for tenancy matters.
const rental = classifier('service_operation', 'rental_management');
const service = classifier('service_operation');

export const messagingData = {
  message_templates: {
    about: 'Modèles de messages (SMS, e-mail, courrier) en français avec champs de fusion',
    columns: {
      id: service('internal'),
      organisation_id: service('internal'),
      name: service('internal'),
      channels: service('internal'),
      subject: service('internal'),
      body: service('internal'),
      created_by: service('personal'),
      created_at: service('internal'),
      updated_at: service('internal'),
    },
  },
  message_sends: {
    about: 'Envois d’un modèle à un ménage, un segment, une campagne ou aux bénévoles : simulation, validation, progression',
    columns: {
      id: rental('internal'),
      organisation_id: rental('internal'),
      template_id: rental('internal'),
      audience: rental('internal'),
      // A household id (one household) or registry filters.
      audience_ref: rental('personal'),
      // The appointment date or amount typed at send time (same for every recipient).
      field_values: rental('personal'),
      status: rental('internal'),
      plan: rental('internal'),
      recipients: rental('internal'),
      prepared: rental('internal'),
      error: rental('internal'),
      created_by: rental('personal'),
      approved_by: rental('personal'),
      approved_at: rental('internal'),
      started_at: rental('internal'),
      finished_at: rental('internal'),
      created_at: rental('internal'),
    },
  },
  campaign_message_steps: {
    about: 'Échelle de relance d’une campagne : modèle du SMS avant le premier appel et avant le porte-à-porte',
    columns: {
      organisation_id: service('internal'),
      campaign_id: service('internal'),
      step: service('internal'),
      template_id: service('internal'),
      send_id: service('internal'),
      created_by: service('personal'),
      created_at: service('internal'),
    },
  },
  message_letters: {
    about: 'Courriers d’un envoi aux ménages sans mobile ni e-mail : bloc adresse et texte, imprimés en un PDF',
    columns: {
      organisation_id: rental('internal'),
      send_id: rental('internal'),
      household_id: rental('personal'),
      address: rental('personal'),
      sender: rental('internal'),
      body: rental('personal'),
      created_at: rental('internal'),
    },
  },
} satisfies ModuleClassification<'messaging'>;
