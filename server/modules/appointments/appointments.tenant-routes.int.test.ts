// The portal's appointment routes over HTTP (issue 16). The portal's sign-in is another part of
// the issue: here the test plays it, with a `tenantOf` that reads a test header (the app will give
// the portal session's). Two tenants race for the last seat: one wins, the other gets the French
// « plus de place » answer offering the waiting list, joins it, and gets the seat when it frees.
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicRoute } from '../../platform/auth/policy.ts';
import { unauthenticated } from '../../platform/errors/app-error.ts';
import { registerErrorHandler } from '../../platform/errors/error-handler.ts';
import { parisToday } from '../../platform/time.ts';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { activeOrgAdmins } from '../identity/index.ts';
import { importFile } from '../registry/index.ts';
import { addDays } from './appointments.service.ts';
import { appointmentTenantRoutes, type Tenant } from './index.ts';

let h: Harness;
let org: TestOrg;
let app: FastifyInstance;
const tenants = new Map<string, Tenant>();

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const row = (i: number) =>
  `A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L${i};B${i};P${i};Durand${i};Paul;03/04/1950;06 22 33 44 ${String(i).padStart(2, '0')}`;

const call = (who: string | null, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({ method, url, payload: payload as never, headers: who ? { 'x-test-tenant': who } : {} });

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, row(1), row(2), row(3)].join('\n'))]), { fileName: 'x.csv' });
  const people = (
    await h.owner.query(`select p.household_id, p.id, h.erp_ref from persons p join households h on h.id = p.household_id where p.organisation_id = $1`, [
      org.id,
    ])
  ).rows;
  for (const p of people) tenants.set(p.erp_ref, { organisationId: org.id, householdId: p.household_id, personId: p.id });
  app = Fastify() as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, {
    spaIndexHtml: null,
    denials: { database: h.database, jobs: h.jobs, publicUrl: h.deps.config.publicUrl, alertRecipients: activeOrgAdmins },
  });
  const tenantOf = (request: FastifyRequest) => {
    const t = tenants.get(String(request.headers['x-test-tenant'] ?? ''));
    if (!t) throw unauthenticated('Veuillez vous connecter à votre espace locataire.');
    return t;
  };
  await appointmentTenantRoutes(app, h.deps, tenantOf, publicRoute);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await h.close();
});

describe('tenant routes', () => {
  it('two tenants race for the last seat: one wins, the other is offered the waiting list and gets the seat when it frees', async () => {
    const day = addDays(parisToday(), 5);
    const starts = new Date(`${day}T09:00:00Z`);
    const slotId = (
      await h.owner.query(
        `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
         values ($1, $2, $3, $4, 2, '{rent_payment,other}', '3 place de la Mairie') returning id`,
        [org.id, org.agencyIds[0], starts, new Date(starts.getTime() + 1_800_000)],
      )
    ).rows[0].id as string;
    expect((await call(null, 'GET', '/api/portal/appointments/slots')).statusCode).toBe(401);

    const slots = await call('B1', 'GET', '/api/portal/appointments/slots');
    expect(slots.statusCode, slots.body).toBe(200);
    expect(slots.json()).toContainEqual(expect.objectContaining({ id: slotId, seatsLeft: 2, reasons: ['rent_payment', 'other'] }));
    const first = await call('B1', 'POST', '/api/portal/appointments', { slotId, reason: 'rent_payment' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().notifiedBy).toBe('sms');

    // The last seat, twice at once.
    const [a, b] = await Promise.all([
      call('B2', 'POST', '/api/portal/appointments', { slotId, reason: 'other' }),
      call('B3', 'POST', '/api/portal/appointments', { slotId, reason: 'other' }),
    ]);
    const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
    const [, loserRef] = a.statusCode === 200 ? ['B2', 'B3'] : ['B3', 'B2'];
    expect(winner.statusCode, winner.body).toBe(200);
    expect(loser.statusCode).toBe(409);
    expect(loser.json()).toMatchObject({ code: 'slot_full', waitingList: true });
    expect(loser.json().detail).toContain('plus de place');
    expect((await call('B1', 'GET', '/api/portal/appointments/slots')).json()).toContainEqual(expect.objectContaining({ id: slotId, seatsLeft: 0 }));

    const waiting = await call(loserRef as string, 'POST', '/api/portal/appointments/waiting-list', { slotId, reason: 'other' });
    expect(waiting.statusCode, waiting.body).toBe(200);
    const mine = (await call(loserRef as string, 'GET', '/api/portal/appointments')).json();
    expect(mine).toEqual([expect.objectContaining({ kind: 'waiting', slotId, status: 'waiting' })]);

    // Someone else's booking, by its id: not found.
    expect((await call(loserRef as string, 'POST', `/api/portal/appointments/${first.json().id}/cancel`)).statusCode).toBe(404);
    const cancelled = await call('B1', 'POST', `/api/portal/appointments/${first.json().id}/cancel`);
    expect(cancelled.json()).toEqual({ givenToWaitingList: 1 });
    const after = (await call(loserRef as string, 'GET', '/api/portal/appointments')).json();
    expect(after).toEqual([expect.objectContaining({ kind: 'booking', slotId, status: 'booked' })]);
    expect((await call('B1', 'GET', '/api/portal/appointments')).json()).toEqual([]);
  });

  it('leaves a waiting list; a move to an unknown slot changes nothing', async () => {
    const day = addDays(parisToday(), 6);
    const starts = new Date(`${day}T13:00:00Z`);
    const [full, free] = (
      await h.owner.query(
        `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
         values ($1, $2, $3, $4, 1, '{documents}', '3 place de la Mairie'), ($1, $2, $4, $5, 1, '{documents}', '3 place de la Mairie') returning id`,
        [org.id, org.agencyIds[0], starts, new Date(starts.getTime() + 1_800_000), new Date(starts.getTime() + 3_600_000)],
      )
    ).rows.map((r) => r.id as string);
    const booking = (await call('B1', 'POST', '/api/portal/appointments', { slotId: full, reason: 'documents' })).json().id as string;
    const wait = (await call('B2', 'POST', '/api/portal/appointments/waiting-list', { slotId: full, reason: 'documents' })).json().id as string;
    expect((await call('B1', 'DELETE', `/api/portal/appointments/waiting-list/${wait}`)).statusCode).toBe(404);
    expect((await call('B2', 'DELETE', `/api/portal/appointments/waiting-list/${wait}`)).statusCode).toBe(200);
    const lost = await call('B1', 'POST', `/api/portal/appointments/${booking}/move`, { slotId: '00000000-0000-4000-8000-000000000000' });
    expect(lost.statusCode).toBe(404);
    const moved = await call('B1', 'POST', `/api/portal/appointments/${booking}/move`, { slotId: free });
    expect(moved.statusCode, moved.body).toBe(200);
    // Nobody was waiting any more: the seat stays free.
    expect(moved.json().givenToWaitingList).toBe(0);
    const seats = (await call('B3', 'GET', '/api/portal/appointments/slots')).json();
    expect(seats).toContainEqual(expect.objectContaining({ id: full, seatsLeft: 1 }));
    expect(seats).toContainEqual(expect.objectContaining({ id: free, seatsLeft: 0 }));
  });
});
