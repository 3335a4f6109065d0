// The tests scan files with a real ClamAV daemon (TRUST IN-08): CLAMD_PATH or Debian's
// /usr/sbin/clamd, installed from Debian's `clamav-daemon` package when missing and run as root
// (ensure-debian-package.ts). The tests give it their own signature file: nothing is downloaded.
import { ensureDebianPackage } from './ensure-debian-package.ts';

ensureDebianPackage({ envVar: 'CLAMD_PATH', defaultPath: '/usr/sbin/clamd', pkg: 'clamav-daemon', label: 'clamd' });
