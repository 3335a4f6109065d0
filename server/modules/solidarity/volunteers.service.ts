/**
 * Volunteers (issue 17): the public sign-up page (no account; protected by a signed form token,
 * a proof of work, a minimum fill time, a honeypot and a rate limit per address), the staff's
 * vetting (accept: the existing invitation, in the same transaction; decline), the landlord's
 * training and its questions, and each volunteer's own page: tally, training, pause. The gate a
 * volunteer passes before reaching any household is the database function `lien_volunteer_gate`
 * (the calls read it with the charter, deliveries here).
 */
import type { VolunteerSignUpBody, VolunteerTrainingBody } from '../../../contracts/solidarity.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { takeAllowance } from '../../platform/auth/throttle.ts';
import { throttleKey } from '../../platform/auth/tokens.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { messageKey } from '../../platform/outbox/sealing.ts';
import { callsMadeBy } from '../calls/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { inviteIn } from '../identity/index.ts';
import { phoneE164 } from '../registry/index.ts';
import { checkForm, DIFFICULTY, issueFormToken } from './sign-up-token.ts';
import * as repo from './volunteers.repository.ts';

/** Sign-ups per address and hour: a family or an association may sign up several people from one place. */
export const signUpsPerAddress = { count: 5, windowSeconds: 60 * 60, detail: 'Trop d’inscriptions depuis cette adresse : réessayez dans une heure.' };

const pageNotFound = () => notFound('Page d’inscription');

/** What the public page shows: whose page, its presentation, a fresh form token and the proof-of-work difficulty. */
export async function signUpForm(deps: Deps, slug: string) {
  const page = await repo.openPage(deps.database, slug);
  if (!page) throw pageNotFound();
  return {
    organisation: page.organisation_name,
    intro: page.intro,
    token: issueFormToken(messageKey(deps.config), page.organisation_id, nowOf(deps).getTime()),
    difficulty: DIFFICULTY,
  };
}

const refusals = {
  invalid: 'Le formulaire n’est plus valable : rechargez la page et recommencez.',
  expired: 'Le formulaire a expiré : rechargez la page et recommencez.',
  too_fast: 'Le formulaire a été envoyé trop vite : relisez-le et envoyez-le de nouveau dans quelques secondes.',
  work: 'Le formulaire n’a pas pu être vérifié : rechargez la page et recommencez.',
} as const;

/**
 * A sign-up. A filled honeypot is answered like a success and nothing is written (the robot
 * learns nothing); every other refusal is a French 422 (or 429 past the address's allowance).
 */
export async function signUp(deps: Deps, slug: string, body: VolunteerSignUpBody, ip: string): Promise<{ ok: true }> {
  const now = nowOf(deps);
  await takeAllowance(deps.database, throttleKey('volunteer-sign-up', ip), signUpsPerAddress, now);
  const page = await repo.openPage(deps.database, slug);
  if (!page) throw pageNotFound();
  if (body.website) return { ok: true };
  const check = checkForm(messageKey(deps.config), page.organisation_id, body.token, body.nonce, now.getTime());
  if (!check.ok) throw invalid(`sign_up_${check.reason}`, refusals[check.reason]);
  let phone: string | null = null;
  if (body.phone) {
    phone = phoneE164(body.phone);
    if (!phone) throw invalid('phone_invalid', 'Numéro de téléphone invalide.');
  }
  if (body.skills.includes('languages') && !body.languages) throw invalid('languages_missing', 'Indiquez les langues que vous parlez.');
  await deps.database.withOrg({ organisationId: page.organisation_id }, async (trx) => {
    const id = await repo.insertApplication(trx, {
      firstName: body.firstName,
      lastName: body.lastName,
      email: body.email,
      phone,
      availability: body.availability,
      skills: [...new Set(body.skills)],
      languages: body.languages || null,
      area: body.area,
    });
    await recordAudit(trx, { userId: null, role: 'public', ip }, { action: 'volunteer.signed_up', objectType: 'volunteer_application', objectId: id });
  });
  return { ok: true };
}

export function pageSettings(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.pageOf(trx)) ?? null);
}

