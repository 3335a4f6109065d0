import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { type Harness, newOrganisation, newUser, startHarness } from '../../test/harness.ts';
import { adapterFromConfig } from './adapters.ts';
import { deliverMessage } from './outbox.ts';

type Received = { from: string; to: string[]; data: string };
const received: Received[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk) => {
        data += chunk;
      });
      stream.on('end', () => {
        received.push({
          from: String(session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SMTP adapter (real SMTP protocol on loopback)', () => {
  it('is chosen by environment variables and delivers an e-mail with a stable Message-ID', async () => {
    const config = loadConfig({ MAIL_ADAPTER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Lien <lien@bailleur.fr>' });
    const adapter = adapterFromConfig(config);
    expect(adapter).toMatchObject({ name: 'smtp', idempotent: false });
    const result = await adapter.deliver({
      key: '0190aaaa-0000-7000-8000-000000000001',
      channel: 'email',
      recipient: 'locataire@exemple.fr',
      subject: 'Réinitialisation',
      body: 'Bonjour, voici votre lien.',
    });
    expect(result.status).toBe('sent');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'lien@bailleur.fr', to: ['locataire@exemple.fr'] });
    expect(received[0]?.data).toContain('Message-ID: <0190aaaa-0000-7000-8000-000000000001@lien>');
    expect(received[0]?.data).toContain('Bonjour, voici votre lien.');
  });

  it('refuses to start with MAIL_ADAPTER=smtp and no SMTP_URL', () => {
    expect(() => loadConfig({ MAIL_ADAPTER: 'smtp' })).toThrow('SMTP_URL');
  });

  it('reports a refused connection as an error (the outbox will retry)', async () => {
    const adapter = adapterFromConfig(loadConfig({ MAIL_ADAPTER: 'smtp', SMTP_URL: 'smtp://127.0.0.1:1' }));
    await expect(adapter.deliver({ key: 'k', channel: 'email', recipient: 'a@b.fr', subject: 's', body: 'b' })).rejects.toThrow();
  });
});

describe('a personal link through SMTP (issue 9)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ MAIL_ADAPTER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}`, LIEN_SECRET_KEY: randomBytes(32).toString('base64') });
  });
  afterAll(() => h.close());

  it('the recipient receives the full link, which works once; Lien keeps it masked and erases the sealed text', async () => {
    const org = await newOrganisation(h);
    const { email } = await newUser(h, org, 'manager');
    await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } });
    // The reset e-mail is written after the answer has left (deferred work): wait for its row.
    let row: { id: string; body: string; sealed_body: string | null } | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      row = (await h.owner.query('select id, body, sealed_body from messages where recipient = $1', [email])).rows[0];
      if (!row) await new Promise((r) => setTimeout(r, 50));
    }
    if (!row) throw new Error('the password-reset e-mail was never written to the outbox');
    expect(row.body).toContain('[lien personnel masqué]');
    expect(row.sealed_body).not.toBeNull();
    const before = received.length;
    await deliverMessage(h.database, adapterFromConfig(h.deps.config), org.id, row.id);
    expect(received.length).toBe(before + 1);
    const mail = received[received.length - 1] as Received;
    expect(mail.to).toEqual([email]);
    // Quoted-printable may fold long lines: unfold before reading the link.
    const text = mail.data.replace(/=\r?\n/g, '');
    const token = /\/reinitialiser#([A-Za-z0-9_-]{43})/.exec(text)?.[1] as string;
    expect(token).toBeDefined();
    const after = (await h.owner.query('select status, sealed_body, m::text as dump from messages m where id = $1', [row.id])).rows[0];
    expect(after).toMatchObject({ status: 'sent', sealed_body: null });
    expect(after.dump).not.toContain(token);
    const set = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une phrase de passe envoyée par courriel' } });
    expect(set.statusCode).toBe(200);
    const again = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une autre phrase de passe' } });
    expect(again.statusCode).toBe(422);
  });
});
