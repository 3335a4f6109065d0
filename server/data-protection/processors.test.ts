import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { integrationsIn, namedIntegrations, processorsFile, serverIntegrations } from './outbound.ts';

const named = () => namedIntegrations(readFileSync(processorsFile, 'utf8'));

describe('the list of processors names every outbound integration of the code (docs/aipd/sous-traitants.md, TRUST DP-12)', () => {
  it('finds the integrations the server uses today, and every package is classified', () => {
    const { integrations, unclassified } = serverIntegrations();
    // What Lien talks to today: its database, ClamAV's daemon (its socket) and, when configured, an SMTP server and Brevo's SMS API (HTTP) through the outbox.
    expect([...integrations.keys()].sort()).toEqual(['http', 'outbox:brevo', 'outbox:smtp', 'postgresql', 'smtp', 'socket']);
    expect(Object.fromEntries(unclassified), 'classify these packages in server/data-protection/outbound.ts (outbound or local)').toEqual({});
  });

  it('names each of them in the list', () => {
    const listed = named();
    const missing = [...serverIntegrations().integrations].filter(([id]) => !listed.has(id)).map(([id, files]) => `${id} (${files.join(', ')})`);
    expect(missing, 'name these integrations in docs/aipd/sous-traitants.md (column « Intégration dans le code »)').toEqual([]);
  });

  it('catches a new adapter, a provider SDK, an HTTP client or an antivirus socket the list does not name', () => {
    const smsAdapter = `import type { OutboxAdapter } from './adapters.ts';
      export const smsAdapter: OutboxAdapter = { name: 'sms-provider', idempotent: true, deliver: async (m) => {
        await fetch('https://api.sms.example/send', { method: 'POST', body: m.body });
        return { status: 'sent', providerMessageId: null };
      } };`;
    expect([...integrationsIn(smsAdapter).integrations].sort()).toEqual(['http', 'outbox:sms-provider']);
    const clamav = `import { createConnection } from 'node:net';\nconst socket = createConnection({ host: 'clamav', port: 3310 });`;
    expect([...integrationsIn(clamav).integrations]).toEqual(['socket']);
    const letters = `import {\n  request,\n} from 'node:https';`;
    expect([...integrationsIn(letters).integrations]).toEqual(['http']);
    const sdk = `import Twilio from 'twilio';`;
    expect([...integrationsIn(sdk).unclassified]).toEqual(['twilio']);
    // A new outbox adapter is not in the list today: the test above would fail on it. (An HTTP client
    // is: Brevo's SMS API; a second HTTP provider still comes with its own outbox adapter name.)
    const listed = named();
    expect(listed.has('outbox:sms-provider')).toBe(false);
    // Checking an address is no connection; a type import is no code.
    expect([...integrationsIn(`import { isIP } from 'node:net';\nimport type { Pool } from 'pg';`).integrations]).toEqual([]);
  });
});
