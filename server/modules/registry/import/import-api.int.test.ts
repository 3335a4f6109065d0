import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../../test/harness.ts';
import { startRegistryWorkers } from '../index.ts';

let h: Harness;
let org: TestOrg;
let cookie: string;

beforeAll(async () => {
  h = await startHarness();
  await startRegistryWorkers(h.deps);
  org = await newOrganisation(h);
  cookie = await signIn(h, await newUser(h, org, 'manager'));
});
afterAll(() => h.close());

const HEADER = 'Groupe;Logement;Bail;Nom;Prénom;Né le;Téléphone;NIR';
const upload = (content: string | Buffer, c = cookie) => {
  const boundary = '----lien';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return h.app.inject({
    method: 'POST',
    url: '/api/imports',
    headers: { cookie: c, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
};
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: { cookie }, payload });
async function waitFor(id: string, status: string) {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const run = (await get(`/api/imports/${id}`)).json();
    if (run.status === status || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('import through the API (upload → mapping → dry run → confirm)', () => {
  it('stages, guesses the mapping, previews in the background and applies on confirmation', async () => {
    const csv = `${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;06 11 22 33 44;269054958815780\nG1;L2;B2;Martin;Paul;15/06/1950;07 11 22 33 44;\nG1;L3;B3;Petit;Luc;31/02/1950;01 45 00 00 00;\n`;
    const res = await upload(csv);
    expect(res.statusCode).toBe(201);
    const staged = res.json();
    expect(staged.run).toMatchObject({ status: 'staged', totalLines: 3, headers: HEADER.split(';') });
    expect(staged.nirColumns).toEqual(['NIR']);
    expect(staged.sample[0][7]).toBe('');
    // "Groupe", "Logement", "Bail" are recognised; the NIR column is never mapped.
    expect(staged.run.mapping).toMatchObject({
      0: 'residence_code',
      1: 'unit_ref',
      2: 'lease_ref',
      3: 'last_name',
      4: 'first_name',
      5: 'birth_date',
      6: 'landline',
      7: null,
    });
    const id = staged.run.id;

    const incomplete = await post(`/api/imports/${id}/validate`, { mapping: { 0: 'residence_code' } });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().detail).toContain('Référence logement');

    const mapping = { ...staged.run.mapping, 6: 'mobile' };
    expect((await post(`/api/imports/${id}/validate`, { mapping, fullExport: false })).statusCode).toBe(202);
    const previewed = await waitFor(id, 'previewed');
    expect(previewed.summary).toMatchObject({ lines: 3, rejected_lines: 1, households_created: 2, persons_created: 2 });
    const rejected = (await get(`/api/imports/${id}/rejected`)).json();
    expect(rejected).toEqual([{ line: 4, errors: [expect.objectContaining({ column: 'Né le', reason: "cette date n'existe pas" })] }]);
    const file = await get(`/api/imports/${id}/rejected.csv`);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.body).toContain('Né le : cette date n');
    expect(await h.owner.query('select count(*)::int as n from households where organisation_id = $1', [org.id]).then((r) => r.rows[0].n)).toBe(0);

    // All-or-nothing is refused while lines are in error; valid lines only is accepted.
    expect((await post(`/api/imports/${id}/apply`, { validOnly: false })).statusCode).toBe(422);
    expect((await post(`/api/imports/${id}/apply`, { validOnly: true })).statusCode).toBe(202);
    const applied = await waitFor(id, 'applied');
    expect(applied.summary.applied).toMatchObject({ households_created: 2, persons_created: 2 });
    expect(await h.owner.query('select count(*)::int as n from households where organisation_id = $1', [org.id]).then((r) => r.rows[0].n)).toBe(2);
    expect(await h.owner.query('select count(*)::int as n from import_lines where organisation_id = $1', [org.id]).then((r) => r.rows[0].n)).toBe(0);
    const audit = await h.owner.query(`select action from audit_events where organisation_id = $1 and object_id = $2 order by at`, [org.id, id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['registry.import_validation_started', 'registry.import_confirmed', 'registry.import_applied']);
    // The mapping is remembered for the next file with the same headers.
    const next = (await upload(csv)).json();
    expect(next.run.mapping[6]).toBe('mobile');
  });

  it('cancelling leaves the registry untouched', async () => {
    const other = await newOrganisation(h);
    const c = await signIn(h, await newUser(h, other, 'org_admin'));
    const staged = (await upload(`${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;;\n`, c)).json();
    const res = await h.app.inject({ method: 'POST', url: `/api/imports/${staged.run.id}/cancel`, headers: { cookie: c } });
    expect(res.statusCode).toBe(200);
    expect(await h.owner.query('select count(*)::int as n from import_cells where organisation_id = $1', [other.id]).then((r) => r.rows[0].n)).toBe(0);
    expect(await h.owner.query('select count(*)::int as n from households where organisation_id = $1', [other.id]).then((r) => r.rows[0].n)).toBe(0);
  });

  it('staged lines lost to a crash of PostgreSQL (unlogged staging): the apply fails in French and writes nothing', async () => {
    const other = await newOrganisation(h);
    const c = await signIn(h, await newUser(h, other, 'org_admin'));
    const staged = (await upload(`${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;;\n`, c)).json();
    const id = staged.run.id;
    const call = (url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: { cookie: c }, payload });
    expect((await call(`/api/imports/${id}/validate`, { mapping: staged.run.mapping, fullExport: true })).statusCode).toBe(202);
    const deadline = Date.now() + 25_000;
    const state = async () => (await h.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie: c } })).json();
    while ((await state()).status !== 'previewed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // What crash recovery does to an unlogged table: it comes back empty.
    await h.owner.query('delete from import_lines where import_id = $1', [id]);
    expect((await call(`/api/imports/${id}/apply`, { validOnly: false })).statusCode).toBe(202);
    let run = await state();
    while (!['applied', 'failed'].includes(run.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      run = await state();
    }
    expect(run.status).toBe('failed');
    expect(run.error).toContain('envoyez le fichier de nouveau');
    expect(await h.owner.query('select count(*)::int as n from households where organisation_id = $1', [other.id]).then((r) => r.rows[0].n)).toBe(0);
  });

  it('an import abandoned for a day is cancelled and its staged lines deleted at the next import', async () => {
    const other = await newOrganisation(h);
    const c = await signIn(h, await newUser(h, other, 'manager'));
    const staged = (await upload(`${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;;\n`, c)).json();
    await h.owner.query(`update imports set updated_at = now() - interval '25 hours' where id = $1`, [staged.run.id]);
    await upload(`${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;;\n`, c);
    const row = await h.owner.query('select status from imports where id = $1', [staged.run.id]);
    expect(row.rows[0].status).toBe('cancelled');
    expect(await h.owner.query('select count(*)::int as n from import_cells where import_id = $1', [staged.run.id]).then((r) => r.rows[0].n)).toBe(0);
  });

  it('only admins and managers may import; another organisation gets 404', async () => {
    const staff = await signIn(h, await newUser(h, org, 'staff'));
    expect((await upload(`${HEADER}\n`, staff)).statusCode).toBe(403);
    const runs = (await get('/api/imports')).json();
    const other = await newOrganisation(h);
    const otherCookie = await signIn(h, await newUser(h, other, 'manager'));
    expect((await h.app.inject({ method: 'GET', url: `/api/imports/${runs[0].id}`, headers: { cookie: otherCookie } })).statusCode).toBe(404);
  });

  it('an upload one byte over the limit gets a French 413 and stages nothing', async () => {
    const row = 'G1;L1;B1;Lefebvre;Jeanne;01/02/1940;06 11 22 33 44;\n';
    const head = `${HEADER}\n`;
    const body = row.repeat(Math.ceil((50 * 1024 * 1024 - head.length) / row.length));
    const big = Buffer.from(head + body).subarray(0, 50 * 1024 * 1024 + 1);
    expect(big.length).toBe(50 * 1024 * 1024 + 1);
    const res = await upload(big);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().detail).toContain('50 Mo');
  }, 60_000);

  it('an empty or binary upload gets a clear French error', async () => {
    const res = await upload(Buffer.alloc(5000, 0));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('ni un CSV ni un XLSX');
  });
});

