/**
 * Erasure and objection (TRUST DP-07, RGPD art. 17, 18 and 21): for each table that holds the
 * person's data (the access export's sections), its purpose from the classification decides
 * whether its rows are deleted, restricted (kept for a legal purpose, hidden from every role but
 * the one that purpose needs) or kept, with the reason the requester reads. The deletions go
 * through the owning modules' functions, in the caller's transaction.
 */

import { type Purpose, purposeLabels } from '../../../contracts/data-protection.ts';
import { type ErasureAction, type ErasureLine, type ErasurePlan, type ObjectablePurpose, objectablePurposes } from '../../../contracts/privacy.ts';
import { roleLabels } from '../../../contracts/roles.ts';
import type { Config } from '../../config.ts';
import { classifiedColumns } from '../../data-protection/classification.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import type { Tx } from '../../platform/db/database.ts';
import { eraseMessagesTo } from '../../platform/outbox/outbox.ts';
import { eraseAppointmentsOf } from '../appointments/index.ts';
import { eraseArrearsOf } from '../arrears/index.ts';
import { eraseCallsOf } from '../calls/index.ts';
import { eraseVisitsOf } from '../doorstep/index.ts';
import { eraseFollowupsOf } from '../followups/index.ts';
import { eraseLettersOf } from '../messaging/index.ts';
import { eraseReferralsOf } from '../partners/index.ts';
import { erasePortalDocumentsOf, erasePortalRequestsOf } from '../portal/index.ts';
import {
  addHouseholdObjection,
  contactValuesOf,
  type DataSubject,
  eraseBalancesOf,
  eraseFragilityOf,
  householdBalanceOf,
  type ObjectionKind,
  restrictHousehold,
} from '../registry/index.ts';
import { eraseDeliveriesOf, eraseHelpCallsOf, eraseInvitationsOf, eraseOutreachOf } from '../solidarity/index.ts';
import { type AccessExport, type ExportedTable, exportedTables } from './access-export.ts';

type Rule = { action: ErasureAction; reason: string };

/** Who still sees a restricted household, in French (from the ability map). */
export const restrictedSeenBy = () =>
  rolesWith('households.restricted')
    .map((r) => roleLabels[r])
    .join(', ');

const legalRestriction = () => `accessibles au seul rôle « ${restrictedSeenBy()} »`;

/**
 * What an erasure does to the data of each purpose, and why (the words the requester reads).
 * Arrears depend on the debt: kept while it is owed, deleted once it is settled.
 */
export function erasureRule(purpose: Purpose, arrearsOwed: boolean): Rule {
  switch (purpose) {
    case 'rental_management':
      return {
        action: 'restrict',
        reason: `Nécessaires à la gestion de votre bail (contrat de location, art. 6.1.b du RGPD) : conservées pendant le bail puis cinq ans (prescription, art. 2224 du Code civil), ${legalRestriction()}.`,
      };
    case 'arrears':
      return arrearsOwed
        ? {
            action: 'restrict',
            reason: `Une dette locative reste due : les données d’impayés sont conservées tant qu’elle n’est pas soldée (obligation légale et intérêt légitime du bailleur, art. 17.3.e du RGPD), ${legalRestriction()}.`,
          }
        : { action: 'delete', reason: 'Aucune dette locative n’est due : l’historique de vos soldes est effacé.' };
    case 'fragility_register':
      return {
        action: 'delete',
        reason:
          'Effacées à votre demande (art. 17 du RGPD) : le registre des fragilités et l’accompagnement reposent sur votre accord, qui cède devant votre demande.',
      };
    case 'campaign':
      return { action: 'delete', reason: 'Effacées à votre demande (art. 17 du RGPD) : appels, réponses, visites et messages des campagnes de veille.' };
    case 'referral':
      return { action: 'delete', reason: 'Effacées à votre demande (art. 17 du RGPD) : orientations vers un partenaire.' };
    case 'portal':
      return { action: 'delete', reason: 'Effacées à votre demande (art. 17 du RGPD) : données du portail locataire.' };
    case 'security':
      return {
        action: 'keep',
        reason:
          'Journal des accès à votre dossier, conservé pour la sécurité de vos données (art. 32 du RGPD) puis effacé à la fin de sa durée de conservation.',
      };
    default:
      return { action: 'keep', reason: 'Donnée technique de fonctionnement du service, sans contenu sur vous.' };
  }
}

/**
 * Tables whose purpose or fate is not the one their link column says, with the reason: an
 * objection is kept to be honoured, a request to prove it was answered, a staged import line
 * lives only until its import is applied; the messages that reach a tenant are the campaigns'.
 */
