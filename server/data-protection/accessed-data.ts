/**
 * What each audited action shows or changes of a household's data (breach readiness, TRUST
 * DP-15): the tables it reads or writes, so that the categories of data concerned by a user's
 * accesses come from the classification (each table's description and data classes), not from a
 * list written twice. Every action code of `contracts/audit.ts` is placed here, in one of three
 * kinds; `accessed-data.test.ts` fails when an action is missing, so a module that adds an
 * audited action decides what it discloses.
 *
 * - `household`: the event names its household (object, or `details.householdIds` for reads of
 *   many at once) and the tables say what of it the action showed; for the registry's own views,
 *   narrowed to the field groups the actor's role reads (`householdAccess`);
 * - `unlisted`: the action may show households' data but the trail does not name them one by one
 *   (a campaign's results export, the outbox): the breach report lists these events apart;
 * - `none`: nothing of a household's data (sign-ins, accounts, campaign settings…).
 */
import { type DataClass, dataClasses, dataClassLabels } from '../../contracts/data-protection.ts';
import { type HouseholdFieldGroup, householdAccess } from '../../contracts/households.ts';
import { type Role, roles } from '../../contracts/roles.ts';
import type { TableName } from '../platform/db/tables.ts';
import { classifiedColumns } from './classification.ts';

/** The registry's tables behind each field group of a household. */
export const tablesOfFieldGroup: Record<HouseholdFieldGroup, readonly TableName[]> = {
  identity: ['households', 'persons'],
  age: ['persons'],
  contact: ['contact_points'],
  address: ['housing_units', 'residences'],
  tenancy: ['leases'],
  balance: ['household_balances'],
  indicators: ['vulnerability_indicators'],
  objections: ['objections'],
  consents: ['consents'],
  needs: ['declared_needs', 'watch_enrolments'],
  timeline: ['audit_events', 'cases', 'case_tasks', 'case_notes', 'followups', 'referrals'],
};

const allGroups: readonly HouseholdFieldGroup[] = Object.keys(tablesOfFieldGroup) as HouseholdFieldGroup[];

export type DataTouch =
  /** Names its household(s); `groups`: the registry's field groups shown (narrowed to the role's), `tables`: other tables. */
  | { kind: 'household'; groups?: readonly HouseholdFieldGroup[]; tables?: readonly TableName[] }
  /** May show households' data without naming them in the trail. */
  | { kind: 'unlisted'; tables: readonly TableName[] }
  | { kind: 'none' };

const none: DataTouch = { kind: 'none' };
const card: readonly TableName[] = ['households', 'persons', 'contact_points', 'residences', 'vulnerability_indicators', 'campaign_targets'];

