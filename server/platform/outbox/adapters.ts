import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import { type MessageKey, messageKey, openSealed, type Sealed } from './sealing.ts';

/**
 * What an adapter is given to deliver. `key` is stable across retries of one message. `body` is
 * the text everyone may read (personal links masked); `sealed`, when present, is the full text
 * for the recipient only, which the adapter opens with its key at the moment it hands it over.
 */
export type OutgoingMessage = {
  key: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  sealed?: Sealed | null;
};
export type DeliveryResult = { status: 'sent' | 'delivered_locally'; providerMessageId: string | null };

/** A provider behind the outbox. */
export type OutboxAdapter = {
  name: string;
  /**
   * Whether the provider de-duplicates on `key`. If not, a message whose earlier attempt may
   * have reached the provider is marked `unknown` instead of being sent again.
   */
  idempotent: boolean;
  deliver: (message: OutgoingMessage) => Promise<DeliveryResult>;
};

/** The text the recipient receives: the sealed full text when there is one, opened with `key`. */
function recipientText(message: OutgoingMessage, key: MessageKey): string {
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

/** The adapter configured for this process. */
export function adapterFromConfig(config: Config): OutboxAdapter {
  if (config.MAIL_ADAPTER === 'smtp' && config.SMTP_URL) return smtpAdapter(config.SMTP_URL, config.MAIL_FROM, messageKey(config));
  if (config.devMailbox) return devMailboxAdapter(devMailboxDir(config), messageKey(config));
  return localAdapter;
}
