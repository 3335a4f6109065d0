// Volunteers (issue 17): the public sign-up page without an account — protected by a signed form
// token, a proof of work, a minimum fill time, a honeypot and a rate limit per address —, the
// vetting (accept: the identity module's invitation; decline), the landlord's training, and the
// gate before any household: a volunteer's « next call » is refused until the training is passed,
// and while they paused themselves; their own tally.
import { describe, expect, it } from 'vitest';
import { at, h, inject, manager, newCampaign, next, org, outcome, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { DIFFICULTY, MIN_FILL_SECONDS, solve, solves } from './sign-up-token.ts';

setUpCampaignWorld();

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
let ip = 0;
/** A fresh address for each scenario, so that the rate limit counts only its own sign-ups. */
const newAddress = () => `198.51.100.${++ip}`;
const publicCall = (method: 'GET' | 'POST', url: string, address: string, payload?: object) =>
  h.app.inject({ method, url, remoteAddress: address, ...(payload ? { payload } : {}) });

const applicant = {
  firstName: 'Nadia',
  lastName: 'Benali',
  email: 'nadia.benali@example.fr',
  phone: '06 12 34 56 78',
  availability: 'Le mercredi après-midi',
  skills: ['sewing', 'deliveries'],
  area: 'Vitry-sur-Seine',
};
const pendingCount = async (email: string) =>
  Number((await h.owner.query('select count(*)::int as n from volunteer_applications where organisation_id = $1 and email = $2', [org.id, email])).rows[0].n);

describe('volunteers: the public sign-up page', () => {
  let slug = '';

  it('is opened by a manager; the form comes with a signed token and a proof-of-work difficulty', async () => {
    slug = `benevoles-${org.slug}`;
    expect((await publicCall('GET', `/api/public/volunteers/${slug}`, newAddress())).statusCode).toBe(404);
    ok(await inject(manager, 'PUT', '/api/volunteers/page', { slug, open: true, intro: 'Rejoignez les bénévoles de votre quartier.' }));
    const form = ok(await publicCall('GET', `/api/public/volunteers/${slug}`, newAddress()));
    expect(form.organisation).toBe(`Bailleur ${org.slug}`);
    expect(form.difficulty).toBe(DIFFICULTY);
    expect(form.token.split('.')[0]).toBe(org.id);
    expect((await inject(volunteer.cookie, 'PUT', '/api/volunteers/page', { slug, open: false, intro: '' })).statusCode).toBe(403);
  });

  it('takes a sign-up filled by a person: after the minimum time, with the work done and the honeypot empty', async () => {
    const address = newAddress();
    const form = ok(await publicCall('GET', `/api/public/volunteers/${slug}`, address));
    const nonce = solve(form.token);
    expect(solves(form.token, nonce)).toBe(true);
    // Sent at once (a robot): refused, in French.
    const fast = await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, token: form.token, nonce });
    expect(fast.statusCode).toBe(422);
    expect(fast.json().detail).toContain('trop vite');
    at(new Date(Date.parse('2026-11-30T09:00:00Z') + (MIN_FILL_SECONDS + 20) * 1000).toISOString());
    // Without the work done: refused.
    const lazy = await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, token: form.token, nonce: 'x' });
    expect(lazy.statusCode).toBe(422);
    expect(lazy.json().code).toBe('sign_up_work');
    // A token forged for this page (signature of another): refused.
    const forged = form.token.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    expect((await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, token: forged, nonce: solve(forged) })).json().code).toBe(
      'sign_up_invalid',
    );
    expect(await pendingCount(applicant.email)).toBe(0);
    ok(await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, token: form.token, nonce }));
    const row = (
      await h.owner.query('select phone, skills, status from volunteer_applications where organisation_id = $1 and email = $2', [org.id, applicant.email])
    ).rows[0];
    expect(row).toEqual({ phone: '+33612345678', skills: ['sewing', 'deliveries'], status: 'pending' });
    // The honeypot filled (a robot fills every field): answered like a success, nothing written.
    const bot = { ...applicant, email: 'robot@example.fr', website: 'http://spam.example', token: form.token, nonce };
    expect((await publicCall('POST', `/api/public/volunteers/${slug}`, address, bot)).statusCode).toBe(200);
    expect(await pendingCount('robot@example.fr')).toBe(0);
    // Hours later the form has expired.
    at('2026-11-30T12:00:00Z');
    const late = await publicCall('POST', `/api/public/volunteers/${slug}`, newAddress(), { ...applicant, email: 'tard@example.fr', token: form.token, nonce });
    expect(late.json().code).toBe('sign_up_expired');
  });

  it('is rate-limited per address (429 in French past five sign-ups an hour)', async () => {
    const address = newAddress();
    const form = ok(await publicCall('GET', `/api/public/volunteers/${slug}`, address));
    const nonce = solve(form.token);
    at('2026-11-30T09:01:00Z');
    for (let i = 0; i < 5; i++)
      ok(await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, email: `v${i}@example.fr`, token: form.token, nonce }));
    const sixth = await publicCall('POST', `/api/public/volunteers/${slug}`, address, { ...applicant, email: 'v6@example.fr', token: form.token, nonce });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().detail).toContain('Trop d’inscriptions depuis cette adresse');
    // Another address is not held back.
    ok(await publicCall('POST', `/api/public/volunteers/${slug}`, newAddress(), { ...applicant, email: 'v7@example.fr', token: form.token, nonce }));
  });

  it('staff vet: accepting invites the volunteer (identity’s invitation e-mail), declining records it; a closed page is gone', async () => {
    const list = ok(await inject(manager, 'GET', '/api/volunteers/applications')) as { id: string; email: string; skills: string[] }[];
    const nadia = list.find((a) => a.email === applicant.email);
    expect(nadia?.skills).toEqual(['sewing', 'deliveries']);
    expect((await inject(volunteer.cookie, 'GET', '/api/volunteers/applications')).statusCode).toBe(403);
    const missingEnd = await inject(manager, 'POST', `/api/volunteers/applications/${nadia?.id}/decision`, { decision: 'accept' });
    expect(missingEnd.statusCode).toBe(400);
    const { userId } = ok(await inject(manager, 'POST', `/api/volunteers/applications/${nadia?.id}/decision`, { decision: 'accept', endDate: '2027-06-30' }));
    const user = (await h.owner.query('select role, status, end_date::text as end_date from users where id = $1', [userId])).rows[0];
    expect(user).toEqual({ role: 'volunteer', status: 'invited', end_date: '2027-06-30' });
    const mail = await h.owner.query(`select count(*)::int as n from messages where organisation_id = $1 and recipient = $2`, [org.id, applicant.email]);
    expect(mail.rows[0].n).toBe(1);
    expect((await inject(manager, 'POST', `/api/volunteers/applications/${nadia?.id}/decision`, { decision: 'decline' })).statusCode).toBe(409);
    const other = list.find((a) => a.email === 'v0@example.fr');
    ok(await inject(manager, 'POST', `/api/volunteers/applications/${other?.id}/decision`, { decision: 'decline' }));
    expect((ok(await inject(manager, 'GET', '/api/volunteers/applications?status=declined')) as { email: string }[]).map((a) => a.email)).toEqual([
      'v0@example.fr',
    ]);
    ok(await inject(manager, 'PUT', '/api/volunteers/page', { slug, open: false, intro: '' }));
    expect((await publicCall('GET', `/api/public/volunteers/${slug}`, newAddress())).statusCode).toBe(404);
  });
});

