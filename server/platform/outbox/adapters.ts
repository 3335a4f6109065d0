import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import { brevoSmsAdapter } from './brevo.ts';
import { providerGuard } from './guard.ts';
import type { OutboxAdapter, OutgoingMessage } from './provider.ts';
import { type MessageKey, messageKey, openSealed } from './sealing.ts';
import { smsOptOutMention } from './sms.ts';

export type { OutboxAdapter, OutgoingMessage } from './provider.ts';

/** E-mail through one adapter, SMS through another; each keeps its own idempotency and guard. */
export function byChannel(email: OutboxAdapter, sms: OutboxAdapter): OutboxAdapter {
  return {
    name: `${email.name}+${sms.name}`,
    idempotent: email.idempotent && sms.idempotent,
    deliver: (message) => (message.channel === 'sms' ? sms : email).deliver(message),
    route: (channel) => (channel === 'sms' ? sms : email),
  };
}

/** The text the recipient receives: the sealed full text when there is one, opened with `key`. */
export function recipientText(message: OutgoingMessage, key: MessageKey): string {
  return message.sealed ? openSealed(key, message.sealed) : message.body;
}

/**
 * Default: nothing leaves the machine. The message stays in Lien's outbox page, personal links
 * masked; their sealed text is never opened here, and is erased once the message is settled.
 */
export const localAdapter: OutboxAdapter = {
  name: 'local',
  idempotent: true,
  deliver: async () => ({ status: 'delivered_locally', providerMessageId: null }),
};

/** The header of every file of the development mailbox. */
export const DEV_MAILBOX_BANNER = 'Boîte de développement — jamais en production';

/**
 * The local adapter plus a development mail catcher: the full text of each message (personal
 * links included) is written to `dir/<message id>.txt` (folder 0700, file 0600), where whoever
 * runs Lien on their machine opens it. Only started by `adapterFromConfig` outside production.
 * Writing the same message twice writes the same file: safe to run twice.
 */
export function devMailboxAdapter(dir: string, key: MessageKey): OutboxAdapter {
  return {
    name: 'local',
    idempotent: true,
    async deliver(message) {
      const text = recipientText(message, key);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const lines = [DEV_MAILBOX_BANNER, `À : ${message.recipient}`, `Objet : ${message.subject ?? '(SMS)'}`, `Message : ${message.key}`, '', text, ''];
      writeFileSync(path.join(dir, `${message.key}.txt`), lines.join('\n'), { mode: 0o600 });
      return { status: 'delivered_locally', providerMessageId: null };
    },
  };
}

/** E-mail through any SMTP server (SMTP_URL, e.g. smtps://user:pass@smtp.example.fr:465). */
export function smtpAdapter(smtpUrl: string, from: string, key: MessageKey): OutboxAdapter {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    name: 'smtp',
    idempotent: false,
    async deliver(message) {
      if (message.channel !== 'email') throw new Error("L'adaptateur SMTP n'envoie que des e-mails.");
      const info = await transport.sendMail({
        from,
        to: message.recipient,
        subject: message.subject ?? '',
        text: recipientText(message, key),
        messageId: `<${message.key}@lien>`,
      });
      return { status: 'sent', providerMessageId: info.messageId ?? null };
    },
  };
}

/** Where the development mailbox of this configuration writes. */
export const devMailboxDir = (config: Pick<Config, 'LIEN_DATA_DIR'>) => path.join(config.LIEN_DATA_DIR, 'mail');

/** The e-mail adapter configured for this process. */
function emailAdapterFromConfig(config: Config): OutboxAdapter {
  if (config.MAIL_ADAPTER === 'smtp' && config.SMTP_URL) return smtpAdapter(config.SMTP_URL, config.MAIL_FROM, messageKey(config));
  if (config.devMailbox) return devMailboxAdapter(devMailboxDir(config), messageKey(config));
  return localAdapter;
}

/** The adapter configured for this process: e-mail as configured, SMS through Brevo when SMS_PROVIDER=brevo. */
export function adapterFromConfig(config: Config): OutboxAdapter {
  const email = emailAdapterFromConfig(config);
  if (config.SMS_PROVIDER !== 'brevo' || !config.BREVO_API_KEY || !config.BREVO_SMS_SENDER) return email;
  const sms = brevoSmsAdapter({
    apiUrl: config.BREVO_API_URL,
    apiKey: config.BREVO_API_KEY,
    sender: config.BREVO_SMS_SENDER,
    key: messageKey(config),
    mention: smsOptOutMention(config),
    guard: providerGuard({ ratePerSecond: config.SMS_RATE_PER_SECOND }),
  });
  return byChannel(email, sms);
}
