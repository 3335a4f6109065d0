// The tests scan files with a real ClamAV daemon (TRUST IN-08). Use CLAMD_PATH or Debian's
// /usr/sbin/clamd; when it is missing and we are root on Debian, install the `clamav-daemon`
// package (the tests give it their own signature file: nothing is downloaded); otherwise stop with
// one line saying what to do. Never skip silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

const path = process.env.CLAMD_PATH ?? '/usr/sbin/clamd';
if (!existsSync(path)) {
  if (process.env.CLAMD_PATH) {
    console.error(`CLAMD_PATH=${path} n'existe pas : corrigez la variable ou installez clamav-daemon.`);
    process.exit(1);
  }
  if (userInfo().uid === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('ClamAV absent : installation du paquet Debian « clamav-daemon »…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'clamav-daemon'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error('clamd est introuvable : installez-le (sudo apt-get install clamav-daemon) ou indiquez son chemin dans CLAMD_PATH.');
    process.exit(1);
  }
}
