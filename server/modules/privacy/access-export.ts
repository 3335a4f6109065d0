/**
 * The right-of-access file of a person (TRUST DP-06): every row Lien holds about them and their
 * household, gathered table by table from the owning modules, minimised by the classification,
 * written as JSON, CSV (section;ligne;champ;valeur) or a readable French PDF (A4).
 */
import { classifiedColumns } from '../../data-protection/classification.ts';
import { eventsAboutObjects } from '../../platform/audit/journal.ts';
import { CSV_BOM, csvLine } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { TableName } from '../../platform/db/tables.ts';
import { messagesTo, smsOptOutsOf } from '../../platform/outbox/outbox.ts';
import { newPdf } from '../../platform/pdf/document.ts';
import { parisToday } from '../../platform/time.ts';
import { appointmentRowsOf } from '../appointments/index.ts';
import { arrearsRowsOf } from '../arrears/index.ts';
import { callRowsOf } from '../calls/index.ts';
import { doorstepRowsOf } from '../doorstep/index.ts';
import { followupRowsOf } from '../followups/index.ts';
import { userNames } from '../identity/index.ts';
import { messagingRowsOf } from '../messaging/index.ts';
import { referralRowsOf } from '../partners/index.ts';
import { portalRowsOf } from '../portal/index.ts';
import { contactValuesOf, type DataSubject, registryRowsOf } from '../registry/index.ts';
import { deliveryRowsOf, helpCallRowsOf, invitationRowsOf, outreachRowsOf } from '../solidarity/index.ts';
import { requestRowsOf } from './privacy.repository.ts';

type Row = Record<string, unknown>;

/**
 * The sections of the export, one per table that holds a person's data, in the order of the
 * file. The coverage test (access-export.test.ts) fails when a table of the classification that
 * identifies a person or a household is neither here nor in `notAPersonsData`.
 */
export const exportedTables = [
  'households',
  'persons',
  'contact_points',
  'vulnerability_indicators',
  'consents',
  'objections',
  'declared_needs',
  'watch_enrolments',
  'leases',
  'household_balances',
  'payment_plans',
  'plan_instalments',
  'arrears_pauses',
  'arrears_steps',
  'import_lines',
  'campaign_targets',
  'call_attempts',
  'followups',
  'cases',
  'case_tasks',
  'case_notes',
  'referrals',
  'doorstep_visits',
  'deliveries',
  'distribution_invitees',
  'outreach_contacts',
  'help_call_recipients',
  'appointment_bookings',
  'appointment_waitlist',
  'portal_requests',
  'portal_request_messages',
  'portal_request_notes',
  'portal_documents',
  'portal_document_requests',
  'portal_document_uploads',
  'messages',
  'message_letters',
  'sms_opt_outs',
  'audit_events',
  'subject_requests',
] as const satisfies readonly TableName[];

export type ExportedTable = (typeof exportedTables)[number];

/**
 * Tables with a personal column that are not a tenant's data, each with the reason; the coverage
 * test requires every other such table to be exported.
 */
