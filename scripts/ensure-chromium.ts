// Browser tests need a real Chromium: CHROMIUM_PATH or Debian's /usr/bin/chromium, installed
// from Debian's `chromium` package when missing and run as root (ensure-debian-package.ts).
import { ensureDebianPackage } from './ensure-debian-package.ts';

ensureDebianPackage({ envVar: 'CHROMIUM_PATH', defaultPath: '/usr/bin/chromium', pkg: 'chromium', label: 'Chromium' });
