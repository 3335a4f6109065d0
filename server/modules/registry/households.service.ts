import ExcelJS from 'exceljs';
import { type CallOutcome, callOutcomeLabels, doorstepResultLabels } from '../../../contracts/campaigns.ts';
import {
  type HouseholdAccess,
  type HouseholdFieldGroup,
  type HouseholdFile,
  type HouseholdFilterName,
  type HouseholdFilters,
  type HouseholdHit,
  type HouseholdRow,
  type HouseholdSortKey,
  householdAccess,
  householdFieldClasses,
  householdSortLabels,
  type TimelineEvent,
  type TimelineType,
} from '../../../contracts/households.ts';
import { euros } from '../../../contracts/money.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { countActionsInLastHour, eventsAbout } from '../../platform/audit/journal.ts';
import { can, rolesWith } from '../../platform/auth/abilities.ts';
import { isFreshlyAuthenticated, type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { CSV_BOM, csvLine, neutraliseCell } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, invalid, notFound } from '../../platform/errors/app-error.ts';
import type { Deps } from '../deps.ts';
import * as repo from './households.repository.ts';
import { parsePhone } from './import/validate.ts';
import { providedTimelineEvents } from './timeline-sources.ts';

/** Roles that see households: those `householdAccess` gives a scope. */

/**
 * A tenant answered STOP to an SMS (the outbox's hook): « pas de SMS » on the households with that
 * mobile, each audited as an objection the tenant made by SMS (no user, no address).
 */
export async function optOutOfSmsByReply(trx: Tx, phone: string) {
  for (const householdId of await repo.addSmsOptOutObjections(trx, phone))
    await recordAudit(
      trx,
      { userId: null, role: 'public', ip: null },
      { action: 'household.objection_added', objectType: 'household', objectId: householdId, details: { kind: 'no_sms', via: 'sms_reply' } },
    );
}

export const householdReaders = rolesWith('households.read');
export const householdEditors = rolesWith('households.edit');

/** Agencies a session may see: null for an org admin or a user of the whole organisation. */
export const scopeOf = (s: SessionContext): repo.Scope => (can(s.role, 'agencies.all') || s.agencyIds.length === 0 ? null : s.agencyIds);

/** The households a session reaches, from its role's scope in `householdAccess`. */
export function householdScopeOf(s: SessionContext): repo.HouseholdScope {
  const seesRestricted = can(s.role, 'households.restricted');
  switch (householdAccess[s.role]?.scope) {
    case 'organisation':
      return { kind: 'organisation', seesRestricted };
    case 'agencies':
      return s.agencyIds.length ? { kind: 'agencies', agencyIds: s.agencyIds, seesRestricted } : { kind: 'organisation', seesRestricted };
    case 'residences':
      return { kind: 'residences', caretakerId: s.userId, seesRestricted };
    default:
      return { kind: 'none' };
  }
}
const householdNotFound = () => notFound('Ménage', 'household_not_found');