export const notAPersonsData: Partial<Record<TableName, string>> = {
  users: 'comptes des salarié·es et bénévoles du bailleur, pas des locataires',
  lending_offers: 'logements vacants proposés au prêt ; la personne : le compte du bailleur qui garde l’offre',
  lending_offer_units: 'logement prêté par une offre ; les personnes : les comptes qui gardent l’offre et orientent la personne hébergée',
  lending_requests:
    'demandes de logement d’une structure (dates, secteur, taille du foyer) : aucune donnée qui nomme la personne hébergée ni un ménage locataire',
  lendings: 'prêts de logement (convention, clés) : aucune donnée d’un ménage locataire',
  distributions: 'distributions (jour, lieu, partenaire) ; les ménages invités sont dans distribution_invitees',
  appointment_slots:
    'créneaux d’une agence (jour, heures, places ; auteur : un compte du bailleur) ; les rendez-vous d’un ménage sont dans appointment_bookings',
  outreach_events: 'après-midis au pied des immeubles (résidence, jour, présents) ; les contacts avec un ménage sont dans outreach_contacts',
  help_calls: 'appels à l’aide par SMS (question, savoir-faire, public) ; la réponse de la personne est exportée (help_call_recipients)',
  volunteer_applications: 'inscriptions de bénévoles (pas des locataires) : le bailleur y répond depuis la liste des inscriptions',
  volunteer_profiles: 'parcours des comptes bénévoles du bailleur (formation, pause)',
  volunteer_trainings: 'formation des bénévoles écrite par le bailleur',
  files:
    'fichiers reçus (nom, type, verdict antivirus) : ce qui les rattache à un ménage est exporté avec l’identifiant du fichier (échanges des demandes, documents mis à disposition et documents envoyés de l’espace locataire)',
  sessions: 'sessions de connexion des comptes du bailleur',
  portal_codes:
    'codes de connexion à l’espace locataire : données de sécurité seules (empreinte, horaires), supprimées après usage ou expiration ; les connexions figurent au journal (audit_events)',
  tenant_sessions:
    'sessions de l’espace locataire : données de sécurité seules (empreinte du jeton, horaires) ; les connexions figurent au journal (audit_events)',
  user_agencies: 'rattachement des comptes du bailleur à leurs agences',
  user_tokens: 'jetons d’invitation et de réinitialisation des comptes du bailleur',
  user_recovery_codes: 'codes de secours du second facteur des comptes du bailleur',
  auth_throttle: 'compteurs d’échecs de connexion des comptes du bailleur',
  campaign_callers: 'appelant·es d’une campagne (comptes du bailleur)',
  campaign_caller_events: 'prises et rendus d’appels par les appelant·es (comptes du bailleur), sans ménage',
  charter_acceptances: 'signature de la charte par les appelant·es (comptes du bailleur)',
  campaigns: 'réglages d’une campagne (auteur : un compte du bailleur), sans ménage',
  imports: 'un fichier d’import (auteur : un compte du bailleur) ; ses lignes sur la personne sont exportées (import_lines)',
  import_cells:
    'cellules brutes d’un fichier d’import en cours de validation, sans lien vers un ménage ; les lignes validées qui décrivent la personne sont exportées (import_lines)',
  person_names: 'index de recherche des noms distincts (un nom, sans lien vers une personne)',
  residences: 'la résidence (adresse du bâtiment, gardien·ne), pas une personne',
  campaign_message_steps: 'réglage d’une campagne (modèle de chaque relance ; auteur : un compte du bailleur), sans ménage',
  portal_articles: 'questions fréquentes et actualités écrites par le bailleur (auteur : un compte du bailleur), sans ménage',
  message_templates: 'modèles de messages écrits par le bailleur (auteur : un compte du bailleur), sans ménage',
  message_sends:
    'un envoi (audience, valeurs saisies, chiffres de la simulation) ; les SMS, e-mails et courriers qu’il a adressés à la personne sont exportés (messages, message_letters)',
  partner_members: 'rattachement des comptes « partenaire » à leur organisme (comptes, pas des locataires)',
  balance_imports:
    'un fichier de soldes déposé, le temps de son aperçu (auteur : un compte du bailleur) ; les soldes appliqués de la personne sont exportés (household_balances)',
};

/** How a table's columns are kept: every column but those kept for security only (secrets, hashes, sealed texts). */
function shownColumns(): Map<string, Set<string>> {
  const shown = new Map<string, Set<string>>();
  for (const c of classifiedColumns()) {
    if (c.purposes.every((p) => p === 'security')) continue;
    if (!shown.has(c.table)) shown.set(c.table, new Set());
    shown.get(c.table)?.add(c.column);
  }
  return shown;
}

/** Keeps the columns the classification allows to show (data minimisation); the audit trail is selected by its owner. */
export function minimise(table: ExportedTable, rows: Row[]): Row[] {
  if (table === 'audit_events') return rows;
  const shown = shownColumns().get(table) ?? new Set<string>();
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => shown.has(k) && !Buffer.isBuffer(v))));
}

/**
 * The other members of the household appear with their name and role only: the composition of
 * the tenancy is the requester's data, their birth dates and preferences are not (RGPD art. 15.4).
 */
export function othersReduced(persons: Row[], personId: string): Row[] {
  return persons.map((p) => (p.id === personId ? p : { id: p.id, household_role: p.household_role, first_name: p.first_name, last_name: p.last_name }));
}

export type AccessExport = {
  generatedAt: string;
  person: Row;
  household: Row;
  sections: Record<ExportedTable, Row[]>;
};

