import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

/** What an adapter is given to deliver. `key` is stable across retries of one message. */
export type OutgoingMessage = { key: string; channel: 'email' | 'sms'; recipient: string; subject: string | null; body: string };
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

/** Default: nothing leaves the machine; admins read the messages in Lien's outbox page. */
export const localAdapter: OutboxAdapter = {
  name: 'local',
  idempotent: true,
  deliver: async () => ({ status: 'delivered_locally', providerMessageId: null }),
};

/** E-mail through any SMTP server (SMTP_URL, e.g. smtps://user:pass@smtp.example.fr:465). */
export function smtpAdapter(smtpUrl: string, from: string): OutboxAdapter {
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
        text: message.body,
        messageId: `<${message.key}@lien>`,
      });
      return { status: 'sent', providerMessageId: info.messageId ?? null };
    },
  };
}

/** The adapter configured for this process. */
export function adapterFromConfig(config: Config): OutboxAdapter {
  if (config.MAIL_ADAPTER === 'smtp' && config.SMTP_URL) return smtpAdapter(config.SMTP_URL, config.MAIL_FROM);
  return localAdapter;
}