/** Keep the keys of `value` whose group the role reads; a key without a group is a programming error. */
export function pickFields<T extends object>(value: T, classes: Record<string, HouseholdFieldGroup>, fields: readonly HouseholdFieldGroup[]): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) {
    const group = classes[key];
    if (!group) throw new Error(`Household field « ${key} » has no field group (contracts/households.ts)`);
    if (fields.includes(group)) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** The filters a list or an export uses (set ones only). */
function filtersUsed(f: HouseholdFilters): HouseholdFilterName[] {
  const used: HouseholdFilterName[] = [f.status === 'missing' ? 'missing' : 'status'];
  if (f.agencyId) used.push('agencyId');
  if (f.residenceId) used.push('residenceId');
  if (f.minAge !== undefined) used.push('minAge');
  if (f.indicators?.length) used.push('indicators');
  if (f.regularWatch !== undefined) used.push('regularWatch');
  if (f.objection) used.push('objection');
  if (f.noContactForDays !== undefined) used.push('noContactForDays');
  return used;
}

const filterLabels: Record<HouseholdFilterName, string> = {
  status: 'statut',
  missing: 'ménages à vérifier',
  agencyId: 'agence',
  residenceId: 'résidence',
  minAge: 'âge',
  indicators: 'indicateurs',
  regularWatch: 'veille régulière',
  objection: 'opposition',
  noContactForDays: 'sans contact depuis',
};

/** Sorting or filtering by a field is reading it: refused (400) when the role may not read it. */
function checkListRequest(access: HouseholdAccess, filters: HouseholdFilters, sort?: HouseholdSortKey) {
  if (sort && !access.sortKeys.includes(sort)) {
    throw new AppError(
      'sort_not_allowed',
      400,
      `Vous ne pouvez pas trier les ménages par « ${householdSortLabels[sort]} » : ce champ ne vous est pas accessible.`,
    );
  }
  const refused = filtersUsed(filters).filter((f) => !access.filters.includes(f));
  if (refused.length) {
    throw new AppError(
      'filter_not_allowed',
      400,
      `Vous ne pouvez pas filtrer les ménages par ${refused.map((f) => `« ${filterLabels[f]} »`).join(', ')} : ce champ ne vous est pas accessible.`,
    );
  }
}

/** Digits of a phone-like query, as stored (E.164 without +), or null. */
export function phoneDigits(query: string): string | null {
  const digits = query.replace(/[^\d+]/g, '');
  if (!/^\+?\d{4,}$/.test(digits)) return null;
  if (digits.startsWith('+')) return digits.slice(1);
  if (digits.startsWith('00')) return digits.slice(2);
  if (digits.startsWith('0')) return `33${digits.slice(1)}`;
  return digits;
}

/**
 * The digits of a query made only of a phone number or its end (digits, spaces, dots, dashes,
 * brackets, a leading +), when at least 4: staff often have only the end of a number from a
 * missed-call list. Null for anything else (« L123456 » is a reference, not a phone).
 */
function phoneSuffixDigits(query: string): string | null {
  if (!/^\+?[\d\s.\-()/]+$/.test(query.trim())) return null;
  const digits = query.replace(/\D/g, '');
  return digits.length >= 4 ? digits : null;
}

/** Search by name, first name, phone, street, residence or ERP reference; the search itself is audited (no terms logged). */
export async function searchHouseholds(deps: Deps, s: SessionContext, query: string, limit: number, ip: string): Promise<HouseholdHit[]> {
  return withSession(deps.database, s, async (trx) => {
    const { fields } = householdAccess[s.role];
    // Searching by a phone is reading phones: only for roles that read contacts.
    const phoneEnd = fields.includes('contact') ? phoneSuffixDigits(query) : null;
    // Bare digits shorter than a number (« 33 61 23 », the end of a missed call) are no start of
    // one: as a prefix they would list every number beginning with 33 6… above the right one.
    const bareEnd = phoneEnd !== null && phoneEnd.length < 10 && !/^\s*(\+|0)/.test(query);
    const phone = fields.includes('contact') && !bareEnd ? phoneDigits(query) : null;
    // Matching a street or a residence name is reading the address: only for roles that read it.
    const rows = await repo.searchHouseholds(trx, query, phone, limit, householdScopeOf(s), fields.includes('address'), phoneEnd);
    // Which households the hits showed, for the user's access report (TRUST DP-15).
    await recordAudit(trx, actorOf(s, ip), { action: 'household.searched', details: { results: rows.length, [HOUSEHOLD_IDS]: rows.map((r) => r.id) } });
    return rows.map(
      (r) =>
        pickFields<HouseholdHit>(
          {
            id: r.id,
            erpRef: r.erp_ref,
            status: r.status,
            persons: r.persons,
            address: r.address,
            residence: r.residence,
            agency: r.agency,
            matched: r.matched,
          },
          householdFieldClasses.hit,
          fields,
        ) as HouseholdHit,
    );
  });
}

const ageFrom = (birth: string | null) => {
  if (!birth) return null;
  const b = new Date(`${birth}T00:00:00Z`);
  const now = new Date();
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  if (now.getUTCMonth() < b.getUTCMonth() || (now.getUTCMonth() === b.getUTCMonth() && now.getUTCDate() < b.getUTCDate())) age--;
  return age;
};

/** A page of the filtered list; the households it shows are audited (TRUST DP-11, DP-15). */
export async function listHouseholds(
  deps: Deps,
  s: SessionContext,
  body: { filters: HouseholdFilters; sort: HouseholdSortKey; page: number; limit: number },
  ip: string,
) {
  const access = householdAccess[s.role];
  checkListRequest(access, body.filters, body.sort);
  return withSession(deps.database, s, async (trx) => {
    const { total, rows } = await repo.listHouseholds(trx, body.filters, householdScopeOf(s), body.sort, body.limit, (body.page - 1) * body.limit);
    await recordAudit(trx, actorOf(s, ip), { action: 'household.listed', details: { page: body.page, [HOUSEHOLD_IDS]: rows.map((r) => r.id) } });
    const out = rows.map(
      (r) =>
        pickFields<HouseholdRow>(
          {
            id: r.id,
            erpRef: r.erp_ref,
            holder: r.holder,
            oldestAge: ageFrom(r.oldest_birth),
            persons: r.persons,
            residence: r.residence,
            agency: r.agency,
            indicators: r.indicators,
            objections: r.objections,
            status: r.status,
          },
          householdFieldClasses.row,
          access.fields,
        ) as HouseholdRow,
    );
    return { total, rows: out };
  });
}

/** Bulk extraction is limited per user (TRUST LD-09). */
const MAX_EXPORTS_PER_HOUR = 5;
/** Exports stay a working list, not a copy of the registry. */
const MAX_EXPORT_ROWS = 50_000;

/** Export columns and the field group each reads. */
const exportColumns: { header: string; group: HouseholdFieldGroup }[] = [
  { header: 'Réf. ménage', group: 'identity' },
  { header: 'Statut', group: 'identity' },
  { header: 'Agence', group: 'address' },
  { header: 'Résidence', group: 'address' },
  { header: 'Adresse', group: 'address' },
  { header: 'Code postal', group: 'address' },
  { header: 'Commune', group: 'address' },
  { header: 'Logement', group: 'address' },
  { header: 'Occupants', group: 'identity' },
  { header: 'Téléphones', group: 'contact' },
  { header: 'Indicateurs', group: 'indicators' },
  { header: 'Oppositions', group: 'objections' },
];

/** Export the filtered list (CSV or XLSX); cells that a spreadsheet would run are neutralised. Audited. */
export async function exportHouseholds(deps: Deps, s: SessionContext, filters: HouseholdFilters, format: 'csv' | 'xlsx', ip: string) {
  const access = householdAccess[s.role];
  if (!access.export) throw new AppError('forbidden', 403, 'Votre rôle ne permet pas d’exporter des ménages.');
  checkListRequest(access, filters);
  // Birth dates go with the names only for roles that read ages.
  const withBirth = access.fields.includes('age');
  const columns = exportColumns.map((c, i) => ({ ...c, i })).filter((c) => access.fields.includes(c.group));
  const exportHeaders = columns.map((c) => c.header);
  if (!isFreshlyAuthenticated(s)) {
    throw new AppError(
      'reauthentication_required',
      403,
      'Pour exporter, confirmez votre identité (mot de passe, et code si la double authentification est activée).',
    );
  }
  return withSession(deps.database, s, async (trx) => {
    if ((await countActionsInLastHour(trx, { actorId: s.userId, action: 'household.exported' })) >= MAX_EXPORTS_PER_HOUR) {
      throw new AppError('too_many_exports', 429, `Au plus ${MAX_EXPORTS_PER_HOUR} exports par heure : réessayez plus tard.`);
    }
    const rows: string[][] = [];
    const exported: string[] = [];
    for await (const r of repo.exportHouseholds(trx, filters, householdScopeOf(s), withBirth)) {
      if (rows.length >= MAX_EXPORT_ROWS) {
        throw invalid(
          'export_too_large',
          `Un export est limité à ${MAX_EXPORT_ROWS.toLocaleString('fr-FR')} ménages : affinez les filtres (agence, âge, indicateurs).`,
        );
      }
      const cells = [
        r.erp_ref,
        r.status,
        r.agency,
        r.residence,
        r.address ?? '',
        r.postal_code ?? '',
        r.city ?? '',
        r.unit,
        r.persons ?? '',
        r.phones ?? '',
        r.indicators ?? '',
        r.objections ?? '',
      ];
      rows.push(columns.map((c) => cells[c.i] ?? ''));
      exported.push(r.id);
    }
    await recordAudit(trx, actorOf(s, ip), { action: 'household.exported', details: { format, rows: rows.length, filters, [HOUSEHOLD_IDS]: exported } });
    if (format === 'csv')
      return {
        contentType: 'text/csv; charset=utf-8',
        fileName: 'menages.csv',
        body: Buffer.from(CSV_BOM + csvLine(exportHeaders) + rows.map(csvLine).join('')),
      };
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ménages');
    sheet.addRow(exportHeaders);
    // Same neutralisation as CSV (a leading ' is shown as text by spreadsheets), without CSV quoting.
    for (const row of rows) sheet.addRow(row.map(neutraliseCell));
    return {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName: 'menages.xlsx',
      body: Buffer.from(await workbook.xlsx.writeBuffer()),
    };
  });
}

/** The household file; the read is audited (TRUST DP-11). */
type ContactRow = { id: string; kind: 'mobile' | 'landline' | 'email'; value: string; source: string; updated_at: Date };
const comparable = (c: ContactRow) => (c.kind === 'email' ? c.value.trim().toLowerCase() : c.value.replace(/\D/g, ''));

/**
 * A person's current contacts, with when each value was recorded; when a value entered by staff
 * and one from the ERP of the same kind disagree, `newer` says which is the more recent (issue 12).
 */
function withNewer(contacts: ContactRow[]) {
  return contacts.map((c) => {
    const other = contacts.find(
      (o) => o.kind === c.kind && o.id !== c.id && o.source !== c.source && ['staff', 'erp_import'].includes(o.source) && comparable(o) !== comparable(c),
    );
    const since = c.updated_at.toISOString();
    if (!['staff', 'erp_import'].includes(c.source) || !other) return { id: c.id, kind: c.kind, value: c.value, source: c.source, since };
    return {
      id: c.id,
      kind: c.kind,
      value: c.value,
      source: c.source,
      since,
      newer: c.updated_at.getTime() > other.updated_at.getTime() || (c.updated_at.getTime() === other.updated_at.getTime() && c.source === 'staff'),
    };
  });
}

export async function getHouseholdFile(deps: Deps, s: SessionContext, householdId: string, ip: string): Promise<HouseholdFile> {
  return withSession(deps.database, s, async (trx) => {
    const f = await repo.householdFile(trx, householdId, householdScopeOf(s));
    if (!f) throw householdNotFound();
    await recordAudit(trx, actorOf(s, ip), { action: 'household.viewed', objectType: 'household', objectId: householdId });
    const { fields } = householdAccess[s.role];
    const events = fields.includes('timeline') ? await eventsAbout(trx, { objectId: householdId, exceptAction: 'household.viewed' }) : [];
    const canSeeBalance = fields.includes('balance');
    const timeline: TimelineEvent[] = [
      ...f.balances.map((b) => ({
        at: b.recorded_at.toISOString(),
        kind: 'balance',
        type: 'balance' as const,
        label: `Solde : ${euros(Number(b.balance_cents))}`,
      })),
      ...events.map((e) => ({ at: e.at.toISOString(), kind: e.action, type: timelineTypeOf(e.action), label: eventLabel(e.action, e.details) })),
      // Cases, their tasks and notes: from the modules that own them, as this viewer may see them.
      ...(fields.includes('timeline') ? await providedTimelineEvents(trx, s, householdId) : []),
    ]
      .filter((e) => canSeeBalance || e.kind !== 'balance')
      .sort((a, b) => b.at.localeCompare(a.at));
    const file: Required<HouseholdFile> = {
      id: f.h.id,
      erpRef: f.h.erp_ref,
      status: f.h.status,
      missingSince: f.h.missing_since?.toISOString() ?? null,
      leftAt: f.h.left_at?.toISOString() ?? null,
      balanceCents: canSeeBalance && f.h.balance_cents !== null ? Number(f.h.balance_cents) : null,
      unit: { ref: f.h.unit_ref, floor: f.h.floor, rooms: f.h.rooms, hasLift: f.h.has_lift },
      residence: { id: f.h.residence_id, name: f.h.residence, address: f.h.address, postalCode: f.h.postal_code, city: f.h.city, qpv: f.h.qpv },
      agency: { id: f.h.agency_id, name: f.h.agency, dutyPhone: f.h.duty_phone },
      lease: f.lease ? { ref: f.lease.erp_ref, startDate: f.lease.start_date, endDate: f.lease.end_date } : null,
      persons: f.persons.map(
        (p) =>
          pickFields(
            {
              id: p.id,
              civility: p.civility,
              firstName: p.first_name,
              lastName: p.last_name,
              birthDate: p.birth_date,
              age: p.age,
              role: p.household_role,
              preferredLanguage: p.preferred_language,
              preferredChannel: p.preferred_channel,
              contacts: withNewer(f.contacts.filter((c) => c.person_id === p.id)),
            },
            householdFieldClasses.person,
            fields,
          ) as HouseholdFile['persons'][number],
      ),
      indicators: f.indicators.map((i) => ({ id: i.id, kind: i.kind, source: i.source, recordedAt: i.recorded_at.toISOString() })),
      objections: f.objections.map((o) => ({ id: o.id, kind: o.kind, recordedAt: o.recorded_at.toISOString() })),
      restriction: f.h.restricted_at ? { since: f.h.restricted_at.toISOString(), reason: f.h.restricted_reason ?? '' } : null,
      consents: f.consents.map((c) => ({
        id: c.id,
        purpose: c.purpose,
        channel: c.channel,
        wordingVersion: c.wording_version,
        givenAt: c.given_at.toISOString(),
        withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
      })),
      needs: f.needs.map((n) => ({ id: n.id, category: n.category, label: n.label, source: n.source, recordedAt: n.recorded_at.toISOString() })),
      timeline,
    };
    return pickFields(file, householdFieldClasses.file, fields) as HouseholdFile;
  });
}

const eventLabels: Record<string, string> = {
  'household.contact_changed': 'Coordonnée corrigée',
  'household.preferences_changed': 'Préférences de contact modifiées',
  'household.indicator_added': 'Indicateur ajouté',
  'household.indicator_removed': 'Indicateur retiré',
  'household.objection_added': 'Opposition enregistrée',
  'household.objection_removed': 'Opposition levée',
  'household.consent_given': 'Consentement recueilli',
  'household.consent_withdrawn': 'Consentement retiré (besoins de santé effacés)',
  'household.need_added': 'Besoin déclaré',
  'household.need_removed': 'Besoin retiré',
  'household.exported': 'Export',
  'call.urgency': 'Urgence signalée pendant un appel',
};

/** The filter's kind of an audit event on the timeline. */
function timelineTypeOf(action: string): TimelineType {
  if (action.startsWith('call.')) return 'call';
  if (action.startsWith('doorstep.')) return 'doorstep';
  return 'household';
}

/** Timeline label of an audit event; calls and doorstep visits say their outcome. */
function eventLabel(action: string, details: Record<string, unknown>) {
  if (action === 'call.recorded') return `Appel de campagne : ${callOutcomeLabels[details.outcome as CallOutcome] ?? String(details.outcome)}`;
  if (action === 'doorstep.recorded') {
    return `Porte-à-porte : ${doorstepResultLabels[details.result as keyof typeof doorstepResultLabels] ?? String(details.result)}`;
  }
  return eventLabels[action] ?? action;
}

async function visible(trx: Tx, s: SessionContext, householdId: string) {
  if (!(await repo.householdVisible(trx, householdId, householdScopeOf(s)))) throw householdNotFound();
}

/**
 * A household that objected to the fragility register, or whose data were erased and the rest
 * restricted (TRUST DP-07), gets no new fragility data: refused in French, nothing written.
 */
async function fragilityAllowed(trx: Tx, householdId: string) {
  if ((await repo.hasObjection(trx, householdId, 'no_fragility_register')) || (await repo.isRestricted(trx, householdId))) {
    throw invalid(
      'fragility_register_objection',
      'Ce ménage s’est opposé au registre des fragilités ou a obtenu l’effacement de ses données : aucun indicateur, besoin ni consentement ne peut plus être enregistré pour lui.',
    );
  }
}

/** Correct a phone or e-mail (entered by staff, kept across imports); audited with the old value. */
/** Correct a person's preferred channel or language; audited with the old values. */
export async function setPreferences(
  deps: Deps,
  s: SessionContext,
  householdId: string,
  personId: string,
  input: { preferredChannel: 'phone' | 'sms' | 'email' | 'letter' | null; preferredLanguage: string | null },
  ip: string,
) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    if (!(await repo.personOfHousehold(trx, personId, householdId))) throw notFound('Personne', 'person_not_found');
    const old = await repo.setPreferences(trx, personId, { preferredChannel: input.preferredChannel, preferredLanguage: input.preferredLanguage || null });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.preferences_changed',
      objectType: 'household',
      objectId: householdId,
      // The language is free text: only whether it changed is kept in the trail.
      details: {
        personId,
        channel: { old: old.preferredChannel, new: input.preferredChannel },
        languageChanged: (old.preferredLanguage ?? null) !== (input.preferredLanguage || null),
      },
    });
  });
}