/** Everything Lien holds about a person and their household, in the caller's organisation (RLS). */
export async function buildAccessExport(trx: Tx, s: DataSubject, now: Date): Promise<AccessExport> {
  const registry = await registryRowsOf(trx, s);
  const calls = await callRowsOf(trx, s.householdId);
  const contactIds = registry.contact_points.map((c) => c.id);
  const trail = await eventsAboutObjects(trx, [s.householdId, s.personId, ...contactIds, ...calls.call_attempts.map((a) => a.id)]);
  const names = await userNames(trx, [...new Set(trail.flatMap((e) => (e.actor_id ? [e.actor_id] : [])))]);
  const raw: Record<ExportedTable, Row[]> = {
    ...registry,
    persons: othersReduced(registry.persons, s.personId),
    ...calls,
    ...(await followupRowsOf(trx, s.householdId)),
    referrals: await referralRowsOf(trx, s.householdId),
    ...(await doorstepRowsOf(trx, s.householdId)),
    ...(await deliveryRowsOf(trx, s.householdId)),
    ...(await invitationRowsOf(trx, s.householdId)),
    ...(await outreachRowsOf(trx, s.householdId)),
    ...(await helpCallRowsOf(trx, s.householdId)),
    ...(await appointmentRowsOf(trx, s.householdId)),
    ...(await arrearsRowsOf(trx, s.householdId)),
    ...(await portalRowsOf(trx, s.householdId)),
    messages: await messagesTo(trx, await contactValuesOf(trx, s.personId)),
    message_letters: await messagingRowsOf(trx, s.householdId),
    sms_opt_outs: await smsOptOutsOf(trx, await contactValuesOf(trx, s.personId)),
    audit_events: trail.map((e) => ({
      at: e.at,
      action: e.action,
      actor: e.actor_id ? (names.get(e.actor_id) ?? 'compte supprimé') : 'système',
      actor_role: e.actor_role,
      object_type: e.object_type,
      object_id: e.object_id,
    })),
    ...(await requestRowsOf(trx, s.personId)),
  };
  const sections = Object.fromEntries(exportedTables.map((t) => [t, minimise(t, raw[t] ?? [])])) as Record<ExportedTable, Row[]>;
  return {
    generatedAt: now.toISOString(),
    person: sections.persons.find((p) => p.id === s.personId) ?? {},
    household: sections.households[0] ?? {},
    sections,
  };
}

/** A value as text: dates in ISO, objects in JSON. */
function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The export as JSON (dates in ISO 8601 UTC). */
export function accessJson(e: AccessExport): string {
  return JSON.stringify(e, null, 2);
}

/** The export as one CSV: section;ligne;champ;valeur, one line per field of each row. */
export function accessCsv(e: AccessExport): string {
  let out = CSV_BOM + csvLine(['section', 'ligne', 'champ', 'valeur']);
  for (const table of exportedTables) {
    e.sections[table].forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) out += csvLine([table, i + 1, k, plain(v)]);
    });
  }
  return out;
}

const frDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
const frDateTime = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** A day in French: « 30 novembre 2026 ». */
function frenchDay(isoDay: string): string {
  return frDate.format(new Date(`${isoDay}T12:00:00Z`)).replace(/^1 /, '1er ');
}

/** A value as a French reader reads it. */
function readable(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (value instanceof Date) return frDateTime.format(value);
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return frenchDay(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** What each section is, in French, from the classification (the DPO's words). */
function sectionTitles(): Map<string, string> {
  const titles = new Map<string, string>();
  for (const c of classifiedColumns()) titles.set(c.table, c.about);
  return titles;
}

/** The export as a readable French PDF (A4): the person, then one section per data category with its count. */
export function accessPdf(e: AccessExport, organisation: string): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margin: 50, info: { Title: 'Droit d’accès : vos données', Author: organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const titles = sectionTitles();
  const name = `${e.person.first_name ?? ''} ${e.person.last_name ?? ''}`.trim();
  doc.font('bold').fontSize(18).text('Vos données personnelles');
  doc.moveDown(0.3).font('regular').fontSize(11);
  doc.text(`Réponse à votre demande de droit d’accès (article 15 du RGPD), établie par ${organisation} le ${frenchDay(parisToday(new Date(e.generatedAt)))}.`);
  doc.text(`Personne : ${name || '—'} — ménage ${readable(e.household.erp_ref)}.`);
  doc.moveDown(0.5).fontSize(10).fillColor('#444');
  doc.text(
    'Ce document reprend toutes les données que Lien conserve sur vous et votre ménage, catégorie par catégorie. Une version lisible par une machine (JSON ou CSV) vous est remise avec lui.',
  );
  doc.fillColor('black').moveDown();
  doc.font('bold').fontSize(12).text('Sommaire');
  doc.font('regular').fontSize(10);
  for (const table of exportedTables) {
    const n = e.sections[table].length;
    doc.text(`${titles.get(table) ?? table} : ${n} ${n > 1 ? 'éléments' : 'élément'}`);
  }
  for (const table of exportedTables) {
    const rows = e.sections[table];
    doc.moveDown();
    doc
      .font('bold')
      .fontSize(12)
      .text(`${titles.get(table) ?? table} (${rows.length})`);
    doc.font('regular').fontSize(9);
    if (!rows.length) doc.text('Aucune donnée.');
    rows.forEach((row, i) => {
      doc
        .moveDown(0.3)
        .font('bold')
        .text(`${i + 1}.`, { continued: false });
      doc.font('regular');
      for (const [k, v] of Object.entries(row)) doc.text(`${k} : ${readable(v)}`, { indent: 12 });
    });
  }
  doc.end();
  return done;
}
