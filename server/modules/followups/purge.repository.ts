/** What the retention purge (TRUST DP-02) removes from the follow-ups and cases: the fragility purpose ends when a follow-up or a case is closed. */

import { sql } from 'kysely';
import { changed, deleteExpired, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';
import { withAllCaseNotes } from './cases.repository.ts';

/** A case expires like a follow-up: from its opening (fixed duration) or its closing; its tasks and notes with it. */
const caseExpired = (e: Expiry) => expired(e, sql`c.created_at`, sql`c.closed_at`);
const ofExpiredCase = (e: Expiry, alias: string) =>
  sql`exists (select 1 from cases c where c.organisation_id = ${sql.ref(`${alias}.organisation_id`)} and c.id = ${sql.ref(`${alias}.case_id`)} and ${caseExpired(e)})`;

export const followupsPurgeTargets: PurgeTarget[] = [
  {
    table: 'case_notes',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Notes des dossiers clos (santé et violences comprises)',
    // The health and violence notes are hidden from a transaction without a social worker or a
    // manager (policy case_notes_sensitive): the purge reads them all, for this statement's transaction.
    purge: (trx, e) => withAllCaseNotes(trx, () => changed(trx, sql`delete from case_notes n where ${ofExpiredCase(e, 'n')}`)),
  },
  {
    table: 'case_tasks',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Tâches des dossiers clos',
    purge: (trx, e) => changed(trx, sql`delete from case_tasks t where ${ofExpiredCase(e, 't')}`),
  },
  {
    table: 'followups',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Suivis clos (besoin, résolution)',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'followups', alias: 'f', recorded: sql`f.created_at`, ended: sql`f.closed_at` }),
  },
  {
    table: 'cases',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Dossiers d’accompagnement clos (type, issue, personne chargée)',
    // Their needs heard go with them (foreign key on delete cascade), even those still open.
    purge: (trx, e) => changed(trx, sql`delete from cases c where ${caseExpired(e)}`),
  },
];

/**
 * Whether a follow-up still rests on a call attempt, as an SQL fragment on an attempt id column:
 * the calls purge anonymises such an attempt instead of deleting it (the follow-up would go with it).
 */
export function followupRestsOn(attemptId: string) {
  return sql`exists (select 1 from followups f where f.attempt_id = ${sql.ref(attemptId)})`;
}
