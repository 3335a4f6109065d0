/**
 * Every table of the `public` schema and the one module that owns it, declared once (issue 10).
 *
 * Only the owner's code names the table in SQL; another module reads or writes it through the
 * owner's `index.ts`, with functions that take the caller's transaction. `npm run check` runs
 * scripts/check-table-owners.ts against this map, and the catalog test fails when a table of the
 * database is missing here. Each owner declares its columns' data classes and purposes (TRUST
 * DP-01) in its own `.data.ts`, typed from this map (platform/db/classification.ts): no second map.
 */

/** A module folder (`server/modules/<name>`) or a platform folder (`server/platform/<name>`). */
export type TableOwner =
  | 'platform/db'
  | 'platform/auth'
  | 'platform/audit'
  | 'platform/outbox'
  | 'platform/files'
  | 'identity'
  | 'registry'
  | 'campaigns'
  | 'calls'
  | 'followups'
  | 'doorstep'
  | 'partners'
  | 'messaging'
  | 'arrears'
  | 'federation'
  | 'privacy'
  | 'retention'
  | 'solidarity'
  | 'appointments'
  | 'portal';

export type TableEntry = {
  /** The module whose repository alone names the table in SQL. */
  owner: TableOwner;
  /** What a row is, in a few words. */
  holds: string;
};