/** Every audited action and what it touches of a household's data. */
export const accessedData: Record<string, DataTouch> = {
  // Registry: the file (every group the role reads), list rows, search hits, the export's columns.
  'household.viewed': { kind: 'household', groups: allGroups },
  'household.listed': { kind: 'household', groups: ['identity', 'age', 'contact', 'address', 'indicators', 'objections'] },
  'household.searched': { kind: 'household', groups: ['identity', 'age', 'contact', 'address'] },
  'household.exported': { kind: 'household', groups: ['identity', 'age', 'contact', 'address', 'indicators', 'objections'] },
  'household.preferences_changed': { kind: 'household', groups: ['identity', 'contact'] },
  'household.contact_changed': { kind: 'household', groups: ['identity', 'contact'] },
  'household.indicator_added': { kind: 'household', groups: ['identity', 'indicators'] },
  'household.indicator_removed': { kind: 'household', groups: ['identity', 'indicators'] },
  'household.objection_added': { kind: 'household', groups: ['identity', 'objections'] },
  'household.objection_removed': { kind: 'household', groups: ['identity', 'objections'] },
  'household.consent_given': { kind: 'household', groups: ['identity', 'consents'] },
  'household.consent_withdrawn': { kind: 'household', groups: ['identity', 'consents'] },
  'household.need_added': { kind: 'household', groups: ['identity', 'needs'] },
  'household.need_removed': { kind: 'household', groups: ['identity', 'needs'] },
  // Calls: the caller's card, the answers and note, an emergency (alert e-mails to the managers).
  'call.claimed': { kind: 'household', tables: card },
  'call.recorded': { kind: 'household', tables: [...card, 'call_attempts', 'declared_needs', 'consents', 'followups'] },
  'call.released': { kind: 'household', tables: ['campaign_targets'] },
  'call.urgency': { kind: 'household', tables: ['households', 'call_attempts', 'followups'] },
  'call_note.listed': { kind: 'household', tables: ['call_attempts'] },
  'call_note.reviewed': { kind: 'household', tables: ['call_attempts'] },
  // Follow-ups and doorstep visits: the household's reference, holder, address, what to do.
  'followup.listed': { kind: 'household', tables: ['households', 'persons', 'followups'] },
  'followup.assigned': { kind: 'household', tables: ['households', 'followups'] },
  'followup.closed': { kind: 'household', tables: ['households', 'followups'] },
  // Cases: the board and a case show the household's reference and holder, the case, its tasks and the notes the role reads.
  'case.listed': { kind: 'household', tables: ['households', 'persons', 'cases', 'case_tasks'] },
  'case.read': { kind: 'household', tables: ['households', 'persons', 'cases', 'case_tasks', 'case_notes', 'followups'] },
  'case.opened': { kind: 'household', tables: ['households', 'cases'] },
  'case.status': { kind: 'household', tables: ['households', 'cases'] },
  'case.closed': { kind: 'household', tables: ['households', 'cases', 'followups'] },
  'case.assigned': { kind: 'household', tables: ['households', 'cases'] },
  'case.task_added': { kind: 'household', tables: ['cases', 'case_tasks'] },
  'case.task_done': { kind: 'household', tables: ['cases', 'case_tasks'] },
  'case.note_added': { kind: 'household', tables: ['cases', 'case_notes'] },
  // Partners and referrals (TRUST DP-09): the snapshot sent is the referral's payload.
  // Federations (issue 18, TRUST DP-14): organisations and counts of 11 households or more.
  // A landlord's dashboards (issue 18): counts of the period, no household's data.
  'reporting.exported': none,
  'federation.member_added': none,
  'federation.member_removed': none,
  'federation.report_text_set': none,
  'federation.agreement_set': none,
  'federation.left': none,
  'federation.preview_viewed': none,
  'federation.refresh_requested': none,
  'federation.report_generated': none,
  // Homes lent (issue 17): a vacant unit, a request without a name, the agreement: no household's data.
  'lending.offer_created': none,
  'lending.offer_withdrawn': none,
  'lending.request_created': none,
  'lending.matched': none,
  'lending.agreement_printed': none,
  'lending.keys_handed': none,
  'lending.keys_returned': none,
  // Tenant portal (issue 16): a tenant's own sign-in; staff reading and answering a household's request.
  'portal.signed_in': none,
  'portal.request_viewed': { kind: 'household', tables: ['portal_requests', 'portal_request_messages', 'portal_request_notes', 'households', 'persons'] },
  'portal.request_replied': { kind: 'household', tables: ['portal_requests', 'portal_request_messages', 'persons', 'contact_points'] },
  'portal.request_noted': { kind: 'household', tables: ['portal_request_notes'] },
  'portal.request_changed': { kind: 'household', tables: ['portal_requests', 'portal_request_messages'] },
  'portal.request_case': { kind: 'household', tables: ['portal_requests', 'cases'] },
  'portal.deadlines_saved': none,
  'portal.documents_viewed': { kind: 'household', tables: ['portal_documents', 'portal_document_requests', 'portal_document_uploads'] },
  'portal.document_published': { kind: 'household', tables: ['portal_documents', 'persons', 'contact_points'] },
  'portal.document_withdrawn': { kind: 'household', tables: ['portal_documents'] },
  'portal.document_asked': { kind: 'household', tables: ['portal_document_requests', 'persons', 'contact_points'] },
  'portal.document_reviewed': { kind: 'household', tables: ['portal_document_requests', 'persons', 'contact_points'] },
  'portal.settings_saved': none,
  'portal.article_saved': none,
  'portal.article_deleted': none,
  // Volunteers (issue 17): their own sign-ups, training and pauses; no household's data.
  'volunteer.signed_up': none,
  'volunteer.page_saved': none,
  'volunteer.applications_listed': none,
  'volunteer.accepted': none,
  'volunteer.declined': none,
  'volunteer.training_saved': none,
  'volunteer.training_answered': none,
  'volunteer.paused': none,
  'volunteer.resumed': none,
  // Deliveries (issue 17): the task of a household; the deliverer's card shows the first name, the door and a phone.
  'delivery.assigned': { kind: 'household', tables: ['deliveries'] },
  'delivery.listed': { kind: 'household', tables: ['deliveries', 'households', 'persons'] },
  'delivery.cards_read': { kind: 'household', tables: ['deliveries', 'persons', 'contact_points', 'housing_units', 'residences'] },
  'delivery.recorded': { kind: 'household', tables: ['deliveries'] },
  // Food distributions (issue 17): who is invited, who came; the partner's list shows the name and the household's size.
  'distribution.created': none,
  'distribution.invited': { kind: 'household', tables: ['distribution_invitees'] },
  'distribution.attendance': { kind: 'household', tables: ['distribution_invitees'] },
  'distribution.list_read': { kind: 'household', tables: ['distribution_invitees', 'persons'] },
  // Outreach events (issue 17): a contact with a household and the cases its topics opened.
  // Agency appointments (issue 16): the calendar shows each booking's household (reference, holder) and reason.
  'appointment.slots_opened': none,
  'appointment.slot_closed': { kind: 'household', tables: ['appointment_bookings'] },
  'appointment.calendar_read': { kind: 'household', tables: ['appointment_bookings', 'households'] },
  'appointment.marked': { kind: 'household', tables: ['appointment_bookings'] },
  'appointment.booked': { kind: 'household', tables: ['appointment_bookings'] },
  'appointment.cancelled': { kind: 'household', tables: ['appointment_bookings'] },
  'appointment.moved': { kind: 'household', tables: ['appointment_bookings'] },
  'appointment.waitlist_joined': { kind: 'household', tables: ['appointment_waitlist'] },
  'appointment.waitlist_left': { kind: 'household', tables: ['appointment_waitlist'] },
  'appointment.waitlist_booked': { kind: 'household', tables: ['appointment_waitlist', 'appointment_bookings'] },
  'outreach.planned': none,
  'outreach.contact_recorded': { kind: 'household', tables: ['outreach_contacts', 'cases'] },
  // The invitation writes to the residence's households (an SMS to the mobile, else a letter to the address).
  'outreach.invited': { kind: 'household', tables: ['message_letters', 'persons', 'contact_points', 'housing_units', 'residences'] },
  // Calls for help by SMS (issue 17): the tenants written to and, on the answers page, the « oui » with name and phone.
  'help_call.planned': none,
  'help_call.sent': { kind: 'household', tables: ['help_call_recipients', 'contact_points'] },
  'help_call.closed': none,
  'help_call.read': { kind: 'household', tables: ['help_call_recipients', 'persons'] },
  'help_call.answered': none,
  'help_call.volunteer_created': { kind: 'household', tables: ['help_call_recipients', 'persons', 'contact_points'] },
  'partner.created': none,
  'partner.updated': none,
  'partner.member_set': none,
  'arrears.listed': { kind: 'household', tables: ['households', 'persons', 'housing_units', 'residences', 'household_balances', 'arrears_pauses'] },
  'arrears.read': { kind: 'household', tables: ['household_balances', 'payment_plans', 'plan_instalments', 'arrears_pauses', 'arrears_steps'] },
  'arrears.case_opened': { kind: 'household', tables: ['households', 'cases'] },
  'arrears.plan_created': { kind: 'household', tables: ['cases', 'payment_plans', 'plan_instalments'] },
  'arrears.plan_read': { kind: 'household', tables: ['payment_plans', 'plan_instalments'] },
  'arrears.paused': { kind: 'household', tables: ['arrears_pauses'] },
  'arrears.step_added': { kind: 'household', tables: ['cases', 'arrears_steps'] },
  'arrears.fsl_summary': {
    kind: 'household',
    tables: ['households', 'persons', 'contact_points', 'housing_units', 'residences', 'leases', 'household_balances', 'arrears_steps'],
  },
  'referral.consent_recorded': { kind: 'household', tables: ['households', 'consents'] },
  'referral.sent': { kind: 'household', tables: ['households', 'persons', 'contact_points', 'residences', 'cases', 'referrals', 'consents'] },
  'referral.listed': { kind: 'household', tables: ['referrals'] },
  'referral.read': { kind: 'household', tables: ['referrals'] },
  'referral.acknowledged': { kind: 'household', tables: ['referrals'] },
  'referral.answered': { kind: 'household', tables: ['referrals', 'cases', 'case_notes'] },
  'referral.reported': { kind: 'household', tables: ['referrals', 'cases', 'case_notes', 'followups'] },
  'doorstep.listed': { kind: 'household', tables: ['households', 'persons', 'housing_units', 'residences', 'doorstep_visits'] },
  'doorstep.recorded': { kind: 'household', tables: ['households', 'doorstep_visits', 'followups'] },
  // Right of access: everything about one person and their household (the export's sections).
  'privacy.request_recorded': { kind: 'household', tables: ['persons', 'subject_requests'] },
  'privacy.exported': {
    kind: 'household',
    groups: allGroups,
    tables: [
      'call_attempts',
      'campaign_targets',
      'followups',
      'cases',
      'case_tasks',
      'case_notes',
      'referrals',
      'doorstep_visits',
      'messages',
      'import_lines',
      'subject_requests',
    ],
  },
  'privacy.request_answered': { kind: 'household', tables: ['subject_requests'] },
  'privacy.request_refused': { kind: 'household', tables: ['subject_requests'] },
  // Erasure and objection: the preview and the execution read everything held on the person (as the export does), the letter says what was done.
  'privacy.erasure_previewed': {
    kind: 'household',
    groups: allGroups,
    tables: [
      'call_attempts',
      'campaign_targets',
      'followups',
      'cases',
      'case_tasks',
      'case_notes',
      'referrals',
      'doorstep_visits',
      'messages',
      'subject_requests',
    ],
  },
  'privacy.erasure_executed': {
    kind: 'household',
    groups: allGroups,
    tables: ['call_attempts', 'campaign_targets', 'followups', 'cases', 'case_tasks', 'case_notes', 'doorstep_visits', 'messages', 'subject_requests'],
  },
  'privacy.objection_executed': {
    kind: 'household',
    groups: ['identity', 'indicators', 'objections', 'consents', 'needs'],
    tables: ['call_attempts', 'campaign_targets', 'subject_requests'],
  },
  'privacy.letter_downloaded': { kind: 'household', groups: ['identity'], tables: ['subject_requests'] },
  // Bulk reads whose trail names no household.
  'campaign.exported': { kind: 'unlisted', tables: ['households', 'residences', 'campaign_targets', 'call_attempts', 'doorstep_visits'] },
  'outbox.read': { kind: 'unlisted', tables: ['messages'] },
  // Messaging: the dry run reads the audience's contacts and objections; the letters show names and addresses.
  'message_template.created': none,
  'message_template.updated': none,
  'message_send.planned': { kind: 'unlisted', tables: ['households', 'persons', 'contact_points', 'objections', 'residences'] },
  'message_send.confirmed': none,
  'campaign.ladder_set': none,
  'message_send.approved': none,
  'message_letters.downloaded': { kind: 'unlisted', tables: ['message_letters'] },
  'audit.read': { kind: 'unlisted', tables: ['audit_events'] },
  'audit.exported': { kind: 'unlisted', tables: ['audit_events'] },
  'breach.exported': { kind: 'unlisted', tables: ['audit_events', 'households', 'persons'] },
  'arrears.compliance_checked': { kind: 'unlisted', tables: ['payment_plans', 'plan_instalments', 'household_balances', 'case_tasks'] },
  'balances.previewed': { kind: 'unlisted', tables: ['balance_imports', 'households'] },
  'balances.applied': { kind: 'unlisted', tables: ['household_balances', 'households'] },
  'balances.cancelled': none,
  'registry.import_validation_started': { kind: 'unlisted', tables: ['import_lines', 'import_cells'] },
  'registry.import_confirmed': { kind: 'unlisted', tables: ['import_lines'] },
  'registry.import_applied': { kind: 'unlisted', tables: ['households', 'persons', 'contact_points', 'leases', 'household_balances'] },
  'registry.import_cancelled': none,
  // Retention: a rule changed (no one's data), and the nightly purge (counts only; it deletes, shows nothing).
  'retention.rule_changed': none,
  'retention.purged': none,
  // Nothing of a household.
  'auth.signed_in': none,
  'auth.sign_in_failed': none,
  'auth.sign_in_refused': none,
  'auth.signed_out': none,
  'auth.second_factor_verified': none,
  'auth.second_factor_failed': none,
  'auth.totp_enabled': none,
  'auth.recovery_code_used': none,
  'auth.recovery_codes_regenerated': none,
  'auth.reauthenticated': none,
  'auth.password_reset_requested': none,
  'auth.password_reset_suppressed': none,
  'auth.password_reset': none,
  'auth.invitation_accepted': none,
  'user.viewed': none,
  'user.invited': none,
  'user.updated': none,
  'user.deactivated': none,
  'user.reactivated': none,
  'user.sessions_ended': none,
  'user.invitation_resent': none,
  'user.second_factor_reset': none,
  'user.expired': none,
  'campaign.created': none,
  'campaign.updated': none,
  'campaign.launched': none,
  'campaign.paused': none,
  'campaign.resumed': none,
  'campaign.closed': none,
  'charter.accepted': none,
  'call.limit_reached': none,
  'residence.caretaker_set': none,
  'access.denied': none,
  'access.not_found': none,
  'alert.raised': none,
};

