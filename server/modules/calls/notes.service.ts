// Review of flagged call notes and free-text answers by the DPO (TRUST DP-05).
import type { CallScript } from '../../../contracts/campaigns.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors/app-error.ts';
import { campaignScripts } from '../campaigns/index.ts';
import type { Deps } from '../deps.ts';
import { userNames } from '../identity/index.ts';
import * as repo from './calls.repository.ts';

/**
 * A free-text answer: a string that is neither oui/non nor one of the choices the campaign's
 * script offers for that question (an answer to a question removed since is treated as free text).
 */
function isFreeText(script: CallScript | undefined, key: string, value: unknown): value is string {
  if (typeof value !== 'string' || value === 'yes' || value === 'no') return false;
  const q = script?.questions.find((x) => x.key === key);
  return !(q?.type === 'choice' && q.choices?.includes(value));
}

/** The flagged notes to review; the households they are about are audited (TRUST DP-11, DP-15). */
export function pendingNotes(deps: Deps, s: SessionContext, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const notes = await repo.pendingNotes(trx);
    await recordAudit(trx, actorOf(s, ip), { action: 'call_note.listed', details: { [HOUSEHOLD_IDS]: [...new Set(notes.map((n) => n.household_id))] } });
    const campaigns = await campaignScripts(trx, [...new Set(notes.map((n) => n.campaign_id))]);
    const callers = await userNames(trx, [...new Set(notes.map((n) => n.caller_id))]);
    return notes.map((n) => {
      // Free-text answers go through the same guard as the note: the reviewer sees both (an answer
      // to a question removed from the script since is shown with its key).
      const campaign = campaigns.get(n.campaign_id);
      const script = campaign?.script as CallScript | undefined;
      const texts = Object.entries(n.answers)
        .filter(([key, v]) => isFreeText(script, key, v))
        .map(([key, v]) => `${script?.questions.find((q) => q.key === key)?.text ?? key} — ${String(v)}`);
      return {
        id: n.id,
        at: n.at.toISOString(),
        campaign: campaign?.name ?? '',
        caller: callers.get(n.caller_id) ?? '',
        householdId: n.household_id,
        note: [n.note, ...texts].filter(Boolean).join('\n'),
        flags: n.flags,
      };
    });
  });
}

export async function reviewNote(deps: Deps, s: SessionContext, id: string, decision: 'kept' | 'redacted', ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const n = await repo.lockPendingNote(trx, id);
    if (!n) throw notFound('Note à relire', 'note_not_found');
    if (decision === 'kept') await repo.writeNoteReview(trx, { attemptId: id, decision, note: n.note, answers: n.answers });
    else {
      // Redacting removes the note and the free-text answers, the other places free text can hold.
      const script = (await campaignScripts(trx, [n.campaign_id])).get(n.campaign_id)?.script as CallScript | undefined;
      const answers = Object.fromEntries(Object.entries(n.answers).map(([key, v]) => [key, isFreeText(script, key, v) ? '[réponse retirée]' : v]));
      await repo.writeNoteReview(trx, { attemptId: id, decision, note: n.note === null ? null : '[note retirée après relecture]', answers });
    }
    await recordAudit(trx, actorOf(s, ip), { action: 'call_note.reviewed', objectType: 'call_attempt', objectId: id, details: { decision } });
  });
}

/** Call notes waiting for the admin's review (home page). */
export const pendingNotesCount = (trx: Tx) => repo.countPendingNotes(trx);