describe('the web import on real exports (issue 12)', () => {
  it('a file with headers and no line is refused in French', async () => {
    const res = await upload(`${HEADER}\r\n\r\n`);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toBe('Le fichier ne contient aucune ligne.');
  });

  it('a column headed like a social-security number is refused whatever its values, said in the preview; the rest imports', async () => {
    const other = await newOrganisation(h);
    const c = await signIn(h, await newUser(h, other, 'manager'));
    // « N° SS » with a wrong key: refused by its header; « Observations » holds a valid NIR: refused by value.
    const csv = 'Groupe;Logement;Bail;Nom;Prénom;N° SS;Observations\nG1;L1;B1;Lefebvre;Jeanne;169054958815700;269054958815780\nG1;L2;B2;Martin;Paul;;RAS\n';
    const staged = (await upload(csv, c)).json();
    expect(staged.nirColumns).toEqual(['N° SS', 'Observations']);
    expect(staged.sample[0].slice(5)).toEqual(['', '']);
    const id = staged.run.id;
    // Mapping the refused column by hand does not read it.
    const validate = await h.app.inject({
      method: 'POST',
      url: `/api/imports/${id}/validate`,
      headers: { cookie: c },
      payload: { mapping: { ...staged.run.mapping, 5: 'person_ref' } },
    });
    expect(validate.statusCode).toBe(202);
    expect(validate.json().mapping[5]).toBeNull();
    let run = validate.json();
    for (let i = 0; i < 100 && run.status !== 'previewed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await h.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie: c } })).json();
    }
    expect(run.summary).toMatchObject({
      rejected_lines: 0,
      households_created: 2,
      refused_columns: ['N° SS', 'Observations'],
      file_households: 2,
      file_units: 2,
    });
    const cells = await h.owner.query(`select count(*)::int as n from import_cells where import_id = $1 and cells::text like '%1690549588157%'`, [id]);
    expect(cells.rows[0].n).toBe(0);
  });

  it('10 MB of random bytes sent as a browser does: refused, and the rest of the upload read so the answer arrives at once', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    // One connection, reused: a request left half-read would block the next one (73 s before the fix).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const boundary = '----lienbrowser';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        randomBytes(10 * 1024 * 1024),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const send = (method: string, url: string, payload?: Buffer, type?: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const headers: Record<string, string | number> = { cookie, origin: address };
          if (payload) Object.assign(headers, { 'content-type': type as string, 'content-length': payload.length });
          const req = http.request(new URL(url, address), { agent, method, headers }, (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.end(payload);
        });
      const refused = await send('POST', '/api/imports', body, `multipart/form-data; boundary=${boundary}`);
      expect(refused.status).toBe(422);
      expect(JSON.parse(refused.body).detail).toContain('ni un CSV ni un XLSX');
      expect((await send('GET', '/api/imports')).status).toBe(200);
    } finally {
      agent.destroy();
      h.app.server.closeAllConnections();
    }
  }, 20_000);
});