export async function setContact(
  deps: Deps,
  s: SessionContext,
  householdId: string,
  input: { personId: string; kind: 'mobile' | 'landline' | 'email'; value: string },
  ip: string,
) {
  let value = input.value;
  if (input.kind === 'email') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw invalid('invalid_email', 'Adresse e-mail invalide.');
    value = value.toLowerCase();
  } else {
    try {
      value = parsePhone(value);
    } catch {
      throw invalid('invalid_phone', `Numéro de téléphone invalide : « ${input.value} ».`);
    }
  }
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    if (!(await repo.personOfHousehold(trx, input.personId, householdId))) throw notFound('Personne', 'person_not_found');
    const old = await repo.upsertStaffContact(trx, input.personId, input.kind, value);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.contact_changed',
      objectType: 'household',
      objectId: householdId,
      details: { personId: input.personId, kind: input.kind, old, new: value },
    });
  });
}

export async function addIndicator(deps: Deps, s: SessionContext, householdId: string, kind: string, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    await fragilityAllowed(trx, householdId);
    if (await repo.addIndicator(trx, householdId, kind, s.userId)) {
      await recordAudit(trx, actorOf(s, ip), { action: 'household.indicator_added', objectType: 'household', objectId: householdId, details: { kind } });
    }
  });
}

