/** Data classification of the tables platform/outbox owns (TRUST DP-01; see platform/db/classification.ts). */
import { classify, type ModuleClassification } from '../db/classification.ts';

// Today every message goes to staff: invitations and password resets (security), and the alerts
// of a campaign (urgency, unusual calls) that name no household.
export const outboxData = {
  messages: {
    about: 'Courriels et SMS à envoyer une seule fois (boîte d’envoi)',
    columns: {
      id: classify('internal', 'service_operation'),
      organisation_id: classify('internal', 'service_operation'),
      channel: classify('internal', 'service_operation'),
      recipient: classify('personal', 'security', 'campaign'),
      subject: classify('personal', 'security', 'campaign'),
      body: classify('personal', 'security', 'campaign'),
      sealed_body: classify('personal', 'security'),
      sealed_until: classify('internal', 'security'),
      purpose: classify('internal', 'service_operation'),
      idempotency_key: classify('personal', 'service_operation'),
      status: classify('internal', 'service_operation'),
      attempts: classify('internal', 'service_operation'),
      last_error: classify('personal', 'service_operation'),
      adapter: classify('internal', 'service_operation'),
      provider_message_id: classify('internal', 'service_operation'),
      created_at: classify('internal', 'service_operation'),
      sent_at: classify('internal', 'service_operation'),
      // The send (messaging module) and the household a tenant message goes to.
      send_id: classify('internal', 'service_operation'),
      household_id: classify('personal', 'service_operation', 'rental_management'),
      sms_type: classify('internal', 'service_operation'),
      next_attempt_at: classify('internal', 'service_operation'),
      delivered_at: classify('internal', 'service_operation'),
    },
  },
  // Brevo's delivery callbacks (issue 15): which state each SMS reached, once per event; no text, no number.
  message_events: {
    about: 'Accusés de livraison des SMS reçus du fournisseur (une fois par événement)',
    columns: {
      id: classify('internal', 'service_operation'),
      organisation_id: classify('internal', 'service_operation'),
      message_id: classify('internal', 'service_operation'),
      provider: classify('internal', 'service_operation'),
      event_id: classify('internal', 'service_operation'),
      event: classify('internal', 'service_operation'),
      occurred_at: classify('internal', 'service_operation'),
      received_at: classify('internal', 'service_operation'),
    },
  },
  // A number that answered STOP: kept as long as the organisation may send SMS, so it never gets one again.
  sms_opt_outs: {
    about: 'Numéros ayant répondu STOP : plus aucun SMS ne leur est envoyé',
    columns: {
      id: classify('internal', 'campaign'),
      organisation_id: classify('internal', 'campaign'),
      phone: classify('personal', 'campaign'),
      source: classify('internal', 'campaign'),
      recorded_at: classify('internal', 'campaign'),
      confirmation_sent: classify('internal', 'campaign'),
    },
  },
} satisfies ModuleClassification<'platform/outbox'>;
