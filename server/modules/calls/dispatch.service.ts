// Dispatch: « Appeler le suivant », hand-backs, the hourly caller limits (ADR 0009). The rules
// are here; the claim is one statement in calls.repository.ts; nothing is kept in the process.
import type { CallScript, ClaimedCall } from '../../../contracts/campaigns.ts';
import type { Role } from '../../../contracts/roles.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import {
  CHARTER_VERSION,
  campaignManagers,
  campaignsOfCaller,
  charterRoles,
  type DispatchSettings,
  describeWindows,
  dispatchSettings,
  isWithinWindows,
  nextWindowOpening,
} from '../campaigns/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { campaignAlertRecipients, userNames } from '../identity/index.ts';
import { type HouseholdCallCard, householdCallCard, scopeOf } from '../registry/index.ts';
import { serializeCall } from './calls.policy.ts';
import * as repo from './calls.repository.ts';

const parisFormat = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});
const frenchInstant = (d: Date) => parisFormat.format(d);

/** The caller's running campaigns, and in which one a household waits for them. */
export function myCampaigns(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const held = await repo.heldCampaigns(trx, s.userId, nowOf(deps));
    return (await campaignsOfCaller(trx, s.userId)).map((c) => ({ ...c, holding: held.has(c.id) }));
  });
}

function cardOf(t: repo.TargetRow, household: HouseholdCallCard, campaign: Pick<DispatchSettings, 'name' | 'script'>, s: SessionContext): ClaimedCall {
  // Staff outside their agencies call like volunteers: no more than the call needs.
  const scope = scopeOf(s);
  const role: Role = scope && !scope.includes(t.agency_id) ? 'volunteer' : s.role;
  return serializeCall(role, {
    targetId: t.id,
    campaignId: t.campaign_id,
    campaignName: campaign.name,
    firstName: household.first_name ?? '',
    phones: household.phones ?? [],
    script: campaign.script as CallScript,
    dutyPhone: household.duty_phone,
    attempts: t.attempts,
    callback: t.callback_user_id !== null,
    claimExpiresAt: (t.claim_expires_at as Date).toISOString(),
    lastName: household.last_name ?? '',
    householdId: household.household_id,
    erpRef: household.erp_ref,
    address: household.address,
    age: household.age,
    indicators: household.indicators,
  });
}

/** The « next » route takes the caller's lock with the `begin` that resolves the session: `<prefix><user id>`, the key `nextCall` asks for. */
export const nextCallLockPrefix = repo.callerLockPrefix;

/** Where « next » stops, in the order it checks (ADR 0009); none of it is kept in the process. */
type Limited = { kind: 'release' | 'claim'; limit: number; until: string };

/**
 * Past the campaign's hourly allowance of hand-backs, then of claims: nothing until the oldest
 * counted one is an hour old. The caller state gives, for each, the event that reached the limit
 * in the last hour (the limit-th newest), or null.
 */
function limitReached(st: repo.CallerState, limits: DispatchSettings['caller_limits']): Limited | null {
  const hour = 3_600_000;
  const until = (at: Date) => new Date(new Date(at).getTime() + hour).toISOString();
  if (st.releaseAtLimit) return { kind: 'release', limit: limits.releasesPerHour, until: until(st.releaseAtLimit) };
  if (st.claimAtLimit) return { kind: 'claim', limit: limits.claimsPerHour, until: until(st.claimAtLimit) };
  return null;
}

/**
 * « Appeler le suivant »: the household this caller already holds, else the next one of the
 * queue, in one transaction under the caller's lock (a double tap gets the same household). The
 * rules are here; the claim itself is one statement (`repo.claimNext`).
 */
