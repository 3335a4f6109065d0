// A real ClamAV daemon for the tests (TRUST IN-08), from Debian's `clamav-daemon` (installed by
// scripts/ensure-clamav.ts before the tests). No signature download is possible here: it loads one
// local signature that recognises the EICAR test file (the standard antivirus test string) wherever
// it appears in a file, so a PDF carrying it is found too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClamdAddress } from '../platform/files/clamd.ts';

/** The EICAR test file: harmless, recognised by every antivirus as a test. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export const clamdBinary = process.env.CLAMD_PATH ?? '/usr/sbin/clamd';

export async function startClamd(): Promise<{ address: ClamdAddress; stop: () => Promise<void> }> {
  if (!existsSync(clamdBinary)) throw new Error(`clamd introuvable (${clamdBinary}) : lancez node scripts/ensure-clamav.ts ou installez clamav-daemon.`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-clamd-'));
  await mkdir(path.join(dir, 'db'));
  await writeFile(path.join(dir, 'db', 'eicar.ndb'), `Lien-Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  const socket = path.join(dir, 'clamd.sock');
  await writeFile(
    path.join(dir, 'clamd.conf'),
    [`DatabaseDirectory ${dir}/db`, `LocalSocket ${socket}`, 'Foreground yes', `PidFile ${dir}/clamd.pid`, 'StreamMaxLength 60M', 'LogVerbose no'].join('\n'),
  );
  const child = spawn(clamdBinary, ['-c', path.join(dir, 'clamd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let failure = '';
  child.stderr.on('data', (d) => {
    failure += d;
  });
  const deadline = Date.now() + 60_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`clamd s’est arrêté : ${failure}`);
    if (Date.now() > deadline) throw new Error('clamd n’a pas ouvert sa socket en 60 s.');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: { socket },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
