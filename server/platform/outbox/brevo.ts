/**
 * SMS through Brevo's transactional SMS API (ADR 0016): `POST /v3/transactionalSMS/send` with the
 * account's `api-key` header and `{sender, recipient, content, type, tag, unicodeEnabled}`; Brevo
 * answers `{messageId}` (the older `/sms` route also gave reference, smsCount and credits). The
 * message id comes back in Brevo's delivery callbacks; the tag is the outbox message id.
 *
 * Brevo takes no idempotency key: what happened to a request whose answer never came is unknown.
 * So the adapter says which failures left Brevo untouched (no connection, a 5xx or 429 answer:
 * `ProviderUnavailable`, tried again later) and which may have sent the SMS (connection lost or
 * timed out after the request left: `DeliveryUncertain`, the message becomes `unknown`, FT-02).
 */
import http from 'node:http';
import https from 'node:https';
import type { ProviderGuard } from './guard.ts';
import { DeliveryUncertain, type OutboxAdapter, ProviderRefused, ProviderUnavailable } from './provider.ts';
import { type MessageKey, openSealed } from './sealing.ts';
import { toProviderNumber } from './sms.ts';

export const BREVO_SMS_PATH = '/v3/transactionalSMS/send';

// GSM 03.38 basic character set and its extension table: anything else needs UCS-2 (unicodeEnabled).
const gsm7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;
export const isGsm7 = (text: string) => gsm7.test(text);

type BrevoOptions = {
  apiUrl: string;
  apiKey: string;
  sender: string;
  key: MessageKey;
  /** The opt-out mention a marketing SMS must end with (added when missing). */
  mention: string;
  guard?: ProviderGuard;
  /** Whole request, connection included. */
  timeoutMs?: number;
};

type Answer = { status: number; body: string };

/** One POST; `reached` tells whether the request left this machine (the connection was made). */
function post(url: URL, headers: Record<string, string>, payload: string, timeoutMs: number): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let connected = false;
    const request = client.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) }, timeout: timeoutMs });
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    const fail = (reason: string) => {
      clearTimeout(timer);
      request.destroy();
      reject(
        connected
          ? new DeliveryUncertain(`Brevo n’a pas répondu (${reason}) : le SMS a peut-être été envoyé ; statut à vérifier, il ne sera pas renvoyé.`)
          : new ProviderUnavailable(`Brevo injoignable (${reason}) : SMS retardé, nouvel essai plus tard.`),
      );
    };
    const timer = setTimeout(() => fail(`pas de réponse en ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    request.on('timeout', () => fail('délai dépassé'));
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        fail(error.message);
      });
    });
    request.end(payload);
  });
}

/** Brevo's error answers are `{code, message}`. */
function brevoError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: string; message?: string };
    return [parsed.code, parsed.message].filter(Boolean).join(' : ').slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

export function brevoSmsAdapter(options: BrevoOptions): OutboxAdapter {
  const url = new URL(BREVO_SMS_PATH, options.apiUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    name: 'brevo',
    idempotent: false,
    ...(options.guard ? { guard: options.guard } : {}),
    async deliver(message) {
      if (message.channel !== 'sms') throw new ProviderRefused("L'adaptateur Brevo n'envoie que des SMS.");
      const type = message.smsType ?? 'transactional';
      let content = message.sealed ? openSealed(options.key, message.sealed) : message.body;
      if (type === 'marketing' && !content.trimEnd().endsWith(options.mention)) content = `${content.trimEnd()}\n${options.mention}`;
      const payload = JSON.stringify({
        sender: options.sender,
        recipient: toProviderNumber(message.recipient),
        content,
        type,
        tag: message.key,
        unicodeEnabled: !isGsm7(content),
      });
      const answer = await post(url, { 'api-key': options.apiKey, 'content-type': 'application/json', accept: 'application/json' }, payload, timeoutMs);
      if (answer.status >= 200 && answer.status < 300) {
        let id: unknown;
        try {
          id = (JSON.parse(answer.body) as { messageId?: unknown }).messageId;
        } catch {
          id = undefined;
        }
        // Accepted: the SMS is on its way even if the answer is odd; its id may then be missing.
        return { status: 'sent', providerMessageId: typeof id === 'number' || typeof id === 'string' ? String(id) : null };
      }
      const detail = brevoError(answer.body);
      if (answer.status >= 500 || answer.status === 429)
        throw new ProviderUnavailable(`Brevo indisponible (HTTP ${answer.status}${detail ? ` ${detail}` : ''}) : SMS retardé, nouvel essai plus tard.`);
      if (answer.status === 401 || answer.status === 402 || answer.status === 403)
        // The account, not the message: its key, its credits or its sender. Delayed until someone fixes it.
        throw new ProviderUnavailable(
          `Brevo refuse le compte (HTTP ${answer.status}${detail ? ` ${detail}` : ''}) : vérifiez la clé, les crédits ou l’expéditeur ; SMS retardé.`,
        );
      throw new ProviderRefused(`Brevo refuse ce SMS (HTTP ${answer.status}${detail ? ` ${detail}` : ''}).`);
    },
  };
}
