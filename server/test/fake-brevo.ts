// A local HTTP server that plays Brevo's transactional SMS API for the tests and the bench: it
// checks the documented request (`POST /v3/transactionalSMS/send`, `api-key` header, JSON body),
// answers `201 {messageId}`, and can fail the ways Brevo does (5xx, 4xx with `{code, message}`),
// answer slowly or never. It counts what it received per tag (Lien's outbox id), so a test can
// prove that no SMS was handed over twice.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type BrevoRequest = { sender: string; recipient: string; content: string; type: string; tag: string; unicodeEnabled: boolean };
export type FakeBrevoMode =
  | { kind: 'ok'; delayMs?: number }
  | { kind: 'down'; status?: number }
  | { kind: 'refuse'; status: number; code: string; message: string }
  | { kind: 'hang' };

export type FakeBrevo = {
  url: string;
  apiKey: string;
  /** Accepted requests (an answer 201 was sent or is on its way), in order. */
  accepted: BrevoRequest[];
  /** Every request that arrived, whatever the answer. */
  received: BrevoRequest[];
  /** How many requests carried this tag. */
  countOf: (tag: string) => number;
  setMode: (mode: FakeBrevoMode) => void;
  /** Called for each request as it arrives (after it is counted, before it is answered). */
  onRequest: ((request: BrevoRequest) => void) | null;
  close: () => Promise<void>;
};

export async function startFakeBrevo(apiKey = 'xkeysib-test-key', port = 0): Promise<FakeBrevo> {
  let mode: FakeBrevoMode = { kind: 'ok' };
  let nextId = 1511882900176220;
  const sockets = new Set<Socket>();
  const fake: FakeBrevo = {
    url: '',
    apiKey,
    accepted: [],
    received: [],
    countOf: (tag) => fake.received.filter((r) => r.tag === tag).length,
    setMode: (m) => {
      mode = m;
    },
    onRequest: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v3/transactionalSMS/send') return json(res, 404, { code: 'not_found', message: 'Invalid route' });
      if (req.headers['api-key'] !== apiKey) return json(res, 401, { code: 'unauthorized', message: 'Key not found' });
      let body: BrevoRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BrevoRequest;
      } catch {
        return json(res, 400, { code: 'bad_request', message: 'Invalid JSON' });
      }
      if (!body.sender || !body.recipient || !body.content)
        return json(res, 400, { code: 'missing_parameter', message: 'sender, recipient and content are required' });
      if (!/^\+?\d{6,15}$/.test(body.recipient)) return json(res, 400, { code: 'invalid_parameter', message: 'Invalid recipient' });
      fake.received.push(body);
      fake.onRequest?.(body);
      const m = mode;
      if (m.kind === 'down') return json(res, m.status ?? 503, { code: 'service_unavailable', message: 'Service temporarily unavailable' });
      if (m.kind === 'refuse') return json(res, m.status, { code: m.code, message: m.message });
      if (m.kind === 'hang') return; // Taken, never answered: the SMS may well have left.
      fake.accepted.push(body);
      const answer = () => json(res, 201, { messageId: nextId++ });
      if (m.delayMs) setTimeout(answer, m.delayMs);
      else answer();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