export async function nextCall(deps: Deps, s: SessionContext, campaignId: string, ip: string): Promise<{ call: ClaimedCall | null; reason: string | null }> {
  const now = nowOf(deps);
  // The caller's lock goes with the transaction's `begin` (the route's, with the session; else withSession's).
  const lock = repo.callerLockKey(s.userId);
  const outcome = await withSession(
    deps.database,
    s,
    async (trx) => {
      // The claim transaction, and only it, commits without waiting for the WAL flush (a claim is a lease; ADR 0009): set by this first statement.
      const st = await repo.callerState(trx, { campaignId, userId: s.userId, now, charterVersion: CHARTER_VERSION });
      const c = st.campaign;
      if (!c?.in_pool) throw new AppError('not_a_caller', 403, 'Vous ne faites pas partie des appelant·es de cette campagne.');
      if ((charterRoles as readonly Role[]).includes(s.role) && !st.charter) {
        throw new AppError('charter_required', 403, 'Acceptez la charte de confidentialité avant votre premier appel.');
      }
      // A volunteer reaches a household only once trained and not paused (issue 17), like the charter.
      if (s.role === 'volunteer' && st.volunteerGate === 'training') {
        throw new AppError(
          'training_required',
          403,
          'Suivez la formation des bénévoles et répondez à ses questions avant votre premier appel (menu « Mon bénévolat »).',
        );
      }
      if (s.role === 'volunteer' && st.volunteerGate === 'paused') {
        throw new AppError('volunteer_paused', 403, 'Vous avez mis votre bénévolat en pause : reprenez-le (menu « Mon bénévolat ») pour appeler.');
      }
      if (c.status !== 'active') return { reason: c.status === 'paused' ? 'La campagne est en pause.' : 'La campagne n’est pas en cours.' };
      // A page reload hands the same household again.
      if (st.held) return { card: await handOutAgain(trx, s, ip, c, st.held) };
      if (!isWithinWindows(now, c.call_windows)) {
        return { reason: `Hors des plages d’appel (${describeWindows(c.call_windows)}). Reprise ${frenchInstant(nextWindowOpening(now, c.call_windows))}.` };
      }
      const limited = limitReached(st, c.caller_limits);
      if (limited) return { limited };
      // The claim statement also writes the `call.claimed` audit event (the household's access log, TRUST DP-11).
      const claimed = await repo.claimNext(trx, { campaignId, userId: s.userId, now, timeoutMinutes: c.claim_timeout_minutes, actor: actorOf(s, ip) });
      if (!claimed) return { reason: 'Aucun ménage à appeler pour le moment : les prochains essais sont programmés plus tard.' };
      if (!claimed.card) throw new Error(`call card of target ${claimed.id} not found`);
      return { card: cardOf(claimed, claimed.card, c, s) };
    },
    { lock },
  );
  // The alert is its own transaction: the refusal stands even if the e-mail cannot be queued.
  if (outcome.limited) throw await callerLimitReached(deps, s, campaignId, outcome.limited, now, ip);
  return { call: outcome.card ?? null, reason: outcome.reason ?? null };
}

/** The card of the household the caller already holds (page reload), read again; the household's access log shows it was shown again (TRUST DP-11). */
async function handOutAgain(trx: Tx, s: SessionContext, ip: string, c: DispatchSettings, t: repo.TargetRow) {
  const household = await householdCallCard(trx, { householdId: t.household_id, residenceId: t.residence_id, agencyId: t.agency_id });
  if (!household) throw new Error(`call card of target ${t.id} not found`);
  await recordAudit(trx, actorOf(s, ip), {
    action: 'call.claimed',
    objectType: 'household',
    objectId: t.household_id,
    details: { targetId: t.id, again: true },
  });
  return cardOf(t, household, c, s);
}

/**
 * A caller past an hourly limit of the campaign: the managers hear of it once an hour (audit
 * event and e-mail, no household in it), and the caller gets a 429 saying when they can go on.
 * Under the caller's lock, so two refused « next » at once alert once.
 */