export async function removeIndicator(deps: Deps, s: SessionContext, householdId: string, indicatorId: string, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    const removed = await repo.removeIndicator(trx, householdId, indicatorId);
    if (!removed) throw notFound('Indicateur', 'indicator_not_found');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.indicator_removed',
      objectType: 'household',
      objectId: householdId,
      details: { old: removed },
    });
  });
}

/** « Ne pas appeler », « pas de SMS », opposition au registre des fragilités: every later module honours them. */
export async function addObjection(deps: Deps, s: SessionContext, householdId: string, kind: repo.ObjectionKind, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    if (await repo.addObjection(trx, householdId, kind, s.userId)) {
      await recordAudit(trx, actorOf(s, ip), { action: 'household.objection_added', objectType: 'household', objectId: householdId, details: { kind } });
    }
  });
}

export async function removeObjection(deps: Deps, s: SessionContext, householdId: string, objectionId: string, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    const removed = await repo.removeObjection(trx, householdId, objectionId);
    if (!removed) throw notFound('Opposition', 'objection_not_found');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.objection_removed',
      objectType: 'household',
      objectId: householdId,
      details: { kind: removed.kind },
    });
  });
}

/** Record the tenant's explicit consent for health or disability needs (who, when, how, wording). */
export async function giveConsent(
  deps: Deps,
  s: SessionContext,
  householdId: string,
  input: { personId?: string | undefined; channel: 'phone' | 'in_person' | 'letter' | 'portal'; wordingVersion: string },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    await fragilityAllowed(trx, householdId);
    if (input.personId && !(await repo.personOfHousehold(trx, input.personId, householdId))) throw notFound('Personne', 'person_not_found');
    const id = await repo.insertConsent(trx, householdId, input.personId ?? null, input.channel, input.wordingVersion, s.userId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.consent_given',
      objectType: 'household',
      objectId: householdId,
      details: { consentId: id, channel: input.channel, wordingVersion: input.wordingVersion },
    });
    return id;
  });
}

