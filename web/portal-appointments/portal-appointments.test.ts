// The portal's appointment components (issue 16) without a browser: the API client against an
// HTTP server that answers as the tenant routes do (a full slot: 409 `slot_full` with
// `waitingList`), and the slot list's markup (days in French, seats left, a labelled reason).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantSlot } from '../../contracts/appointments.ts';
import { PortalError, portalAppointmentsApi } from './api.ts';
import { PortalAppointments, SlotList } from './PortalAppointments.tsx';

const slot = (id: string, startsAt: string, seatsLeft: number): TenantSlot => ({
  id,
  startsAt,
  endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
  seatsLeft,
  reasons: ['rent_payment', 'documents'],
  address: 'agence Vitry Nord, 3 place de la Mairie',
});

const requests: { method: string; url: string; body: string }[] = [];
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/api/portal/appointments') {
        res.statusCode = 409;
        res.end(
          JSON.stringify({
            code: 'slot_full',
            detail: 'Il n’y a plus de place sur ce créneau. Vous pouvez vous inscrire sur la liste d’attente.',
            waitingList: true,
          }),
        );
      } else if (req.url === '/api/portal/appointments/slots') res.end(JSON.stringify([slot('s1', '2026-12-10T13:30:00Z', 0)]));
      else if (req.url === '/api/portal/appointments/waiting-list') res.end(JSON.stringify({ id: 'w1' }));
      else {
        res.statusCode = 404;
        res.end(JSON.stringify({ code: 'not_found', detail: 'Rendez-vous introuvable.' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/portal/appointments`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the portal’s appointments client', () => {
  it('turns « plus de place » into an error that offers the waiting list, and joins it', async () => {
    const api = portalAppointmentsApi(base);
    expect(await api.slots()).toEqual([slot('s1', '2026-12-10T13:30:00Z', 0)]);
    const refused = await api.book('s1', 'documents').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PortalError);
    expect(refused).toMatchObject({ status: 409, code: 'slot_full', waitingList: true });
    expect((refused as Error).message).toContain('plus de place');
    expect(await api.wait('s1', 'documents')).toEqual({ id: 'w1' });
    const lost = await api.cancel('x').catch((e: unknown) => e);
    expect(lost).toMatchObject({ status: 404, waitingList: false, message: 'Rendez-vous introuvable.' });
    expect(requests.filter((r) => r.method === 'POST').map((r) => [r.url, JSON.parse(r.body || '{}')])).toEqual([
      ['/api/portal/appointments', { slotId: 's1', reason: 'documents' }],
      ['/api/portal/appointments/waiting-list', { slotId: 's1', reason: 'documents' }],
      ['/api/portal/appointments/x/cancel', {}],
    ]);
  });
});

describe('the slot list', () => {
  it('groups the slots by Paris day in French, with the seats left, a labelled reason and a button per slot', () => {
    const html = renderToStaticMarkup(
      createElement(SlotList, {
        slots: [slot('a', '2026-12-10T13:30:00Z', 2), slot('b', '2026-12-10T15:00:00Z', 0), slot('c', '2026-12-01T08:00:00Z', 1)],
        moving: null,
        onBook: () => {},
        onMove: () => {},
      }),
    );
    expect(html).toContain('jeudi 10 décembre');
    expect(html).toContain('mardi 1er décembre');
    expect(html).toContain('14 h 30 – 15 h 00</strong> — 2 places libres');
    expect(html).toContain('16 h 00 – 16 h 30</strong> — complet');
    expect(html).toContain('Réserver 16 h 00 – 16 h 30 (complet : liste d’attente proposée)');
    expect(html).toContain('<label for="motif-a">Motif</label>');
    expect(html).toContain('<option value="rent_payment" selected="">Loyer et paiement</option>');
    expect(html.match(/<h3 /g)).toHaveLength(2);
    const empty = renderToStaticMarkup(createElement(SlotList, { slots: [], moving: null, onBook: () => {}, onMove: () => {} }));
    expect(empty).toContain('Aucun créneau ouvert');
  });

  it('renders the page with a live region before its data arrives', () => {
    const html = renderToStaticMarkup(createElement(PortalAppointments, { apiBase: base }));
    expect(html).toContain('role="status"');
    expect(html).toContain('<h2>Mes rendez-vous</h2>');
    expect(html).toContain('<h2>Prendre rendez-vous</h2>');
  });
});

describe('the portal stays light', () => {
  it('imports neither Mantine nor zod, directly or through the contracts it reads', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Type-only imports vanish from the bundle.
      for (const m of text.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)) {
        const spec = m[1] as string;
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^(zod|@mantine\/|@tanstack\/)/);
        if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec));
      }
    };
    walk(path.join(import.meta.dirname, 'PortalAppointments.tsx'));
    expect([...seen].map((f) => path.basename(f)).sort()).toEqual(['PortalAppointments.tsx', 'api.ts', 'appointment-words.ts', 'format.ts', 'plural.ts']);
  });
});
