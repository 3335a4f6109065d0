/**
 * The demo landlord's solidarity operations (issue 17), so every solidarity page shows something
 * after `npm start`: the volunteers' training, an active volunteer (Paul, training passed), one in
 * training (Léa: account created, second factor and training still to do) and a sign-up to vet;
 * two vacant homes offered and a hospital's request; deliveries for Paul; a food distribution
 * with its invitations (SMS, else letters, through messaging); an outreach event with its
 * invitations and contacts; a call for help to a residence's tenants with a few answers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Deps } from '../deps.ts';
import { householdsWithOpenCase, joinOrOpenCase } from '../followups/index.ts';
import { assignAgencies, createActiveUser, usersByEmail } from '../identity/index.ts';
import { partnerRecords } from '../partners/index.ts';
import { householdAgencyOf, idsByRef, insertUnits, residenceNames, segmentHouseholds } from '../registry/index.ts';
import * as deliveries from './deliveries.repository.ts';
import * as distributions from './distributions.repository.ts';
import * as calls from './help-calls.repository.ts';
import * as lending from './lending.repository.ts';
import { frenchDay, solidarityMessaging } from './messaging-hook.ts';
import * as outreach from './outreach.repository.ts';
import * as volunteers from './volunteers.repository.ts';

const dayFrom = (today: Date, days: number) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Households of a residence (or of the whole landlord), the oldest first. */
async function householdsOf(trx: Tx, residenceId: string | null, limit: number): Promise<string[]> {
  const r = await sql<{ household_id: string }>`
    select s.household_id from (${segmentHouseholds({ status: 'active', fragilityMatch: 'all', ...(residenceId ? { residenceId } : {}) }, null)}) s
    order by s.household_id limit ${limit}`.execute(trx);
  return r.rows.map((x) => x.household_id);
}