describe('volunteers: training and pause before any household', () => {
  it('a volunteer calls only once the landlord’s training is passed, and not while paused; the tally counts their calls', async () => {
    const training = {
      content: 'Vous appelez des locataires âgés ou isolés. Ce que vous entendez reste confidentiel.',
      questions: [
        {
          question: 'Un locataire vous confie un souci de santé. Que faites-vous ?',
          options: ['Je le note tel quel', 'Je signale un besoin, sans détail'],
          answer: 1,
        },
        { question: 'Pouvez-vous rappeler un locataire depuis votre téléphone personnel ?', options: ['Oui', 'Non'], answer: 1 },
      ],
    };
    expect((await inject(manager, 'PUT', '/api/volunteers/training', { ...training, questions: [{ ...training.questions[0], answer: 5 }] })).statusCode).toBe(
      400,
    );
    expect(ok(await inject(manager, 'PUT', '/api/volunteers/training', training)).version).toBe(1);
    const campaign = await newCampaign({ name: 'Bénévoles formés', segment: { status: 'active', agencyId: org.agencyIds[0] } }, [volunteer.user.id]);
    const charter = ok(await inject(volunteer.cookie, 'GET', '/api/calls/charter'));
    ok(await inject(volunteer.cookie, 'POST', '/api/calls/charter', { version: charter.version }));
    const refused = await next(volunteer.cookie, campaign);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('training_required');
    // The volunteer reads the training without its answers.
    const view = ok(await inject(volunteer.cookie, 'GET', '/api/volunteers/me/training'));
    expect(view.passed).toBe(false);
    expect(JSON.stringify(view)).not.toContain('"answer"');
    expect(ok(await inject(volunteer.cookie, 'POST', '/api/volunteers/me/training', { version: 1, answers: [1, 0] }))).toEqual({ passed: false, wrong: [2] });
    expect((await next(volunteer.cookie, campaign)).statusCode).toBe(403);
    expect(ok(await inject(volunteer.cookie, 'POST', '/api/volunteers/me/training', { version: 1, answers: [1, 1] }))).toEqual({ passed: true, wrong: [] });
    const call = ok(await next(volunteer.cookie, campaign));
    expect(call.call?.targetId).toBeDefined();
    ok(await outcome(volunteer.cookie, call.call.targetId, { outcome: 'no_answer' }));

    // Paused by themselves: no household; back: calls again.
    ok(await inject(volunteer.cookie, 'POST', '/api/volunteers/me/pause', { paused: true }));
    const paused = await next(volunteer.cookie, campaign);
    expect(paused.statusCode).toBe(403);
    expect(paused.json().code).toBe('volunteer_paused');
    expect(ok(await inject(volunteer.cookie, 'GET', '/api/volunteers/me'))).toEqual({
      callsMade: 1,
      deliveriesDone: 0,
      paused: true,
      trainingRequired: true,
      trainingPassed: true,
    });
    ok(await inject(volunteer.cookie, 'POST', '/api/volunteers/me/pause', { paused: false }));
    expect((await next(volunteer.cookie, campaign)).statusCode).toBe(200);

    // A new version of the training: passed again before the next household.
    expect(ok(await inject(manager, 'PUT', '/api/volunteers/training', training)).version).toBe(2);
    expect((await next(volunteer.cookie, campaign)).json().code).toBe('training_required');
    expect((await inject(volunteer.cookie, 'POST', '/api/volunteers/me/training', { version: 1, answers: [1, 1] })).statusCode).toBe(409);
  });
});
