// Tests need some real programs (Chromium, ClamAV's daemon). Use the path given by the
// environment variable or Debian's default; when it is missing and we are root on Debian, install
// the Debian package; otherwise stop with one line saying what to do. Never skip silently.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

export function ensureDebianPackage(p: { envVar: string; defaultPath: string; pkg: string; label: string }) {
  const given = process.env[p.envVar];
  const path = given ?? p.defaultPath;
  if (existsSync(path)) return;
  if (given) {
    console.error(`${p.envVar}=${path} n'existe pas : corrigez la variable ou installez ${p.pkg}.`);
    process.exit(1);
  }
  if (userInfo().uid === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`${p.label} absent : installation du paquet Debian « ${p.pkg} »…`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', p.pkg], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.error(`${p.label} est introuvable : installez-le (sudo apt-get install ${p.pkg}) ou indiquez son chemin dans ${p.envVar}.`);
    process.exit(1);
  }
}
