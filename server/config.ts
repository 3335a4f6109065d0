import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** proxy-addr's names for address ranges, usable in TRUSTED_PROXIES. */
const proxyRangeNames = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (proxyRangeNames.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length || !address) return false;
  const family = isIP(address);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** A comma-separated list of proxy addresses or CIDR ranges; empty means « trust no proxy ». */
const proxyList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every(isProxyAddress), { message: 'expected comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.1,10.1.0.0/16)' });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public address used in links sent by e-mail (password reset, invitations). */
  PUBLIC_URL: z.string().url().optional(),
  /** Owner connection (migrations). Unset: an embedded PostgreSQL is started. */
  DATABASE_URL: z.string().optional(),
  /** Application connection (role without BYPASSRLS). Derived when unset. */
  APP_DATABASE_URL: z.string().optional(),
  LIEN_DATA_DIR: z.string().default(path.resolve('.lien')),
  LIEN_PG_PORT: z.coerce.number().int().default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secure cookies (`__Host-` prefix). Browsers accept them on http://localhost. */
  COOKIE_SECURE: boolean.default(true),
  /** Seed a demo landlord on first start when the database has no organisation. */
  DEMO_SEED: boolean.default(true),
  /** Outbox adapter: `local` keeps messages inside Lien; `smtp` sends e-mail through SMTP_URL. */
  MAIL_ADAPTER: z.enum(['local', 'smtp']).default('local'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Lien <no-reply@lien.localhost>'),
  // SMS (issue 15, ADR 0016). `local` keeps them in Lien's outbox; `brevo` sends them through Brevo's transactional SMS API.
  SMS_PROVIDER: z.enum(['local', 'brevo']).default('local'),
  BREVO_API_KEY: z.string().optional(),
  /** Sender shown on the phone: 3 to 11 letters or digits (alphanumeric sender ID), or a number of up to 15 digits. */
  BREVO_SMS_SENDER: z
    .string()
    .regex(/^([A-Za-z0-9 ]{3,11}|\d{3,15})$/, 'expected 3 to 11 letters or digits, or a number of up to 15 digits')
    .optional(),
  BREVO_API_URL: z.string().url().default('https://api.brevo.com'),
  /** Secret Brevo presents on delivery callbacks (in the webhook URL `?token=`, as a bearer token or as the basic-auth password). */
  BREVO_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Callbacks older than this are refused as replays (TRUST IN-11). */
  SMS_CALLBACK_MAX_AGE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** Messages per second handed to the SMS provider by one sending process. */
  SMS_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(50),
  /** Opt-out mention added to every non-transactional SMS. Default: Brevo's STOP code placeholder, or a plain sentence with the local outbox. */
  SMS_OPT_OUT_MENTION: z.string().min(4).max(40).optional(),
  /** Run background workers in this process. */
  WORKERS: boolean.default(true),
  /**
   * Reverse proxies whose `X-Forwarded-For` / `-Proto` / `-Host` are believed. None by default:
   * the client address is the socket's, so a forged header cannot change who is audited or throttled.
   */
  TRUSTED_PROXIES: proxyList,
  /** Bearer token for `/metrics`. Unset: `/metrics` answers only direct loopback connections. */
  METRICS_TOKEN: z.string().min(16).optional(),

  // Personal links in messages (issue 9, ADR 0008).
  /** Key sealing the personal links of queued messages (32 bytes, hex or base64). Unset: `$LIEN_DATA_DIR/message-key`. */
  LIEN_SECRET_KEY: z.string().optional(),
  /** Development mail catcher: full texts written to `$LIEN_DATA_DIR/mail/`. Default: on with the local adapter outside production. */
  DEV_MAILBOX: boolean.optional(),
  NODE_ENV: z.string().optional(),

  // Files people give Lien (TRUST IN-08): scanned by ClamAV's daemon before anyone can open them.
  /** clamd's Unix socket (Debian's `clamav-daemon`: /var/run/clamav/clamd.ctl), unless CLAMD_HOST is set. */
  CLAMD_SOCKET: z.string().optional(),
  /** clamd over TCP (its `TCPSocket`), e.g. another container. */
  CLAMD_HOST: z.string().optional(),
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
  /** Largest file accepted, in megabytes. */
  FILES_MAX_MB: z.coerce.number().int().min(1).max(50).default(10),
});

/** Parsed environment; read once at start. */
export type Config = z.infer<typeof schema> & { publicUrl: string; devMailbox: boolean };

/** The development mail catcher: on by default with the local adapter outside production, never in production. */
function devMailboxSetting(c: z.infer<typeof schema>): boolean {
  const production = c.NODE_ENV === 'production';
  if (c.DEV_MAILBOX && production)
    throw new Error('DEV_MAILBOX=true est refusé avec NODE_ENV=production : la boîte de développement écrit les liens personnels en clair sur le disque.');
  if (c.DEV_MAILBOX && c.MAIL_ADAPTER !== 'local') throw new Error('DEV_MAILBOX=true ne fonctionne qu’avec MAIL_ADAPTER=local.');
  return c.DEV_MAILBOX ?? (c.MAIL_ADAPTER === 'local' && !production);
}

/** Parse the environment (or the given record) into a typed configuration. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.MAIL_ADAPTER === 'smtp' && !c.SMTP_URL) throw new Error('MAIL_ADAPTER=smtp needs SMTP_URL');
  if (c.SMS_PROVIDER === 'brevo' && !(c.BREVO_API_KEY && c.BREVO_SMS_SENDER && c.BREVO_WEBHOOK_SECRET))
    throw new Error('SMS_PROVIDER=brevo needs BREVO_API_KEY, BREVO_SMS_SENDER and BREVO_WEBHOOK_SECRET');
  const devMailbox = devMailboxSetting(c);
  return { ...c, publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`, devMailbox };
}