async function callerLimitReached(deps: Deps, s: SessionContext, campaignId: string, limited: Limited, now: Date, ip: string) {
  const until = new Date(limited.until);
  const released = limited.kind === 'release';
  await withSession(deps.database, s, async (trx) => {
    await repo.lockCaller(trx, s.userId);
    if (await repo.alertedWithinHour(trx, campaignId, s.userId, now)) return;
    await repo.insertCallerEvent(trx, campaignId, s.userId, 'alert', now);
    const settings = await dispatchSettings(trx, { campaignId, callerId: s.userId });
    const campaign = settings?.name ?? '';
    const who = (await userNames(trx, [s.userId])).get(s.userId) || 'Un·e appelant·e';
    const what = released
      ? `a rendu ${limited.limit} ménages sans les appeler en moins d’une heure`
      : `a demandé ${limited.limit} ménages en moins d’une heure`;
    const hour = now.toISOString().slice(0, 13);
    const recipients = await campaignAlertRecipients(trx, {
      authorId: settings?.created_by ?? null,
      agencyIds: settings?.agency_ids ?? null,
      except: s.userId,
      managerRoles: campaignManagers,
    });
    for (const m of recipients) {
      await enqueueMessage(trx, deps.jobs, s.organisationId, {
        channel: 'email',
        recipient: m.email,
        subject: `Appels inhabituels — campagne « ${campaign} »`,
        body:
          `${who} ${what} dans la campagne « ${campaign} » : c’est la limite fixée pour cette campagne. ` +
          `Lien ne lui confie plus de ménage jusqu’à ${frenchInstant(until)}.\n\n` +
          `Si ce n’est pas un usage normal (par exemple une collecte de noms et de numéros de téléphone), retirez cette personne du vivier d’appelant·es de la campagne : ${deps.config.publicUrl}/campagnes/${campaignId}/modifier\n\n` +
          'Ce message ne contient volontairement aucune information sur les ménages.',
        purpose: 'campaign_caller_limit',
        idempotencyKey: `caller-limit:${campaignId}:${s.userId}:${hour}:${m.id}`,
      });
    }
    await recordAudit(trx, actorOf(s, ip), {
      action: 'call.limit_reached',
      objectType: 'user',
      objectId: s.userId,
      details: { campaignId, kind: limited.kind, limit: limited.limit, until: limited.until },
    });
  });
  const detail = released
    ? `Vous avez rendu ${limited.limit} ménages sans les appeler en moins d’une heure : c’est la limite fixée pour cette campagne.`
    : `Vous avez reçu ${limited.limit} ménages en moins d’une heure : c’est la limite fixée pour cette campagne.`;
  return new AppError(
    'caller_limit_reached',
    429,
    `${detail} Vous pourrez appeler le suivant à partir de ${frenchInstant(until)}. Les responsables de la campagne en sont informé·es.`,
    { retryAt: limited.until, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/** A household handed back waits this long before anyone is given it again. */
const RELEASE_DELAY_MINUTES = 30;

/** Hand a household back (the caller cannot call it now): it comes back to the queue a little later. */
export async function releaseCall(deps: Deps, s: SessionContext, targetId: string, ip: string) {
  const now = nowOf(deps);
  await withSession(deps.database, s, async (trx) => {
    const t = await repo.lockTarget(trx, targetId);
    if (t?.status !== 'assigned' || t.assigned_to !== s.userId) throw notFound('Appel', 'call_not_found');
    await repo.releaseTarget(trx, targetId, now, RELEASE_DELAY_MINUTES);
    await repo.insertCallerEvent(trx, t.campaign_id, s.userId, 'release', now);
    await recordAudit(trx, actorOf(s, ip), { action: 'call.released', objectType: 'campaign_target', objectId: targetId });
  });
}

// ——— Maintenance ———

/** Expired claims of every campaign of the organisation go back to the queue. Safe to run twice. */
export const releaseExpiredClaims = (trx: Tx, now: Date) => repo.releaseExpiredClaims(trx, now);

/** Claims and hand-backs older than a day no longer count towards any limit: they go. Safe to run twice. */
export const forgetCallerEvents = (trx: Tx, now: Date) => repo.purgeCallerEvents(trx, now);

/** Retries and callbacks that came due go back to the queue. Safe to run twice. */
export const promoteDueCalls = (trx: Tx, now: Date) => repo.promoteDue(trx, now);