/** One category of data: a table, what it holds (French) and its most sensitive class. */
export type DataCategory = { table: TableName; label: string; class: DataClass; classLabel: string };

let categoriesByTable: Map<TableName, DataCategory> | undefined;

/** Each table's category, from the classification (its description and the most sensitive class of its columns). */
export function categoryOf(table: TableName): DataCategory {
  if (!categoriesByTable) {
    categoriesByTable = new Map();
    for (const c of classifiedColumns()) {
      const known = categoriesByTable.get(c.table);
      if (!known || dataClasses.indexOf(c.class) > dataClasses.indexOf(known.class))
        categoriesByTable.set(c.table, { table: c.table, label: c.about, class: c.class, classLabel: dataClassLabels[c.class] });
    }
  }
  const found = categoriesByTable.get(table);
  if (!found) throw new Error(`table ${table} has no classification`);
  return found;
}

const isRole = (r: string | null): r is Role => r !== null && (roles as readonly string[]).includes(r);

/**
 * The tables an action showed or changed when done by this role: for the registry's views, only
 * the field groups the role reads (a caretaker's search hit has no age); an unknown role (an old
 * event) is counted with every group, the worst case.
 */
export function tablesTouched(action: string, role: string | null): TableName[] {
  const touch = accessedData[action];
  if (!touch || touch.kind === 'none') return [];
  if (touch.kind === 'unlisted') return [...touch.tables];
  const readable = isRole(role) ? householdAccess[role].fields : allGroups;
  const groups = (touch.groups ?? []).filter((g) => readable.includes(g));
  return [...new Set([...groups.flatMap((g) => tablesOfFieldGroup[g]), ...(touch.tables ?? [])])];
}