const tableRules: Partial<Record<ExportedTable, { purpose?: Purpose; rule?: Rule }>> = {
  objections: {
    rule: {
      action: 'keep',
      reason: 'Vos oppositions sont conservées pour être respectées (art. 21 du RGPD) : sans elles, vous pourriez être de nouveau sollicité·e.',
    },
  },
  subject_requests: {
    rule: {
      action: 'keep',
      reason: 'La trace de vos demandes et de nos réponses est conservée pour prouver qu’elles ont été traitées (art. 5.2 et 12 du RGPD).',
    },
  },
  import_lines: {
    rule: { action: 'keep', reason: 'Ligne d’un import en cours du logiciel de gestion locative, effacée dès que l’import est appliqué.' },
  },
  messages: { purpose: 'campaign' },
  // The letters of a send (messaging) go with the messages to the tenant: erased on request.
  message_letters: { purpose: 'campaign' },
  sms_opt_outs: {
    rule: {
      action: 'keep',
      reason: 'Votre réponse STOP est conservée pour être respectée (art. 21 du RGPD) : sans elle, vous pourriez de nouveau recevoir des SMS.',
    },
  },
};

/** The column that ties a table's rows to the person or household, whose first purpose is the table's. */
const linkColumns = ['household_id', 'person_id', 'household_ref', 'recipient', 'object_id', 'id'];

/** Each exported table's purpose and what it holds, from the classification (a table without one fails loudly). */
export function tablePurposes(): Record<ExportedTable, { purpose: Purpose; label: string }> {
  const columns = classifiedColumns();
  return Object.fromEntries(
    exportedTables.map((table) => {
      const own = columns.filter((c) => c.table === table);
      const link = linkColumns.map((name) => own.find((c) => c.column === name)).find((c) => c !== undefined);
      if (!link) throw new Error(`Table ${table} has no link column in the classification`);
      return [table, { purpose: tableRules[table]?.purpose ?? link.purposes[0], label: link.about }];
    }),
  ) as Record<ExportedTable, { purpose: Purpose; label: string }>;
}

/**
 * Tables whose rows hang on another purpose's rows and go with them: a follow-up is opened by a
 * call or a doorstep visit (the campaigns), so an objection to the campaigns takes it too.
 */
const goesWith: Partial<Record<ExportedTable, Purpose>> = { followups: 'campaign', referrals: 'fragility_register' };

/** Whether an objection reaches a table: its own purpose, or the one its rows hang on, is objected to. */
const objected = (table: ExportedTable, purpose: Purpose, to: readonly ObjectablePurpose[]) =>
  (to as readonly Purpose[]).includes(purpose) || (goesWith[table] !== undefined && (to as readonly Purpose[]).includes(goesWith[table]));

/**
 * The lines of an erasure or an objection: per table with rows about the person, the action and
 * the reason. An objection deletes the data of the purposes objected to and leaves the rest as it is.
 */
export function planLines(
  kind: 'erasure' | 'objection',
  counts: Record<ExportedTable, number>,
  arrearsOwed: boolean,
  objectedTo: readonly ObjectablePurpose[] = [],
): ErasureLine[] {
  const purposes = tablePurposes();
  return exportedTables.flatMap((table) => {
    const { purpose, label } = purposes[table];
    let rule = tableRules[table]?.rule ?? erasureRule(purpose, arrearsOwed);
    if (kind === 'objection') {
      if (table === 'objections')
        rule = { action: 'keep', reason: 'Votre opposition y est enregistrée et respectée par toutes les campagnes et tous les registres.' };
      else if (!tableRules[table]?.rule && objected(table, purpose, objectedTo))
        rule = {
          action: 'delete',
          reason: `Effacées suite à votre opposition (art. 21 du RGPD) : ${purposeLabels[goesWith[table] ?? purpose].toLowerCase()}.`,
        };
      else return [];
    }
    const rows = counts[table];
    if (!rows && !(kind === 'objection' && table === 'objections')) return [];
    return [{ table, label, purpose, purposeLabel: purposeLabels[purpose], action: rule.action, rows, reason: rule.reason }];
  });
}

/** The objections an objection request records, per purpose objected to. */
export const objectionKindsFor: Record<ObjectablePurpose, ObjectionKind[]> = {
  campaign: ['no_call', 'no_sms'],
  fragility_register: ['no_fragility_register'],
};

