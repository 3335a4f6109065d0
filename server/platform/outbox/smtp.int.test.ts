import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { adapterFromConfig } from './adapters.ts';

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
