/**
 * What the retention purge (TRUST DP-02) removes from the calls: attempts with their free-text
 * answers and notes, then the queue entries left without calls or visits. The campaign purpose
 * ends when the campaign closes. An attempt a follow-up still rests on is anonymised (answers,
 * note and health keys emptied) instead of deleted, since deleting it would delete the follow-up,
 * whose own rule (fragility register) decides when it goes.
 */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';
import { campaignClosedAt } from '../campaigns/index.ts';
import { visitBelongsTo } from '../doorstep/index.ts';
import { followupRestsOn } from '../followups/index.ts';

const attemptExpired = (e: Expiry) => expired(e, sql`a.recorded_at`, campaignClosedAt('a.campaign_id'));

/** Not yet emptied: an anonymised attempt keeps only its outcome, date and household. */
const notEmptied = sql`(a.note is not null or a.answers <> '{}'::jsonb or a.health_keys <> '{}' or a.callback_at is not null or a.note_flags <> '{}')`;

const targetExpired = (e: Expiry) =>
  sql`${expired(e, sql`t.updated_at`, campaignClosedAt('t.campaign_id'))} and t.status in ('done', 'doorstep', 'queued', 'waiting')
    and not exists (select 1 from call_attempts a where a.target_id = t.id) and not ${visitBelongsTo('t.id')}`;

export const callsPurgeTargets: PurgeTarget[] = [
  {
    table: 'call_attempts',
    purpose: 'campaign',
    action: 'delete',
    label: 'Appels passés (issue, réponses, note libre)',
    purge: (trx, e) => changed(trx, sql`delete from call_attempts a where ${attemptExpired(e)} and not ${followupRestsOn('a.id')}`),
  },
  {
    table: 'call_attempts',
    purpose: 'campaign',
    action: 'anonymise',
    label: 'Appels à l’origine d’un suivi encore conservé (réponses et note effacées)',
    purge: (trx, e) =>
      changed(
        trx,
        sql`update call_attempts a set note = null, answers = '{}'::jsonb, health_keys = '{}', health_consent_id = null,
          note_flags = '{}', note_review = null, callback_at = null where ${attemptExpired(e)} and ${notEmptied}`,
      ),
  },
  {
    table: 'campaign_targets',
    purpose: 'campaign',
    action: 'delete',
    label: 'Ménages des files d’appel sans appel ni visite restants',
    purge: (trx, e) => changed(trx, sql`delete from campaign_targets t where ${targetExpired(e)}`),
  },
];