/** Withdrawing consent deletes at once the needs it covered (TRUST DP-03). */
export async function withdrawConsent(deps: Deps, s: SessionContext, householdId: string, consentId: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    const deleted = await repo.withdrawConsent(trx, householdId, consentId);
    if (deleted === null) throw notFound('Consentement', 'consent_not_found');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.consent_withdrawn',
      objectType: 'household',
      objectId: householdId,
      details: { consentId, needsDeleted: deleted },
    });
    return deleted;
  });
}

/** A declared need; health and disability needs require an active consent (422 otherwise). */
export async function addNeed(
  deps: Deps,
  s: SessionContext,
  householdId: string,
  input: { category: 'health' | 'disability' | 'daily_life' | 'social' | 'other'; label: string; consentId?: string | undefined },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    await fragilityAllowed(trx, householdId);
    const sensitive = input.category === 'health' || input.category === 'disability';
    if (sensitive) {
      if (!input.consentId)
        throw invalid(
          'consent_required',
          'Un besoin lié à la santé ou au handicap ne peut être enregistré qu’avec le consentement explicite du locataire. Recueillez-le d’abord.',
        );
      if (!(await repo.activeConsent(trx, householdId, input.consentId))) throw invalid('consent_required', 'Ce consentement est introuvable ou a été retiré.');
    }
    const id = await repo.insertNeed(
      trx,
      householdId,
      { category: input.category, label: input.label, consentId: sensitive ? (input.consentId ?? null) : null },
      s.userId,
    );
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.need_added',
      objectType: 'household',
      objectId: householdId,
      details: { needId: id, category: input.category },
    });
    return id;
  });
}

export async function removeNeed(deps: Deps, s: SessionContext, householdId: string, needId: string, ip: string) {
  await withSession(deps.database, s, async (trx) => {
    await visible(trx, s, householdId);
    const removed = await repo.removeNeed(trx, householdId, needId);
    if (!removed) throw notFound('Besoin', 'need_not_found');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'household.need_removed',
      objectType: 'household',
      objectId: householdId,
      details: { category: removed.category },
    });
  });
}

/** The search as the benchmark times it: same transaction, RLS and audit as the API. */
export function benchSearch(deps: Deps, s: SessionContext, query: string) {
  return searchHouseholds(deps, s, query, 20, '127.0.0.1');
}

/** The list as the benchmark times it: first page of 50, with the total, audited as the API does. */
export function benchList(deps: Deps, s: SessionContext, filters: HouseholdFilters) {
  return listHouseholds(deps, s, { filters, sort: 'name', page: 1, limit: 50 }, '127.0.0.1');
}