describe('a manager limited to some agencies imports only into them', () => {
  const SCOPED_HEADER = 'Code agence;Groupe;Logement;Bail;Nom;Prénom;Né le';
  let scopedOrg: TestOrg;
  let orgManager: string;
  let scoped: string;
  const call = (method: 'GET' | 'POST', url: string, c: string, payload?: object) => h.app.inject({ method, url, headers: { cookie: c }, payload });
  async function until(id: string, c: string, statuses: string[]) {
    const deadline = Date.now() + 25_000;
    for (;;) {
      const run = (await call('GET', `/api/imports/${id}`, c)).json();
      if (statuses.includes(run.status) || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  /** Upload and dry-run as `c`; returns the previewed run. */
  async function preview(lines: string[], c: string, fullExport = false) {
    const staged = await upload(`${SCOPED_HEADER}\n${lines.join('\n')}\n`, c);
    expect(staged.statusCode, staged.body).toBe(201);
    const { run } = staged.json();
    expect(run.mapping).toMatchObject({ 0: 'agency_code', 1: 'residence_code', 2: 'unit_ref', 3: 'lease_ref' });
    expect((await call('POST', `/api/imports/${run.id}/validate`, c, { mapping: run.mapping, fullExport })).statusCode).toBe(202);
    return until(run.id, c, ['previewed', 'failed']);
  }
  const count = (q: string, params: unknown[]) => h.owner.query(q, params).then((r) => r.rows[0].n as number);

  beforeAll(async () => {
    scopedOrg = await newOrganisation(h);
    orgManager = await signIn(h, await newUser(h, scopedOrg, 'manager'));
    scoped = await signIn(h, await newUser(h, scopedOrg, 'manager', { agencyIds: [scopedOrg.agencyIds[0] as string] }));
    // The organisation-wide manager imports one household in each agency (A1: B1 in G1, A2: B2 in G2).
    const run = await preview(['A1;G1;L1;B1;Lefebvre;Jeanne;01/02/1940', 'A2;G2;L2;B2;Martin;Paul;15/06/1950'], orgManager);
    expect(run.summary).toMatchObject({ rejected_lines: 0, households_created: 2 });
    expect((await call('POST', `/api/imports/${run.id}/apply`, orgManager, { validOnly: false })).statusCode).toBe(202);
    expect((await until(run.id, orgManager, ['applied', 'failed'])).status).toBe('applied');
  });

  it('lines touching another agency are rejected with a French reason and nothing is written for them', async () => {
    const run = await preview(
      [
        'A1;G1;L10;B10;Petit;Luc;01/01/1945', // line 2: own agency, new household → valid
        'A2;G9;L11;B11;Durand;Anne;01/01/1946', // line 3: another agency
        'A1;G1;L12;B2;Intrus;Paul;01/01/1947', // line 4: adds an occupant to B2, a household of agency A2
        'A1;G2;L13;B13;Roux;Léa;01/01/1948', // line 5: G2 is a residence of agency A2
        'A1;G1;L2;B14;Blanc;Marc;01/01/1949', // line 6: L2 is a unit of agency A2
        ';G1;L15;B15;Noir;Iris;01/01/1950', // line 7: no agency given (the default agency is not theirs)
      ],
      scoped,
      true,
    );
    expect(run.status).toBe('previewed');
    // Only A1's households may be marked missing: B1 is, B2 (agency A2) is not.
    expect(run.summary).toMatchObject({ lines: 6, rejected_lines: 5, households_created: 1, households_missing: 1 });
    const rejected = (await call('GET', `/api/imports/${run.id}/rejected`, scoped)).json();
    expect(rejected.map((l: { line: number; errors: { column: string; reason: string }[] }) => [l.line, l.errors[0]?.column, l.errors[0]?.reason])).toEqual([
      [3, 'Code agence', 'agence hors de votre périmètre'],
      [4, 'Référence ménage', 'ménage d’une agence hors de votre périmètre'],
      [5, 'Code groupe / résidence', 'résidence d’une agence hors de votre périmètre'],
      [6, 'Référence logement', 'logement d’une agence hors de votre périmètre'],
      [7, 'Code agence', 'agence non indiquée : indiquez le code d’une de vos agences'],
    ]);
    // Every household of their agencies already in the registry (B1) would be marked missing: a
    // large change, refused without an explicit confirmation, with the reason in French.
    const unconfirmed = await call('POST', `/api/imports/${run.id}/apply`, scoped, { validOnly: true });
    expect(unconfirmed.statusCode).toBe(422);
    expect(unconfirmed.json().detail).toContain('Cet import touche 1 des 1 ménages déjà dans le registre (100 %');
    expect((await call('GET', `/api/imports/${run.id}`, scoped)).json().status).toBe('previewed');
    expect((await call('POST', `/api/imports/${run.id}/apply`, scoped, { validOnly: true, confirmLarge: true })).statusCode).toBe(202);
    expect((await until(run.id, scoped, ['applied', 'failed'])).status).toBe('applied');
    const refs = await h.owner.query('select erp_ref from households where organisation_id = $1 order by erp_ref', [scopedOrg.id]);
    expect(refs.rows.map((r) => r.erp_ref)).toEqual(['B1', 'B10', 'B2']);
    expect(await count(`select count(*)::int as n from persons where organisation_id = $1 and last_name = 'Intrus'`, [scopedOrg.id])).toBe(0);
    expect(
      await count(`select count(*)::int as n from households where organisation_id = $1 and missing_since is not null and erp_ref = 'B2'`, [scopedOrg.id]),
    ).toBe(0);
    expect(
      await count(`select count(*)::int as n from households where organisation_id = $1 and missing_since is not null and erp_ref = 'B1'`, [scopedOrg.id]),
    ).toBe(1);
    const g2 = await h.owner.query(`select r.agency_id from residences r where organisation_id = $1 and erp_code = 'G2'`, [scopedOrg.id]);
    expect(g2.rows[0].agency_id).toBe(scopedOrg.agencyIds[1]);
    expect(
      await count(`select count(*)::int as n from housing_units where organisation_id = $1 and erp_ref in ('L11', 'L12', 'L13', 'L15')`, [scopedOrg.id]),
    ).toBe(0);
  });

  it('the apply checks the scope again: a residence moved to another agency since the dry run stops an all-or-nothing import', async () => {
    const run = await preview(['A1;G1;L20;B20;Vert;Zoé;01/01/1951'], scoped);
    expect(run.summary).toMatchObject({ rejected_lines: 0, households_created: 1 });
    await h.owner.query(`update residences set agency_id = $1 where organisation_id = $2 and erp_code = 'G1'`, [scopedOrg.agencyIds[1], scopedOrg.id]);
    try {
      expect((await call('POST', `/api/imports/${run.id}/apply`, scoped, { validOnly: false })).statusCode).toBe(202);
      const done = await until(run.id, scoped, ['applied', 'failed']);
      expect(done.status).toBe('failed');
      expect(done.error).toContain('hors de votre périmètre');
      expect(await count(`select count(*)::int as n from households where organisation_id = $1 and erp_ref = 'B20'`, [scopedOrg.id])).toBe(0);
    } finally {
      await h.owner.query(`update residences set agency_id = $1 where organisation_id = $2 and erp_code = 'G1'`, [scopedOrg.agencyIds[0], scopedOrg.id]);
    }
  });

  it('sees and drives only the imports they started; organisation-wide managers and admins see all', async () => {
    const theirs = (await upload(`${SCOPED_HEADER}\nA2;G2;L2;B2;Martin;Paul;15/06/1950\n`, orgManager)).json().run.id;
    const mine = (await upload(`${SCOPED_HEADER}\nA1;G1;L1;B1;Lefebvre;Jeanne;01/02/1940\n`, scoped)).json().run.id;
    const listed = (await call('GET', '/api/imports', scoped)).json().map((r: { id: string }) => r.id);
    expect(listed).toContain(mine);
    expect(listed).not.toContain(theirs);
    for (const [method, url] of [
      ['GET', `/api/imports/${theirs}`],
      ['GET', `/api/imports/${theirs}/rejected`],
      ['GET', `/api/imports/${theirs}/rejected.csv`],
      ['POST', `/api/imports/${theirs}/cancel`],
    ] as const) {
      expect((await call(method, url, scoped)).statusCode, url).toBe(404);
    }
    expect((await call('POST', `/api/imports/${theirs}/validate`, scoped, { mapping: { 0: 'agency_code' } })).statusCode).toBe(404);
    expect((await call('POST', `/api/imports/${theirs}/apply`, scoped, { validOnly: true })).statusCode).toBe(404);
    const admin = await signIn(h, await newUser(h, scopedOrg, 'org_admin'));
    for (const c of [orgManager, admin]) {
      const all = (await call('GET', '/api/imports', c)).json().map((r: { id: string }) => r.id);
      expect(all).toEqual(expect.arrayContaining([mine, theirs]));
    }
  });
});