export const tables = {
  // Platform
  kysely_migration: { owner: 'platform/db', holds: 'migrations applied (Kysely Migrator)' },
  kysely_migration_lock: { owner: 'platform/db', holds: 'the migrations lock (Kysely Migrator)' },
  organisations: { owner: 'platform/db', holds: 'a landlord using Lien (the tenant of row-level security)' },
  sessions: { owner: 'platform/auth', holds: 'a signed-in browser session' },
  auth_throttle: { owner: 'platform/auth', holds: 'failed attempts per address or account' },
  audit_events: { owner: 'platform/audit', holds: 'an append-only audit event' },
  messages: { owner: 'platform/outbox', holds: 'an e-mail or SMS to send once (outbox)' },
  message_events: { owner: 'platform/outbox', holds: 'a delivery callback of an SMS provider, kept once per event' },
  sms_opt_outs: { owner: 'platform/outbox', holds: 'a mobile number that answered STOP: no more SMS to it' },
  files: { owner: 'platform/files', holds: 'a file someone gave (photo, PDF): checked, scanned by ClamAV, opened by signed link' },
  // Identity
  agencies: { owner: 'identity', holds: 'an agency of the landlord' },
  users: { owner: 'identity', holds: 'a person who signs in' },
  user_agencies: { owner: 'identity', holds: 'the agencies a user works for' },
  user_tokens: { owner: 'identity', holds: 'an invitation or password-reset token' },
  user_recovery_codes: { owner: 'identity', holds: 'a second-factor recovery code' },
  // Registry
  residences: { owner: 'registry', holds: 'a residence (ERP group)' },
  housing_units: { owner: 'registry', holds: 'a dwelling' },
  households: { owner: 'registry', holds: 'a household (tenancy)' },
  persons: { owner: 'registry', holds: 'an occupant' },
  person_names: { owner: 'registry', holds: 'a distinct normalised last or first name of the occupants (fuzzy search)' },
  contact_points: { owner: 'registry', holds: 'a phone number or e-mail address of an occupant' },
  vulnerability_indicators: { owner: 'registry', holds: 'a fragility of a household (lives alone, mobility…)' },
  leases: { owner: 'registry', holds: 'a lease' },
  household_balances: { owner: 'registry', holds: 'a rent balance of a household at a date (ERP import or balance file)' },
  objections: { owner: 'registry', holds: 'an objection of a household (« ne pas appeler »…)' },
  consents: { owner: 'registry', holds: 'a consent given by a household' },
  declared_needs: { owner: 'registry', holds: 'a need a household declared' },
  watch_enrolments: { owner: 'registry', holds: 'a household enrolled in the regular watch' },
  imports: { owner: 'registry', holds: 'an ERP import' },
  import_lines: { owner: 'registry', holds: 'a validated line of an import' },
  import_cells: { owner: 'registry', holds: 'a staged cell of an import file' },
  import_mappings: { owner: 'registry', holds: 'a saved column mapping of an ERP export' },
  balance_imports: { owner: 'registry', holds: 'a balance file staged for its preview, then applied at once' },
  // Messaging (issue 15)
  message_templates: { owner: 'messaging', holds: 'a message template in French with merge fields' },
  message_sends: { owner: 'messaging', holds: 'a send of a template to an audience: dry run, approval, progress' },
  campaign_message_steps: {
    owner: 'messaging',
    holds: 'the template of a step of a campaign’s escalation ladder (SMS before the first call, before the doorstep visit)',
  },
  message_letters: { owner: 'messaging', holds: 'a letter of a send to a household without mobile nor e-mail (printed as one PDF)' },
  // Campaigns
  campaigns: { owner: 'campaigns', holds: 'a call campaign: segment, script, windows, limits' },
  campaign_callers: { owner: 'campaigns', holds: 'a caller in a campaign pool' },
  // Calls
  campaign_targets: { owner: 'calls', holds: 'a household in a campaign queue' },
  call_attempts: { owner: 'calls', holds: 'a call made and its outcome' },
  campaign_caller_events: { owner: 'calls', holds: 'a claim, hand-back or alert counted by the caller limits' },
  charter_acceptances: { owner: 'calls', holds: 'a caller accepting the confidentiality charter' },
  // Follow-ups
  followups: { owner: 'followups', holds: 'a need a call or visit found, in its case' },
  cases: { owner: 'followups', holds: 'a case (dossier d’accompagnement) of a household: type, status, assignee' },
  case_tasks: { owner: 'followups', holds: 'a task of a case, with its due date' },
  case_notes: { owner: 'followups', holds: 'a note of a case (health and violence notes: social workers and managers only, RLS)' },
  // Partners and referrals
  partners: { owner: 'partners', holds: 'a partner of the landlord (CCAS, association…): communes, needs taken, acknowledgement delay' },
  partner_members: { owner: 'partners', holds: 'a user of role partner linked to their partner' },
  referrals: { owner: 'partners', holds: 'a referral of a case to a partner: the fields sent (snapshot), its status' },
  // Doorstep visits
  doorstep_visits: { owner: 'doorstep', holds: 'a doorstep visit to a household a call could not reach' },
  // Arrears and payment plans (issue 14)
  payment_plans: { owner: 'arrears', holds: 'a payment plan (report, étalement, apurement) of a household, in its case' },
  plan_instalments: { owner: 'arrears', holds: 'an instalment of a payment plan and whether the balances show it paid' },
  arrears_pauses: { owner: 'arrears', holds: 'a crisis pause of the arrears reminders of a household, until a date' },
  arrears_steps: { owner: 'arrears', holds: 'an FSL application or a guarantee activation of a rent case' },
  // Federation (issue 18, TRUST DP-14)
  federation_members: { owner: 'federation', holds: 'a landlord a federation counts among its members' },
  federation_agreements: { owner: 'federation', holds: 'the indicators a member landlord shares with a federation' },
  federation_aggregates: { owner: 'federation', holds: 'a member’s monthly count of one indicator for a federation (no identifier, small cells hidden)' },
  federation_refreshes: { owner: 'federation', holds: 'a recomputation of a federation’s aggregates and its progress' },
  // Data protection requests
  subject_requests: { owner: 'privacy', holds: 'a request of a person about their data (access…) and its legal deadline' },
  // Retention (TRUST DP-02)
  retention_rules: { owner: 'retention', holds: 'an organisation’s retention rule for one purpose (how long, from which end)' },
  // Solidarity operations (issue 17)
  lending_offers: { owner: 'solidarity', holds: 'a vacant unit offered for lending: dates, kind of guest, area, size (never the address)' },
  lending_offer_units: { owner: 'solidarity', holds: 'which unit an offer lends; a shelter’s only to its keeper and referent (RLS)' },
  lending_requests: { owner: 'solidarity', holds: 'a request for a lent home from a hospital, care home or association: dates, area, size' },
  lendings: { owner: 'solidarity', holds: 'an offer lent to a request: agreement, keys handed and returned' },
  distributions: { owner: 'solidarity', holds: 'a food distribution with a partner: day, place, capacity, kind' },
  distribution_invitees: { owner: 'solidarity', holds: 'a household invited to a distribution, and whether it came' },
  outreach_events: { owner: 'solidarity', holds: 'an afternoon at the foot of a building: residence, day, partners and staff there' },
  outreach_contacts: { owner: 'solidarity', holds: 'a contact made at an outreach event, with or without its household, and the topics raised' },
  help_calls: { owner: 'solidarity', holds: 'a call for help by SMS: the question, the skill, the audience and its dry run' },
  help_call_recipients: { owner: 'solidarity', holds: 'one recipient of a call for help: the mobile, the hash of the personal link, the answer' },
  deliveries: { owner: 'solidarity', holds: 'a meal, groceries or medicines to bring to a household, assigned to a volunteer or caretaker' },
  volunteer_pages: { owner: 'solidarity', holds: 'a landlord’s public volunteer sign-up page (its slug, open or not)' },
  volunteer_trainings: { owner: 'solidarity', holds: 'the landlord’s volunteer training: its text and questions, versioned' },
  volunteer_applications: { owner: 'solidarity', holds: 'a volunteer’s sign-up from the public page, vetted by staff' },
  volunteer_profiles: { owner: 'solidarity', holds: 'a volunteer account’s onboarding: training passed, paused' },
  // Agency appointments (issue 16)
  appointment_slots: { owner: 'appointments', holds: 'an agency’s opening slot: start, end, capacity, reasons offered, address' },
  appointment_bookings: { owner: 'appointments', holds: 'a household’s seat in a slot, its reason and what became of it (venu, absent)' },
  appointment_waitlist: { owner: 'appointments', holds: 'a household waiting for a seat in a full slot, in order' },
  // Tenant portal (issue 16)
  portal_codes: { owner: 'portal', holds: 'a one-time sign-in code sent to a tenant’s contact point (HMAC only), with its attempts' },
  tenant_sessions: { owner: 'portal', holds: 'a tenant’s signed-in portal session (household and person)' },
  portal_deadlines: { owner: 'portal', holds: 'the landlord’s answer deadline, in days, for one category of request' },
  portal_requests: { owner: 'portal', holds: 'a tenant’s request (category, description, status, deadline, assignee)' },
  portal_request_messages: { owner: 'portal', holds: 'an exchange on a request seen by the tenant: a message, a document or a status change' },
  portal_articles: { owner: 'portal', holds: 'a question-answer or a news item the landlord writes for one agency’s tenants or for all' },
  portal_settings: { owner: 'portal', holds: 'what a landlord shows its tenants in the portal (balance and payment plan or not)' },
  portal_request_notes: { owner: 'portal', holds: 'a staff member’s internal note on a request, never shown to the tenant' },
  portal_documents: { owner: 'portal', holds: 'a document (file) the landlord makes available to one household in the portal' },
  portal_document_requests: { owner: 'portal', holds: 'a document the landlord asks one household for, and its status' },
  portal_document_uploads: { owner: 'portal', holds: 'a file a tenant sent in answer to a document request' },
} as const satisfies Record<string, TableEntry>;

export type TableName = keyof typeof tables;

/** The owner of a table, or undefined when it is not a table of the map. */
export const ownerOf = (table: string): TableOwner | undefined => (Object.hasOwn(tables, table) ? tables[table as TableName].owner : undefined);