export async function seedDemoSolidarity(
  deps: Deps,
  trx: Tx,
  o: { organisationId: string; residenceCodes: string[]; agencyId: string; passwordHash: string; now: Date },
) {
  const accounts = await usersByEmail(trx, ['responsable@demo.lien.fr', 'conseiller@demo.lien.fr', 'cesf@demo.lien.fr', 'benevole@demo.lien.fr']);
  const manager = accounts.get('responsable@demo.lien.fr') as string;
  const staff = accounts.get('conseiller@demo.lien.fr') as string;
  const socialWorker = accounts.get('cesf@demo.lien.fr') as string;
  const paul = accounts.get('benevole@demo.lien.fr');
  if (!paul) return;
  const today = dayFrom(o.now, 0);

  // Volunteers: the training, Paul active (passed), Léa in training, Yasmine's sign-up to vet.
  const version = await volunteers.saveTraining(
    trx,
    {
      content:
        'Bienvenue parmi les bénévoles. Vous appelez ou livrez des locataires fragiles : vous ne notez que ce qui sert à les aider, vous ne répétez rien de ce que vous entendez, et en cas d’urgence vous appelez le 15 puis l’agence.',
      questions: [
        {
          question: 'Un locataire vous confie un souci de santé : que notez-vous ?',
          options: ['Tout le détail', 'Qu’il souhaite être rappelé, sans détail'],
          answer: 1,
        },
        { question: 'Un locataire ne répond pas et vous inquiète : que faites-vous ?', options: ['Rien', 'Je signale l’urgence à l’agence'], answer: 1 },
      ],
    },
    manager,
  );
  const paulApplication = await volunteers.insertApplication(trx, {
    firstName: 'Paul',
    lastName: 'Girard',
    email: 'benevole@demo.lien.fr',
    phone: '+33612000001',
    availability: 'Le mardi et le jeudi après-midi',
    skills: ['calls', 'deliveries', 'sewing'],
    languages: null,
    area: 'Agence Nord',
  });
  await volunteers.decide(trx, paulApplication, { status: 'accepted', by: manager, at: o.now, userId: paul });
  await volunteers.createProfile(trx, paul, paulApplication);
  await volunteers.passTraining(trx, paul, version, o.now);
  const lea = await createActiveUser(trx, {
    email: 'benevole.formation@demo.lien.fr',
    firstName: 'Léa',
    lastName: 'Fabre',
    role: 'volunteer',
    endDate: dayFrom(o.now, 90),
    passwordHash: o.passwordHash,
    totpSecret: null,
  });
  await assignAgencies(trx, lea, [o.agencyId]);
  const leaApplication = await volunteers.insertApplication(trx, {
    firstName: 'Léa',
    lastName: 'Fabre',
    email: 'benevole.formation@demo.lien.fr',
    phone: '+33612000002',
    availability: 'Le week-end',
    skills: ['sewing', 'languages'],
    languages: 'Arabe, anglais',
    area: 'Agence Nord',
  });
  await volunteers.decide(trx, leaApplication, { status: 'accepted', by: manager, at: o.now, userId: lea });
  await volunteers.createProfile(trx, lea, leaApplication);
  await volunteers.insertApplication(trx, {
    firstName: 'Yasmine',
    lastName: 'Belkacem',
    email: 'yasmine.belkacem@example.fr',
    phone: '+33612000003',
    availability: 'En semaine, le matin',
    skills: ['deliveries'],
    languages: null,
    area: 'Agence Sud',
  });

  // Vacant homes lent: two vacant units offered (health workers; emergency shelter), a hospital's request.
  const [first] = o.residenceCodes;
  const residences = await idsByRef(trx, 'residences', o.residenceCodes);
  const firstResidence = residences.get(first as string) as string;
  await insertUnits(trx, [
    { erp_ref: 'DEMO-VACANT-1', residence_id: firstResidence, floor: 2, rooms: 2, has_lift: true },
    { erp_ref: 'DEMO-VACANT-2', residence_id: firstResidence, floor: 4, rooms: 3, has_lift: true },
  ]);
  const units = await idsByRef(trx, 'housing_units', ['DEMO-VACANT-1', 'DEMO-VACANT-2']);
  const place = { postalCode: '94400', city: 'Vitry-sur-Seine' };
  await lending.insertOffer(trx, {
    audience: 'health_workers',
    furnished: true,
    availableFrom: today,
    availableTo: dayFrom(o.now, 90),
    ...place,
    capacity: 2,
    keeperId: manager,
    unitId: units.get('DEMO-VACANT-1') as string,
  });
  await lending.insertOffer(trx, {
    audience: 'violence_shelter',
    furnished: true,
    availableFrom: today,
    availableTo: dayFrom(o.now, 60),
    ...place,
    capacity: 3,
    keeperId: manager,
    unitId: units.get('DEMO-VACANT-2') as string,
  });
  await lending.insertRequest(trx, {
    audience: 'health_workers',
    requesterKind: 'hospital',
    requesterName: 'Hôpital Henri-Mondor — service de réanimation',
    neededFrom: dayFrom(o.now, 3),
    neededTo: dayFrom(o.now, 45),
    area: '94400',
    householdSize: 1,
    referentId: socialWorker,
    createdBy: socialWorker,
  });

  // Deliveries for Paul: a meal to bring today, groceries delivered, medicines (no detail, ever).
  const [a, b, c, ...others] = await householdsOf(trx, residences.get(o.residenceCodes[1] as string) ?? null, 12);
  for (const [householdId, kind, done] of [
    [a, 'meal', false],
    [b, 'groceries', true],
    [c, 'medicines', false],
  ] as const) {
    if (!householdId) continue;
    const agencyId = (await householdAgencyOf(trx, householdId)) as string;
    const id = await deliveries.insertDelivery(trx, { householdId, agencyId, kind, detail: null, dueOn: today, assigneeId: paul, createdBy: manager });
    if (done) await deliveries.recordOutcome(trx, id, { status: 'done', notHomeCount: 0, at: o.now });
  }

  // A food distribution with the first partner, its invited households told by SMS or letter.
  const [partner] = (await partnerRecords(trx)).filter((p) => p.active);
  if (partner) {
    const heldOn = dayFrom(o.now, 5);
    const placeName = 'Salle commune des Lilas';
    const distribution = await distributions.insertDistribution(trx, {
      partnerId: partner.id,
      kind: 'food_parcel',
      heldOn,
      place: placeName,
      capacity: 30,
      createdBy: manager,
    });
    const invited = others.slice(0, 8);
    await distributions.inviteHouseholds(trx, distribution, invited, 'segment');
    const sendId = await solidarityMessaging().invite(deps, trx, {
      organisationId: o.organisationId,
      userId: manager,
      scope: null,
      event: {
        kind: 'distribution',
        id: distribution,
        text: `vous êtes invité·e à une distribution de colis alimentaires le ${frenchDay(heldOn)}, ${placeName}`,
      },
      sendId: null,
      householdIds: invited,
    });
    if (sendId) await distributions.setInvitationSend(trx, distribution, sendId);
    const [came] = invited;
    if (came) await distributions.markAttendance(trx, distribution, came, true, o.now);
  }

  // An outreach event yesterday at the foot of the third residence: its invitations, three contacts, one case opened.
  const eventResidence = residences.get(o.residenceCodes[2] as string) ?? firstResidence;
  const heldOn = dayFrom(o.now, -1);
  const event = await outreach.insertEvent(trx, {
    residenceId: eventResidence,
    heldOn,
    partnerIds: partner ? [partner.id] : [],
    staffIds: [staff],
    createdBy: manager,
  });
  const residents = await outreach.residenceHouseholds(trx, eventResidence, null);
  const residence = (await residenceNames(trx, [eventResidence])).get(eventResidence) ?? '';
  const eventSend = await solidarityMessaging().invite(deps, trx, {
    organisationId: o.organisationId,
    userId: manager,
    scope: null,
    event: {
      kind: 'outreach',
      id: event,
      text: `votre bailleur et ses partenaires vous attendent au pied de votre immeuble (${residence}) le ${frenchDay(heldOn)} l’après-midi : venez nous rencontrer`,
    },
    sendId: null,
    householdIds: residents,
  });
  if (eventSend) await outreach.setInvitationSend(trx, event, eventSend);
  await outreach.insertContact(trx, { eventId: event, householdId: null, topics: ['isolation'], casesOpened: 0, by: staff });
  await outreach.insertContact(trx, { eventId: event, householdId: null, topics: ['technical', 'other'], casesOpened: 0, by: staff });
  // A tenant with no technical case open yet: the contact opens one.
  const withCase = new Set(await householdsWithOpenCase(trx, { type: 'technical', agencyIds: null, limit: 10_000 }));
  const met = residents.find((h) => !withCase.has(h));
  if (met) {
    const agencyId = (await householdAgencyOf(trx, met)) as string;
    await joinOrOpenCase(trx, { householdId: met, agencyId, type: 'technical', origin: 'outreach', urgent: false });
    await outreach.insertContact(trx, { eventId: event, householdId: met, topics: ['technical'], casesOpened: 1, by: staff });
  }

  // A call for help to the tenants of the first residence (« Savez-vous coudre des masques ? »), with a few answers.
  // The demo records it as sent without writing the SMS (their personal links would be unknown to anyone).
  const audience = await solidarityMessaging().helpCallAudience(trx, {
    kind: 'segment',
    filters: { status: 'active', fragilityMatch: 'all', residenceId: firstResidence },
    scope: null,
  });
  const call = await calls.insertCall(trx, {
    question: 'Savez-vous coudre des masques en tissu ? Le bailleur fournit le tissu et les élastiques.',
    skill: 'sewing',
    audience: 'segment',
    segment: { status: 'active', fragilityMatch: 'all', residenceId: firstResidence },
    plan: audience.plan,
    createdBy: manager,
  });
  const recipients = await calls.insertRecipients(
    trx,
    call,
    audience.reached.map((p) => ({
      householdId: p.householdId,
      userId: p.userId,
      mobile: p.mobile,
      tokenHash: createHash('sha256').update(randomBytes(9).toString('base64url')).digest(),
    })),
  );
  await calls.setCallStatus(trx, call, 'sent', audience.plan);
  const answers = [
    { answer: 'yes', note: 'Le mercredi après-midi, j’ai une machine à coudre', via: 'link' },
    { answer: 'yes', note: null, via: 'sms' },
    { answer: 'no', note: null, via: 'sms' },
  ] as const;
  for (const [k, r] of recipients.slice(0, answers.length).entries()) {
    const x = answers[k] as (typeof answers)[number];
    await calls.answer(trx, r, { answer: x.answer, note: x.note, via: x.via, at: o.now });
  }
}