/** The reason a restricted household carries, from the lines kept restricted. */
function restrictionReason(lines: ErasureLine[]): string {
  const kept = [...new Set(lines.filter((l) => l.action === 'restrict').map((l) => l.purposeLabel))];
  return `Effacement demandé par la personne : seules les données encore nécessaires (${kept.join(', ').toLowerCase()}) sont conservées, ${legalRestriction()}.`;
}

export type PlanInput = { requestId: string; kind: 'erasure' | 'objection'; purposes: readonly string[]; subject: DataSubject };

/** The preview: what would be deleted, restricted and kept, from the rows held now. */
export async function previewPlan(trx: Tx, input: PlanInput, held: AccessExport): Promise<ErasurePlan> {
  const counts = Object.fromEntries(exportedTables.map((t) => [t, held.sections[t].length])) as Record<ExportedTable, number>;
  const balance = await householdBalanceOf(trx, input.subject.householdId);
  const objectedTo = objectablePurposes.filter((p) => input.purposes.includes(p));
  const lines = planLines(input.kind, counts, (balance ?? 0) > 0, objectedTo);
  const restricts = lines.some((l) => l.action === 'restrict');
  return {
    requestId: input.requestId,
    kind: input.kind,
    lines,
    restriction: restricts ? { reason: restrictionReason(lines), seenBy: restrictedSeenBy() } : null,
    objections: objectedTo.flatMap((p) => objectionKindsFor[p]),
    executedAt: null,
  };
}

/**
 * Carries the plan out in the caller's transaction, through the owners' functions; the lines get
 * the rows actually deleted. Returns the outcome (the plan with its counts and date).
 */
export async function executePlan(
  trx: Tx,
  plan: ErasurePlan,
  subject: DataSubject,
  userId: string,
  at: Date,
  files: { organisationId: string; config: Pick<Config, 'LIEN_DATA_DIR'> },
): Promise<ErasurePlan> {
  const deletes = (purpose: Purpose) => plan.lines.some((l) => l.purpose === purpose && l.action === 'delete');
  const deleted: Partial<Record<string, number>> = {};
  const householdId = subject.householdId;
  // Referrals hang on a case: they go first (and with the cases, when those go).
  if (deletes('referral') || deletes('fragility_register') || deletes('campaign')) deleted.referrals = await eraseReferralsOf(trx, householdId);
  if (deletes('fragility_register') || deletes('campaign')) Object.assign(deleted, await eraseFollowupsOf(trx, householdId));
  if (deletes('fragility_register')) {
    Object.assign(deleted, await eraseFragilityOf(trx, householdId));
    deleted.deliveries = await eraseDeliveriesOf(trx, householdId);
    deleted.distribution_invitees = await eraseInvitationsOf(trx, householdId);
    deleted.outreach_contacts = await eraseOutreachOf(trx, householdId);
    deleted.help_call_recipients = await eraseHelpCallsOf(trx, householdId);
  }
  if (deletes('campaign')) {
    Object.assign(deleted, await eraseVisitsOf(trx, householdId), await eraseCallsOf(trx, householdId));
    const contacts = await contactValuesOf(trx, subject.personId);
    // The campaigns' SMS and the messages of the sends to tenants (messaging, issue 15).
    deleted.messages = (await eraseMessagesTo(trx, contacts, 'campaign')) + (await eraseMessagesTo(trx, contacts, 'messaging'));
    deleted.message_letters = await eraseLettersOf(trx, householdId);
  }
  if (deletes('portal')) {
    Object.assign(deleted, await eraseAppointmentsOf(trx, householdId));
    // The tenant portal's requests with their exchanges and notes, its documents made available and
    // asked for, and all their files (bytes once this commits).
    const requests = await erasePortalRequestsOf(trx, files.config, files.organisationId, householdId);
    const documents = await erasePortalDocumentsOf(trx, files.config, files.organisationId, householdId);
    Object.assign(deleted, requests, documents, { files: requests.files + documents.files });
  }
  if (deletes('arrears')) {
    Object.assign(deleted, await eraseArrearsOf(trx, householdId));
    deleted.household_balances = await eraseBalancesOf(trx, householdId);
  }
  let objectionsAdded = 0;
  for (const kind of plan.objections) objectionsAdded += await addHouseholdObjection(trx, householdId, kind, userId);
  if (plan.restriction) await restrictHousehold(trx, householdId, plan.restriction.reason, at);
  return {
    ...plan,
    lines: plan.lines.map((l) =>
      l.action === 'delete' ? { ...l, rows: deleted[l.table] ?? 0 } : l.table === 'objections' ? { ...l, rows: l.rows + objectionsAdded } : l,
    ),
    executedAt: at.toISOString(),
  };
}
