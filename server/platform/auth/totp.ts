import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

function totpFor(secret: string, label: string) {
  return new OTPAuth.TOTP({ issuer: 'Lien', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** A new base32 TOTP secret (160 bits). */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** What an authenticator app needs: the otpauth:// URI and a QR code of it. */
export async function totpEnrolment(secret: string, label: string) {
  const uri = totpFor(secret, label).toString();
  return { secret, uri, qrCodeDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/**
 * Check a code within ±1 period. Returns the time step it matched, or null. The caller
 * rejects a step not newer than the last one used, so a code is never accepted twice.
 */
export function matchTotp(secret: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD) + delta;
}

/** The current code (tests and the demo helper). */
export function currentTotp(secret: string, now = Date.now()): string {
  return totpFor(secret, 'x').generate({ timestamp: now });
}

/**
 * The demo's helper: the code of the first time step not used yet that the server still accepts
 * (now, or one step ahead, as clock drift allows), so that two sign-ins to one demo account in
 * the same 30 seconds both work. Null when both are used: the next one comes within 30 s.
 */
export function nextUnusedTotp(secret: string, lastStep: number | null, now = Date.now()): { code: string; secondsLeft: number } | null {
  const nowStep = Math.floor(now / 1000 / PERIOD);
  const step = Math.max(nowStep, (lastStep ?? -1) + 1);
  if (step > nowStep + 1) return null;
  // A code is accepted until the end of the step after its own.
  const secondsLeft = Math.ceil(((step + 2) * PERIOD * 1000 - now) / 1000);
  return { code: totpFor(secret, 'x').generate({ timestamp: step * PERIOD * 1000 }), secondsLeft };
}
