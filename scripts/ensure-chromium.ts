// Browser tests need a real Chromium. Use CHROMIUM_PATH or Debian's /usr/bin/chromium; when it
// is missing and we are root on Debian, install the `chromium` package; otherwise stop with
// one line saying what to do. Never skip silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH=${path} n'existe pas : corrigez la variable ou installez Chromium.`);
    process.exit(1);
  }
  if (userInfo().uid === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium absent : installation du paquet Debian « chromium »…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error('Chromium est introuvable : installez-le (sudo apt-get install chromium) ou indiquez son chemin dans CHROMIUM_PATH.');
    process.exit(1);
  }
}