export async function savePageSettings(deps: Deps, s: SessionContext, p: { slug: string; open: boolean; intro: string }, ip: string) {
  try {
    await withSession(deps.database, s, async (trx) => {
      await repo.savePage(trx, p);
      await recordAudit(trx, actorOf(s, ip), { action: 'volunteer.page_saved', details: { slug: p.slug, open: p.open } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict('slug_taken', 'Cette adresse de page est déjà prise : choisissez-en une autre.');
    throw e;
  }
}

export function listApplications(deps: Deps, s: SessionContext, status: repo.ApplicationRow['status'], ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listApplications(trx, status);
    await recordAudit(trx, actorOf(s, ip), { action: 'volunteer.applications_listed', details: { status, count: rows.length } });
    return rows.map((a) => ({
      id: a.id,
      firstName: a.first_name,
      lastName: a.last_name,
      email: a.email,
      phone: a.phone,
      availability: a.availability,
      skills: a.skills,
      languages: a.languages,
      area: a.area,
      status: a.status,
      createdAt: a.created_at.toISOString(),
    }));
  });
}

/** Accept (the account is invited as a volunteer until `endDate`, by the identity module's invitation) or decline. */
export async function decideApplication(
  deps: Deps,
  s: SessionContext,
  id: string,
  d: { decision: 'accept'; endDate: string } | { decision: 'decline' },
  ip: string,
) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const a = await repo.applicationById(trx, id);
    if (!a) throw notFound('Inscription');
    if (a.status !== 'pending') throw conflict('application_decided', 'Cette inscription a déjà été examinée.');
    let userId: string | null = null;
    if (d.decision === 'accept') {
      const user = await inviteIn(
        deps,
        trx,
        s,
        { email: a.email, firstName: a.first_name, lastName: a.last_name, role: 'volunteer', agencyIds: [], endDate: d.endDate },
        ip,
      );
      userId = user.id;
      await repo.createProfile(trx, user.id, a.id);
    }
    await repo.decide(trx, id, { status: d.decision === 'accept' ? 'accepted' : 'declined', by: s.userId, at: now, userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: d.decision === 'accept' ? 'volunteer.accepted' : 'volunteer.declined',
      objectType: 'volunteer_application',
      objectId: id,
      details: userId ? { userId } : {},
    });
    return { userId };
  });
}

export function trainingForEditing(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.trainingOf(trx)) ?? null);
}

export function saveTraining(deps: Deps, s: SessionContext, t: VolunteerTrainingBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const version = await repo.saveTraining(trx, t, s.userId);
    await recordAudit(trx, actorOf(s, ip), { action: 'volunteer.training_saved', details: { version, questions: t.questions.length } });
    return { version };
  });
}

/** The training as the volunteer reads it (no answers), and whether they passed this version. */
export function myTraining(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const t = await repo.trainingOf(trx);
    if (!t) throw notFound('Formation');
    const profile = await repo.profileOf(trx, s.userId);
    return {
      version: t.version,
      content: t.content,
      questions: t.questions.map((q) => ({ question: q.question, options: q.options })),
      passed: profile?.training_version === t.version,
    };
  });
}

/** Answers to the training's questions: all right passes this version; the wrong ones are named (by number) to read again. */
export function answerTraining(deps: Deps, s: SessionContext, input: { version: number; answers: number[] }, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const t = await repo.trainingOf(trx);
    if (!t) throw notFound('Formation');
    if (input.version !== t.version) throw conflict('training_changed', 'La formation a été mise à jour : relisez-la avant de répondre.');
    if (input.answers.length !== t.questions.length) throw invalid('answers_missing', 'Répondez à toutes les questions.');
    const wrong = t.questions.flatMap((q, i) => (input.answers[i] === q.answer ? [] : [i + 1]));
    if (wrong.length === 0) await repo.passTraining(trx, s.userId, t.version, now);
    await recordAudit(trx, actorOf(s, ip), { action: 'volunteer.training_answered', details: { version: t.version, passed: wrong.length === 0 } });
    return { passed: wrong.length === 0, wrong };
  });
}

/** A volunteer's own tally (calls recorded, deliveries done) and state. */
export function myTally(deps: Deps, s: SessionContext, deliveriesDone: (trx: Tx) => Promise<number>) {
  return withSession(deps.database, s, async (trx) => {
    const [calls, deliveries, profile, training, gate] = [
      await callsMadeBy(trx, s.userId),
      await deliveriesDone(trx),
      await repo.profileOf(trx, s.userId),
      await repo.trainingOf(trx),
      await repo.gateOf(trx, s.userId),
    ];
    return {
      callsMade: calls,
      deliveriesDone: deliveries,
      paused: profile?.paused_at != null,
      trainingRequired: training !== undefined,
      trainingPassed: training !== undefined && gate !== 'training',
    };
  });
}

export function pauseMyself(deps: Deps, s: SessionContext, paused: boolean, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    await repo.setPaused(trx, s.userId, paused ? now : null);
    await recordAudit(trx, actorOf(s, ip), { action: paused ? 'volunteer.paused' : 'volunteer.resumed', objectType: 'user', objectId: s.userId });
  });
}
